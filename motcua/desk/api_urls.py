from django.urls import path

from . import api

urlpatterns = [
    path("desk/worklist/", api.WorklistView.as_view(), name="desk-worklist"),
    path("desk/unit-load/", api.UnitLoadView.as_view(), name="desk-unit-load"),
    path("desk/book/", api.BookView.as_view(), name="desk-book"),
    path("desk/statistics/", api.StatisticsView.as_view(), name="desk-statistics"),
    path("desk/dossiers/<str:code>/slips/", api.SlipsView.as_view(), name="desk-slips"),
]
