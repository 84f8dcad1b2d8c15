from django.urls import path
from django.views.generic import RedirectView

from . import postal_views, views

app_name = "dossiers"

urlpatterns = [
    path("staff/dossiers/", views.dossier_list, name="list"),
    path("staff/dossiers/new/", views.dossier_intake, name="intake"),
    # The worklist lives in the desk app (counts, filters, leaders' views); old links land there.
    path("staff/dossiers/worklist/", RedirectView.as_view(pattern_name="desk:worklist"), name="worklist"),
    path("staff/dossiers/<str:code>/", views.dossier_detail, name="detail"),
    path("staff/dossiers/<str:code>/actions/<str:action>/", views.dossier_action, name="action"),
    path("staff/dossiers/<str:code>/files/<int:file_id>/", views.dossier_file, name="file"),
    # The postal operator's signed tracking callbacks; the desk's answer to a failed delivery (dossiers.postal).
    path("buu-chinh/theo-doi/", postal_views.tracking_callback, name="postal-callback"),
    path("staff/dossiers/<str:code>/buu-chinh/xu-ly/", postal_views.failure_resolve, name="postal-resolve"),
]
