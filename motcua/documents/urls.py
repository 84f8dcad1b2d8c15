from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("staff/van-ban/", views.dashboard, name="dashboard"),
    path("staff/van-ban/den/", views.incoming_list, name="incoming_list"),
    path("staff/van-ban/den/dang-ky/", views.incoming_create, name="incoming_create"),
    path("staff/van-ban/den/<int:pk>/", views.incoming_detail, name="incoming_detail"),
    path("staff/van-ban/den/<int:pk>/phan-cong/", views.incoming_assign, name="incoming_assign"),
    path("staff/van-ban/den/<int:pk>/xu-ly/", views.incoming_handle, name="incoming_handle"),
    path("staff/van-ban/di/", views.outgoing_list, name="outgoing_list"),
    path("staff/van-ban/di/du-thao/", views.outgoing_create, name="outgoing_create"),
    path("staff/van-ban/di/<int:pk>/", views.outgoing_detail, name="outgoing_detail"),
    path("staff/van-ban/di/<int:pk>/<str:action>/", views.outgoing_action, name="outgoing_action"),
    path("staff/van-ban/tep/<int:pk>/", views.file_download, name="file_download"),
    path("staff/van-ban/so/<int:pk>.xlsx", views.register_export, name="register_export"),
]
