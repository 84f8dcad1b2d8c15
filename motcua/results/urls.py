from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("ket-qua/xac-minh/", views.verify_upload, name="verify-upload"),
    path("ket-qua/xac-minh/<str:token>/", views.verify, name="verify"),
    path("staff/results/<str:code>/", views.issue, name="issue"),
]
