from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("bao-cao/cchc/", views.cchc_index, name="cchc-index"),
    path("bao-cao/cchc/<str:agency>/<int:year>/", views.cchc, name="cchc"),
    path("bao-cao/cchc/<str:agency>/<int:year>/so-lieu/<slug:key>/", views.cchc_records, name="cchc-records"),
    path("bao-cao/cchc/<str:agency>/<int:year>/tai-ve.<str:fmt>", views.cchc_download, name="cchc-download"),
    path("bao-cao/cchc/<str:agency>/<int:year>/ban-hanh/", views.cchc_issue, name="cchc-issue"),
    path("bao-cao/chi-so-766/", views.index766, name="index766"),
    path("bao-cao/chi-so-766/<str:agency>/<str:period>/<slug:indicator>/", views.index766_records, name="index766-records"),
    path("bao-cao/cchc/da-ban-hanh/<int:pk>.<str:fmt>", views.cchc_issued_download, name="cchc-issued-download"),
]
