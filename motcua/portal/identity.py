"""Who is the citizen signed in on the public site, and what the identity provider said about them.

The citizens app (above the portal) signs citizens in with OpenID Connect and writes the verified identity
into the session with `identity_store`; the portal only reads it here (`identity_of`), so its pages can
prefill forms, lock the fields the provider vouched for, and let a citizen act on the dossiers that carry
their personal number, as `Applicant(via="oidc", personal_id=...)`. Nothing here talks to the provider."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import date

from django.conf import settings

from motcua.core.transitions import Applicant
from motcua.dossiers.models import ApplicantKind

SESSION_KEY = "citizen_identity"
# A citizen may sign in on a shared computer (a kiosk at the one-stop desk): the identity lapses after
# CITIZEN_SESSION_IDLE_MINUTES without a request, and CITIZEN_SESSION_MAX_HOURS after the sign-in in any case.
SEEN_EVERY_SECONDS = 60  # the last-seen time is written at most this often (one session save a minute)


@dataclass(frozen=True)
class CitizenIdentity:
    personal_id: str  # the 12-digit personal identification number
    full_name: str = ""
    birth_date: str = ""  # ISO yyyy-mm-dd, as the claim carries it; "" when absent or malformed
    address: str = ""
    phone: str = ""
    email: str = ""
    issuer: str = ""

    @property
    def actor(self) -> Applicant:
        return Applicant(via="oidc", personal_id=self.personal_id)


def identity_store(request, identity: CitizenIdentity) -> None:
    """Sign the citizen in for this session (a new session id: it now grants access to personal data)."""
    request.session.cycle_key()
    now = time.time()
    request.session[SESSION_KEY] = {**asdict(identity), "_signed_in_at": now, "_last_seen": now}


def identity_clear(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def identity_of(request) -> CitizenIdentity | None:
    data = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not isinstance(data, dict) or not str(data.get("personal_id", "")).isdigit():
        return None
    now = time.time()
    try:
        signed_in_at, last_seen = float(data["_signed_in_at"]), float(data["_last_seen"])
    except (KeyError, TypeError, ValueError):
        signed_in_at = last_seen = 0.0
    if (
        now - last_seen > settings.CITIZEN_SESSION_IDLE_MINUTES * 60
        or now - signed_in_at > settings.CITIZEN_SESSION_MAX_HOURS * 3600
    ):
        request.session.pop(SESSION_KEY, None)  # lapsed: signed out
        return None
    if now - last_seen > SEEN_EVERY_SECONDS:
        request.session[SESSION_KEY] = {**data, "_last_seen": now}
    try:
        return CitizenIdentity(**{k: str(v) for k, v in data.items() if k in CitizenIdentity.__dataclass_fields__})
    except TypeError:
        return None


def locked_fields(identity: CitizenIdentity | None) -> dict[str, str]:
    """The online form's fields that came from the identity provider, as the form shows them (dd/mm/yyyy):
    shown, marked and not editable; a posted value for any of them is replaced by this one."""
    if identity is None:
        return {}
    values = {"applicant_kind": ApplicantKind.INDIVIDUAL.value, "id_number": identity.personal_id}
    for name in ("full_name", "address", "phone", "email"):
        if getattr(identity, name):
            values[name] = getattr(identity, name)
    if identity.birth_date:
        try:
            values["birth_date"] = date.fromisoformat(identity.birth_date).strftime("%d/%m/%Y")
        except ValueError:
            pass
    return values


def login_enabled() -> bool:
    return bool(settings.CITIZEN_OIDC_ISSUER and settings.CITIZEN_OIDC_CLIENT_ID)


def context(request) -> dict:
    """Template context (settings.TEMPLATES): the signed-in citizen for the public menu."""
    return {"citizen": identity_of(request), "citizen_login_enabled": login_enabled()}
