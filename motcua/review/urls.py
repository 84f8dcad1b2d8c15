from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("cchc/ra-soat/", views.index, name="index"),
    path("cchc/ra-soat/ke-hoach/<int:pk>/", views.plan, name="plan"),
    path("cchc/ra-soat/thu-tuc/<int:pk>/", views.item, name="item"),
    path("cchc/ra-soat/thu-tuc/<int:pk>/phuong-an.docx", views.proposal_download, name="proposal-docx"),
    path("cchc/ra-soat/thu-tuc/<int:pk>/<slug:action>/", views.item_action, name="item-action"),
    path("cchc/ra-soat/so-lieu/<str:agency>/<int:year>/<str:code>/<slug:key>/", views.records, name="records"),
]
