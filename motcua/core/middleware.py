import uuid

from django.conf import settings
from django.shortcuts import render
from django.utils import translation

from . import context
from .client import client_ip
from .errors import ApplicationError


class RequestIdMiddleware:
    """Give every request an id (or keep the proxy's X-Request-ID) and expose it with the client IP
    to services through core.context, for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        ip = client_ip(request)
        ip = None if ip == "unknown" else ip
        request.request_id = request_id
        token = context.set_current(context.RequestContext(request_id=request_id, ip=ip))
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Swagger UI needs inline script/style; it is served locally from the sidecar package.
        if not request.path.startswith("/api/v1/docs"):
            response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class ApplicationErrorMiddleware:
    """Pages: render an ApplicationError as a friendly Vietnamese page with its HTTP status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ApplicationError):
            return render(request, "core/error.html", {"error": exception}, status=exception.status_code)
        return None


class LanguageMiddleware:
    """Vietnamese first: the language is the one the user chose (set_language cookie), else Vietnamese.

    Django's LocaleMiddleware would follow Accept-Language, and most browsers in Vietnamese offices are
    set to English; we do not want them to get an English site by accident."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
