"""URLs for this app's tests: core, i18n and this app only, so that the tests do not depend on the
state of other apps' pages (the project's urls.py mounts the same modules at the same places)."""

import importlib.util

from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("motcua.dossiers.api_urls")),
    path("", include("motcua.core.urls")),
]
if importlib.util.find_spec("motcua.dossiers.urls"):
    urlpatterns.append(path("", include("motcua.dossiers.urls")))
