"""URLs for this app's tests: core + feedback only, so the tests do not depend on other apps' pages
(which other people change concurrently). The full site includes the same `feedback.urls`."""

from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("motcua.core.urls")),
    path("", include("motcua.feedback.urls")),
]
