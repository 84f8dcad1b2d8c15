from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("mot-cua/viec/", views.worklist, name="worklist"),
    path("mot-cua/lanh-dao/don-vi/", views.unit_load, name="unit-load"),
    path("mot-cua/so-theo-doi/", views.book, name="book"),
    path("mot-cua/thong-ke/", views.statistics, name="statistics"),
    path("mot-cua/ho-so/<str:code>/phieu/", views.slip_list, name="slips"),
    path("mot-cua/ho-so/<str:code>/phieu/<str:kind>.pdf", views.slip_pdf, name="slip-pdf"),
]
