from django.contrib.auth import views as auth_views
from django.urls import path

from . import twofactor_views, views

app_name = "core"

urlpatterns = [
    path("staff/", views.home, name="home"),
    path("staff/login/", views.LoginView.as_view(), name="login"),
    path("staff/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/xac-thuc/", twofactor_views.otp_verify, name="otp-verify"),
    path("staff/xac-thuc/dang-ky/", twofactor_views.otp_enrol, name="otp-enrol"),
]
