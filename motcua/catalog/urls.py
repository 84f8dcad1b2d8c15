from django.urls import path

from . import national_views, views

app_name = "catalog"

urlpatterns = [
    path("thu-tuc/", views.public_search, name="public-search"),
    path("thu-tuc/<str:code>/", views.public_detail, name="public-detail"),
    path("thu-tuc/<str:code>/mau/<int:component_id>/", views.public_form, name="public-form"),
    path("staff/danh-muc/", views.dashboard, name="dashboard"),
    path("staff/danh-muc/quyet-dinh/", views.decisions, name="decisions"),
    path("staff/danh-muc/quyet-dinh/<int:pk>/", views.decision_detail, name="decision"),
    path("staff/danh-muc/quyet-dinh/<int:pk>/ap-dung/", views.decision_apply, name="decision-apply"),
    path("staff/danh-muc/quyet-dinh/<int:pk>/bo/<int:item_pk>/", views.decision_item_remove, name="decision-item-remove"),
    path("staff/danh-muc/nhap-xuat/", views.transfer_page, name="transfer"),
    path("staff/danh-muc/quoc-gia/", national_views.national_sync, name="national-sync"),
    path("staff/danh-muc/xuat.xlsx", views.export_xlsx, name="export-xlsx"),
    path("staff/danh-muc/mau.xlsx", views.template_xlsx, name="template-xlsx"),
    path("staff/danh-muc/xuat.json", views.export_json, name="export-json"),
]
