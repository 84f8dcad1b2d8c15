from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("staff/tich-hop/", views.outbox, name="outbox"),
]
