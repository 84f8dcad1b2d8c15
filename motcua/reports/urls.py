from django.urls import path

from . import digitisation_views, views

app_name = "reports"

urlpatterns = [
    path("bao-cao/cchc/", views.cchc_index, name="cchc-index"),
    path("bao-cao/cchc/<str:agency>/<int:year>/", views.cchc, name="cchc"),
    path("bao-cao/cchc/<str:agency>/<int:year>/so-lieu/<slug:key>/", views.cchc_records, name="cchc-records"),
    path("bao-cao/cchc/<str:agency>/<int:year>/tai-ve.<str:fmt>", views.cchc_download, name="cchc-download"),
    path("bao-cao/cchc/<str:agency>/<int:year>/ban-hanh/", views.cchc_issue, name="cchc-issue"),
    path("bao-cao/chi-so-766/", views.index766, name="index766"),
    path("bao-cao/chi-so-766/<str:agency>/<str:period>/<slug:indicator>/", views.index766_records, name="index766-records"),
    path("bao-cao/cchc/da-ban-hanh/<int:pk>.<str:fmt>", views.cchc_issued_download, name="cchc-issued-download"),
    # issue 19 item 5 (docs/papers.md): digitised dossiers, electronic results, reused papers
    path("bao-cao/so-hoa/", digitisation_views.digitisation_counts, name="digitisation"),
    path(
        "bao-cao/so-hoa/<str:agency>/<str:period>/<slug:measure>/",
        digitisation_views.digitisation_records,
        name="digitisation-records",
    ),
]
