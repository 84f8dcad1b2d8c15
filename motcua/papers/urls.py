from django.urls import path

from . import views

app_name = "papers"

urlpatterns = [
    path("staff/dossiers/<str:code>/kho-giay-to/dong-y/", views.consent, name="consent"),
    path("staff/dossiers/<str:code>/kho-giay-to/dung-lai/", views.reuse, name="reuse"),
    path("staff/dossiers/<str:code>/kho-giay-to/luu/", views.store, name="store"),
]
