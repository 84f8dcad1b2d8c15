from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .errors import NotFoundError, PermissionDeniedError
from .permissions import staff_required
from .request_guard import error_response, wants_json
from .roles import Role, user_roles


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def home_cards(user) -> list[dict]:
    """Cards for the staff home page from the apps that offer them: `<app>.home.home_cards(user)`
    returns [{"title": ..., "counts": [{"key", "label", "value", "url"}]}] (core reads no other app)."""
    cards = []
    for app in apps.get_app_configs():
        if not app.name.startswith("motcua."):
            continue
        try:
            module = import_module(f"{app.name}.home")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app.name}.home":
                raise
            continue
        cards += module.home_cards(user)
    return cards


@staff_required
def home(request):
    roles = [Role(code).label for code in sorted(user_roles(request.user))]
    return render(request, "core/home.html", {"role_labels": roles, "home_cards": home_cards(request.user)})


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # The staff OpenID Connect provider's button (its views live with the OIDC client, in citizens).
        return {
            **super().get_context_data(**kwargs),
            "staff_oidc": bool(settings.STAFF_OIDC_ISSUER and settings.STAFF_OIDC_CLIENT_ID),
        }


def permission_denied(request, exception=None):
    if wants_json(request):  # API clients get the API's error body (core.openapi)
        return error_response(request, PermissionDeniedError())
    return render(request, "core/403.html", {"message": str(exception or "")}, status=403)


def page_not_found(request, exception=None):
    if wants_json(request):
        return error_response(request, NotFoundError())
    return render(request, "core/404.html", status=404)
