from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from . import statistics, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", RedirectView.as_view(url=static("portal/favicon.svg"), permanent=True)),
    path("nop-truc-tuyen/", views.online_index, name="online-index"),
    path("nop-truc-tuyen/nhap/<str:token>/", views.draft_resume, name="draft-resume"),
    path("nop-truc-tuyen/da-nop/<str:token>/", views.submitted, name="submitted"),
    path("nop-truc-tuyen/<str:code>/", views.submit, name="submit"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("thong-ke/", statistics.statistics, name="statistics"),
    path("tra-cuu/ho-so/<str:code>/", views.lookup_detail, name="lookup-detail"),
    path("tra-cuu/ho-so/<str:code>/bo-sung/", views.supplement, name="supplement"),
    path("tra-cuu/ho-so/<str:code>/thanh-toan/", views.payment, name="payment"),
    path("tra-cuu/ho-so/<str:code>/rut-ho-so/", views.withdraw, name="withdraw"),
    path("tra-cuu/ho-so/<str:code>/ket-qua/", views.result_download, name="result-download"),
    path("tra-cuu/ho-so/<str:code>/danh-gia/", views.rating, name="rating"),
]
