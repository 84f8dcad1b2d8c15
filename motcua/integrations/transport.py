"""The replaceable transport: HTTP POST of JSON with an OAuth2 client-credentials bearer token. The same class
talks to the national portal directly, to an LGSP/NDXP gateway in front of it, or to the local fake
(`manage.py fake_national_portal`): only the URLs and credentials differ (docs/integrations.md).

A send ends in one of three ways, which the worker (services.deliver_due) turns into the message's state:
- it returns: the receiver answered 2xx, the message is delivered;
- NotDelivered: the receiver certainly did not take it (connection refused, 5xx, 429...) — retried;
- InDoubt: the request may have arrived (a time-out or a connection dropped while waiting for the answer) —
  retried too, with the same message ID, which the receiver recognises;
- Refused: the receiver answered that the message is wrong (4xx other than 401/408/409/429) — retrying the
  same bytes cannot help: the message is dead at once, with the receiver's answer kept."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import requests


class DeliveryError(Exception):
    pass


class NotDelivered(DeliveryError):
    """The receiver did not take the message; trying again is safe."""


class InDoubt(DeliveryError):
    """The receiver may have taken the message; trying again is safe only because it is idempotent."""


class Refused(DeliveryError):
    """The receiver refused the message itself (invalid): not retried."""


RETRYABLE_STATUSES = {401, 408, 409, 425, 429}


@dataclass
class HttpJsonTransport:
    """POST JSON to `base_url + routes[kind]` with a bearer token from `token_url` (client credentials)."""

    base_url: str
    token_url: str
    client_id: str
    client_secret: str
    routes: dict[str, str]
    timeout: float = 10.0
    _token: str = field(default="", repr=False)
    _token_expires: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _session: requests.Session = field(default_factory=requests.Session, repr=False)

    # --- OAuth2 client credentials (RFC 6749 §4.4), token cached until shortly before it expires ---

    def token(self, *, renew: bool = False) -> str:
        with self._lock:
            if renew or not self._token or time.monotonic() >= self._token_expires:
                try:
                    response = self._session.post(
                        self.token_url,
                        data={"grant_type": "client_credentials"},
                        auth=(self.client_id, self.client_secret),
                        timeout=self.timeout,
                    )
                except requests.RequestException as exc:
                    raise NotDelivered(f"token: {type(exc).__name__}: {exc}") from exc
                if response.status_code != 200:
                    raise NotDelivered(f"token: HTTP {response.status_code}: {response.text[:500]}")
                body = response.json()
                self._token = body["access_token"]
                # Renewed 30 s (or a tenth of its life, if shorter) before the receiver would refuse it.
                life = float(body.get("expires_in", 300))
                self._token_expires = time.monotonic() + life - min(30.0, life / 10)
            return self._token

    def _url(self, kind: str) -> str:
        return self.base_url.rstrip("/") + self.routes[kind]

    def send(self, *, kind: str, message_id: str, payload: dict) -> dict:
        """POST the payload; the answer's JSON (or {}) when the receiver took it."""
        headers = {"Idempotency-Key": message_id, "X-Message-ID": message_id, "Content-Type": "application/json"}
        for renew in (False, True):
            headers["Authorization"] = f"Bearer {self.token(renew=renew)}"
            try:
                response = self._session.post(self._url(kind), json=payload, headers=headers, timeout=self.timeout)
            except requests.ConnectionError as exc:
                # Refused before anything was sent, or dropped while waiting: requests cannot tell which for
                # every case, so a dropped connection counts as in doubt (the receiver is idempotent).
                if _refused_before_sending(exc):
                    raise NotDelivered(f"{type(exc).__name__}: {exc}") from exc
                raise InDoubt(f"{type(exc).__name__}: {exc}") from exc
            except requests.Timeout as exc:
                raise InDoubt(f"{type(exc).__name__}: {exc}") from exc
            except requests.RequestException as exc:
                raise InDoubt(f"{type(exc).__name__}: {exc}") from exc
            if response.status_code == 401 and not renew:
                continue  # the token expired or was revoked: one more try with a new one
            break
        if 200 <= response.status_code < 300:
            try:
                return response.json()
            except ValueError:
                return {}
        error = f"HTTP {response.status_code}: {response.text[:1500]}"
        if response.status_code >= 500 or response.status_code in RETRYABLE_STATUSES:
            raise NotDelivered(error)
        raise Refused(error)

    def get(self, path: str, params: dict | None = None) -> dict | list:
        """GET JSON from the receiver (e.g. the portal's state, for the reconciliation); NotDelivered when it
        cannot be had."""
        try:
            for renew in (False, True):
                response = self._session.get(
                    self.base_url.rstrip("/") + path,
                    params=params or {},
                    headers={"Authorization": f"Bearer {self.token(renew=renew)}"},
                    timeout=self.timeout,
                )
                if response.status_code == 401 and not renew:
                    continue
                break
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as exc:
            raise NotDelivered(f"{type(exc).__name__}: {exc}") from exc


def _refused_before_sending(exc: requests.ConnectionError) -> bool:
    """True when the connection was never made (refused, unknown host): nothing reached the receiver."""
    text = repr(exc)
    return any(sign in text for sign in ("NewConnectionError", "Connection refused", "NameResolutionError"))
