from django.urls import path

from . import api

urlpatterns = [
    path("reports/cchc/<str:agency>/<int:year>/", api.CchcFiguresView.as_view(), name="reports-cchc-figures"),
]
