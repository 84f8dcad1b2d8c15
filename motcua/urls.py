"""Root URLs. Each app owns `urls.py` (pages, with its own path prefixes) and `api_urls.py`
(mounted under /api/v1/); both are included when present, so apps are added without touching this file."""

import importlib.util

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from motcua.core import views as core_views

APPS = [
    "core",
    "workcalendar",
    "integrations",
    "catalog",
    "payments",  # before dossiers: /api/v1/dossiers/{code}/payment-link/
    "dossiers",
    "desk",
    "notifications",
    "feedback",
    "results",
    "papers",
    "digitisation",
    "review",
    "documents",
    "reform",
    "reports",
    "portal",
    "citizens",
]


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]
for app in APPS:
    if _has(f"motcua.{app}.api_urls"):
        urlpatterns.append(path("api/v1/", include(f"motcua.{app}.api_urls")))
for app in APPS:
    if _has(f"motcua.{app}.urls"):
        urlpatterns.append(path("", include(f"motcua.{app}.urls")))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "motcua.core.views.permission_denied"
handler404 = "motcua.core.views.page_not_found"
handler400 = "motcua.core.request_guard.bad_request"
handler500 = "motcua.core.request_guard.server_error"
