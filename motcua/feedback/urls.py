from django.urls import path

from . import open311, views

app_name = "feedback"

urlpatterns = [
    path("phan-anh-kien-nghi/", views.public_form, name="public"),
    path("phan-anh-kien-nghi/da-gui/", views.submitted, name="submitted"),
    path("phan-anh-kien-nghi/tra-cuu/", views.lookup, name="lookup"),
    path("phan-anh-kien-nghi/da-tra-loi/", views.published_list, name="published"),
    path("phan-anh-kien-nghi/da-tra-loi/<str:code>/", views.published_detail, name="published-detail"),
    path("staff/pakn/", views.worklist, name="worklist"),
    path("staff/pakn/<str:code>/", views.detail, name="detail"),
    path("staff/pakn/<str:code>/<str:name>/", views.action, name="action"),
    # Open311 GeoReport v2 (JSON), see open311.py and docs/feedback.md
    path("open311/v2/services.json", open311.services_list, name="open311-services"),
    path("open311/v2/requests.json", open311.requests, name="open311-requests"),
    path("open311/v2/requests/<str:request_id>.json", open311.request_detail, name="open311-request"),
]
