from django.urls import path

from . import api

urlpatterns = [
    path("dossiers/<str:code>/payment-link/", api.PaymentLinkView.as_view(), name="dossier-payment-link"),
    path("dossiers/<str:code>/payments/", api.PaymentListView.as_view(), name="dossier-payments"),
]
