from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("staff/dossiers/", views.dossier_list, name="list"),
    path("staff/dossiers/new/", views.dossier_intake, name="intake"),
    path("staff/dossiers/worklist/", views.worklist, name="worklist"),
    path("staff/dossiers/<str:code>/", views.dossier_detail, name="detail"),
    path("staff/dossiers/<str:code>/actions/<str:action>/", views.dossier_action, name="action"),
]
