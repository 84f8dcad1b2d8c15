"""The registry of external systems: a system's name (stored on each message) → its transport, built from
settings. A system without a configured URL has no transport: nothing is queued for it (see `enabled`).

To add a system (the postal operator, the PAKN system): a settings block, an entry in `_FACTORIES`, and a
mapping module in the app that owns the records (e.g. dossiers/national_sync.py for DVCQG)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from .transport import HttpJsonTransport

DVCQG = "dvcqg"  # Cổng Dịch vụ công quốc gia (the national public service portal)

# Paths below the system's base URL, per message kind (modelled on the public descriptions of the DVCQG
# exchange; an LGSP/NDXP gateway keeps the same paths behind its own base URL).
DVCQG_ROUTES = {"dossier.sync": "/api/hoso/dongbo", "dossier.ack": "/api/hoso/xacnhan", "pakn.update": "/api/pakn/capnhat"}
DVCQG_STATE_PATH = "/api/hoso/trangthai"
DVCQG_INBOX_PATH = "/api/hoso/moi"  # dossiers filed on the national portal for the agency, not yet acknowledged
DVCQG_PROCEDURE_PATH = "/api/tthc/chitiet"  # ?MaTTHC=: one procedure of the national procedure database
DVCQG_PAKN_INBOX_PATH = "/api/pakn/moi"  # petitions of the national PAKN system for the agency, not yet acknowledged


def _dvcqg() -> HttpJsonTransport | None:
    url = settings.NATIONAL_PORTAL_URL
    if not url:
        return None
    return HttpJsonTransport(
        base_url=url,
        token_url=settings.NATIONAL_PORTAL_TOKEN_URL or url.rstrip("/") + "/oauth2/token",
        client_id=settings.NATIONAL_PORTAL_CLIENT_ID,
        client_secret=settings.NATIONAL_PORTAL_CLIENT_SECRET,
        routes=DVCQG_ROUTES,
        timeout=settings.NATIONAL_PORTAL_TIMEOUT,
    )


POSTAL = "postal"  # the postal operator (VNPost public postal service, BCCI): pickup and delivery orders
# Modelled on the public shape of the VNPost order API (create an order, get a tracking code, status webhooks);
# the mapping is motcua/dossiers/postal.py, the schema integrations/schemas/postal_order.json.
POSTAL_ROUTES = {"postal.order": "/api/v1/orders"}


def _postal() -> HttpJsonTransport | None:
    url = settings.POSTAL_URL
    if not url:
        return None
    return HttpJsonTransport(
        base_url=url,
        token_url=settings.POSTAL_TOKEN_URL or url.rstrip("/") + "/oauth2/token",
        client_id=settings.POSTAL_CLIENT_ID,
        client_secret=settings.POSTAL_CLIENT_SECRET,
        routes=POSTAL_ROUTES,
        timeout=settings.POSTAL_TIMEOUT,
    )


_FACTORIES: dict[str, Callable[[], HttpJsonTransport | None]] = {DVCQG: _dvcqg, POSTAL: _postal}
LABELS = {DVCQG: "Cổng Dịch vụ công quốc gia", POSTAL: "Bưu chính công ích"}

# One transport per system and configuration, kept by the process (its token is cached with it).
_transports: dict[tuple, HttpJsonTransport | None] = {}


def _config_key(system: str) -> tuple:
    if system == DVCQG:
        return (
            system,
            settings.NATIONAL_PORTAL_URL,
            settings.NATIONAL_PORTAL_TOKEN_URL,
            settings.NATIONAL_PORTAL_CLIENT_ID,
            settings.NATIONAL_PORTAL_CLIENT_SECRET,
            settings.NATIONAL_PORTAL_TIMEOUT,
        )
    if system == POSTAL:
        return (
            system,
            settings.POSTAL_URL,
            settings.POSTAL_TOKEN_URL,
            settings.POSTAL_CLIENT_ID,
            settings.POSTAL_CLIENT_SECRET,
            settings.POSTAL_TIMEOUT,
        )
    return (system,)


def transport_for(system: str) -> HttpJsonTransport | None:
    """The system's transport, or None when it is not configured (or unknown)."""
    factory = _FACTORIES.get(system)
    if factory is None:
        return None
    key = _config_key(system)
    if key not in _transports:
        _transports[key] = factory()
    return _transports[key]


def enabled(system: str) -> bool:
    return transport_for(system) is not None


def systems() -> list[str]:
    return list(_FACTORIES)
