from django.urls import path

from . import views

app_name = "digitisation"

urlpatterns = [
    path("staff/so-hoa/tim-kiem/", views.search, name="search"),
    path("staff/so-hoa/<int:job_id>/ban-so-hoa/", views.certified_copy, name="copy"),
    path("staff/so-hoa/<int:job_id>/so-hoa-lai/", views.requeue, name="requeue"),
]
