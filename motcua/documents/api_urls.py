from django.urls import path

from . import api

urlpatterns = [
    path("documents/counts/", api.DocumentCountsView.as_view(), name="documents-counts"),
    path("documents/verify/", api.VerifyPdfView.as_view(), name="documents-verify"),
]
