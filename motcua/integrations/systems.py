"""The registry of external systems: a system's name (stored on each message) → its transport, built from
settings. A system without a configured URL has no transport: nothing is queued for it (see `enabled`).

To add a system (the postal operator, the PAKN system): a settings block, an entry in `_SYSTEMS`, and a
mapping module in the app that owns the records (e.g. dossiers/national_sync.py for DVCQG)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .transport import HttpJsonTransport

DVCQG = "dvcqg"  # Cổng Dịch vụ công quốc gia (the national public service portal)

# Paths below the system's base URL, per message kind (modelled on the public descriptions of the DVCQG
# exchange; an LGSP/NDXP gateway keeps the same paths behind its own base URL).
DVCQG_ROUTES = {"dossier.sync": "/api/hoso/dongbo", "dossier.ack": "/api/hoso/xacnhan", "pakn.update": "/api/pakn/capnhat"}
DVCQG_STATE_PATH = "/api/hoso/trangthai"
DVCQG_INBOX_PATH = "/api/hoso/moi"  # dossiers filed on the national portal for the agency, not yet acknowledged
DVCQG_PROCEDURE_PATH = "/api/tthc/chitiet"  # ?MaTTHC=: one procedure of the national procedure database
DVCQG_PAKN_INBOX_PATH = "/api/pakn/moi"  # petitions of the national PAKN system for the agency, not yet acknowledged


POSTAL = "postal"  # the postal operator (VNPost public postal service, BCCI): pickup and delivery orders
# Modelled on the public shape of the VNPost order API (create an order, get a tracking code, status webhooks);
# the mapping is motcua/dossiers/postal.py, the schema integrations/schemas/postal_order.json.
POSTAL_ROUTES = {"postal.order": "/api/v1/orders"}


# Each system's settings (<PREFIX>_URL, _TOKEN_URL, _CLIENT_ID, _CLIENT_SECRET, _TIMEOUT) and routes.
_SYSTEMS = {DVCQG: ("NATIONAL_PORTAL", DVCQG_ROUTES), POSTAL: ("POSTAL", POSTAL_ROUTES)}
_SETTINGS = ("URL", "TOKEN_URL", "CLIENT_ID", "CLIENT_SECRET", "TIMEOUT")
LABELS = {DVCQG: _("Cổng Dịch vụ công quốc gia"), POSTAL: _("Bưu chính công ích")}

# One transport per system and configuration, kept by the process (its token is cached with it).
_transports: dict[tuple, HttpJsonTransport | None] = {}


def _config(system: str) -> tuple:
    prefix = _SYSTEMS[system][0]
    return tuple(getattr(settings, f"{prefix}_{name}") for name in _SETTINGS)


def _build(system: str, url: str, token_url: str, client_id: str, client_secret: str, timeout) -> HttpJsonTransport | None:
    if not url:
        return None
    return HttpJsonTransport(
        base_url=url,
        token_url=token_url or url.rstrip("/") + "/oauth2/token",
        client_id=client_id,
        client_secret=client_secret,
        routes=_SYSTEMS[system][1],
        timeout=timeout,
    )


def transport_for(system: str) -> HttpJsonTransport | None:
    """The system's transport, or None when it is not configured (or unknown)."""
    if system not in _SYSTEMS:
        return None
    key = (system, *_config(system))
    if key not in _transports:
        _transports[key] = _build(*key)
    return _transports[key]


def enabled(system: str) -> bool:
    return transport_for(system) is not None


def systems() -> list[str]:
    return list(_SYSTEMS)
