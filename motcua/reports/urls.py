from django.urls import path

from . import dashboards, digitisation_views, periodic_views, views

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
    # issue 20 items 3 and 4 (docs/index766.md, docs/periodic-reports.md)
    path("bao-cao/chi-so-766/lich-su/", dashboards.index766_history, name="index766-history"),
    path("bao-cao/chi-so-766/tinh/", dashboards.index766_province, name="index766-province"),
    path("cong-khai/chi-so-766/", dashboards.index766_public, name="index766-public"),
    path("cong-khai/chi-so-766/du-lieu.csv", dashboards.index766_public_csv, name="index766-public-csv"),
    path("cong-khai/chi-so-766/du-lieu.json", dashboards.index766_public_json, name="index766-public-json"),
    path("bao-cao/dinh-ky/", periodic_views.periodic_index, name="periodic-index"),
    path("bao-cao/dinh-ky/<str:agency>/<str:period>/", periodic_views.periodic, name="periodic"),
    path(
        "bao-cao/dinh-ky/<str:agency>/<str:period>/tai-ve.<str:fmt>", periodic_views.periodic_download, name="periodic-download"
    ),
    path("bao-cao/dinh-ky/<str:agency>/<str:period>/gui/", periodic_views.periodic_send, name="periodic-send"),
]
