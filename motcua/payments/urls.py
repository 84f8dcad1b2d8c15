from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("thanh-toan/vnpay/ipn/", views.vnpay_ipn, name="vnpay-ipn"),
    path("thanh-toan/vnpay/ket-qua/", views.vnpay_return, name="vnpay-return"),
    path("thanh-toan/bien-lai/<str:token>/", views.receipt_download, name="receipt"),
]
