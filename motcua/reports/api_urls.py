from django.urls import path

from . import api

urlpatterns = [
    path("reports/cchc/<str:agency>/<int:year>/", api.CchcFiguresView.as_view(), name="reports-cchc-figures"),
    path("reports/index766/<str:agency>/<str:period>/", api.Index766View.as_view(), name="reports-index766"),
    path(
        "reports/index766/<str:agency>/<str:period>/<slug:indicator>/records/",
        api.Index766RecordsView.as_view(),
        name="reports-index766-records",
    ),
]
