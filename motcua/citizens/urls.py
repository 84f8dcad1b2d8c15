from django.urls import path

from . import staff_views, views

app_name = "citizens"

urlpatterns = [
    path("tai-khoan/dang-nhap/", views.login, name="login"),
    path("tai-khoan/dang-nhap/xong/", views.callback, name="callback"),
    path("tai-khoan/dang-xuat/", views.logout, name="logout"),
    path("tai-khoan/ho-so/", views.my_dossiers, name="my-dossiers"),
    path("tai-khoan/ho-so/<str:code>/dung-lai-giay-to/", views.reuse_paper, name="reuse-paper"),
    path("staff/login/dinh-danh/", staff_views.staff_login, name="staff-login"),
    path("staff/login/dinh-danh/xong/", staff_views.staff_callback, name="staff-callback"),
]
