from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("thanh-toan/vnpay/ipn/", views.vnpay_ipn, name="vnpay-ipn"),
    path("thanh-toan/vnpay/ket-qua/", views.vnpay_return, name="vnpay-return"),
    path("thanh-toan/paygov/thong-bao/", views.paygov_notify, name="paygov-notify"),
    path("thanh-toan/paygov/ket-qua/", views.paygov_return, name="paygov-return"),
    path("thanh-toan/bien-lai/<str:token>/", views.receipt_download, name="receipt"),
]
