"""A local fake of the national public service portal (DVCQG), a real HTTP server for tests, the demo and the
benchmark: `python manage.py fake_national_portal --port 8090`, or `FakeNationalPortal(port=0).start()` in a
test. It speaks the protocol motcua's transport speaks (docs/integrations.md):

- `POST /oauth2/token` — OAuth2 client credentials (HTTP Basic or form fields); a bearer token that expires
  after `token_ttl` seconds;
- `POST /api/hoso/dongbo` — one dossier message; 401 without a valid token, 400 with the schema's complaints
  when the message does not validate against motcua/integrations/schemas/dvcqg_dossier_sync.json (or its
  `Idempotency-Key` header differs from its `message_id`), 200 otherwise. Idempotent on the message ID: a copy
  is answered 200 `{"duplicate": true}` and changes nothing. The state per dossier is that of its highest
  sequence; a message older than the one held is kept in the log, marked `out_of_order`, and not applied;
- `GET /api/hoso/trangthai` — the state held per dossier (for the reconciliation);
- `GET /api/hoso/moi` — dossiers filed on the portal for the agency (set with `/_control` `inbound`), offered
  until acknowledged; `POST /api/hoso/xacnhan` — the agency's acknowledgement (schema dvcqg_ack.json, idempotent);
- `GET /_received` — one entry per message taken (`kind` "sync" or "ack") (dossier code, status code, sequence, action, how many
  times it arrived); `GET /_rejected` — refused messages with the reasons;
- `POST /_control` (JSON) — failure modes: `fail_next` requests answered `fail_status` (default 503) without
  taking them; `hold_seconds`: take a message, then wait that long before answering (the client times out,
  or is killed, mid-request); `drop_replies`: take N messages and close the connection without an answer (the
  client retries: a duplicate delivery); `expire_tokens`: every token issued so far stops working (401);
  `inbound` [dossiers] / `duplicate_callbacks` (offer each twice) / `out_of_order` (offer them newest first);
  `set_status` {code: n} / `forget` [codes]:
  change what the portal holds (a difference on purpose, for the reconciliation); `reset`: forget everything.

The procedure database (fakes/national_catalog.py) and the PAKN system (fakes/national_pakn.py) answer on
the same server; their `/_control` settings are `procedures`, `remove_procedures` and `pakn`."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from motcua.integrations import schemas

from .base import ANSWERED, TOKEN_PATH, FakeHandler, OAuthFake
from .national_catalog import FakeProcedureDatabase
from .national_pakn import FakePaknSystem

SCHEMA = "dvcqg_dossier_sync"
SYNC_PATH = "/api/hoso/dongbo"
STATE_PATH = "/api/hoso/trangthai"
INBOX_PATH = "/api/hoso/moi"
ACK_PATH = "/api/hoso/xacnhan"


class FakeNationalPortal(OAuthFake):
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        client_id: str = "motcua",
        client_secret: str = "fake-portal-secret",
        token_ttl: float = 300,
        quiet: bool = True,
    ):
        self.client_id, self.client_secret, self.token_ttl, self.quiet = client_id, client_secret, token_ttl, quiet
        self.lock = threading.Lock()
        self.extensions = [FakeProcedureDatabase(self), FakePaknSystem(self)]
        self.reset()
        self.listen(host, port)

    def reset(self) -> None:
        with getattr(self, "lock", threading.Lock()):
            self.reset_tokens()
            self.received: list[dict] = []
            self.by_id: dict[str, dict] = {}
            self.rejected: list[dict] = []
            self.state: dict[str, dict] = {}
            self.fail_next, self.fail_status, self.hold_seconds, self.drop_replies = 0, 503, 0.0, 0
            self.requests = 0
            self.inbox: list[dict] = []  # dossiers filed here, waiting for the agency's acknowledgement
            self.acks: dict[str, dict] = {}  # national dossier ID -> the agency's answer
            self.duplicate_callbacks = False
            self.out_of_order = False  # offer the filed dossiers newest first
            self.holding = 0  # requests taken and now waiting out hold_seconds
            for extension in getattr(self, "extensions", ()):
                extension.reset()

    def control(self, **settings) -> dict:
        with self.lock:
            if settings.get("reset"):
                self.lock.release()
                try:
                    self.reset()
                finally:
                    self.lock.acquire()
            self.set_failure_modes(settings)
            for code, status in (settings.get("set_status") or {}).items():
                self.state.setdefault(code, {"MaHoSo": code, "sequence": 0, "MaCoQuan": ""})["TrangThaiHoSo"] = int(status)
            for code in settings.get("forget") or []:
                self.state.pop(code, None)
            problems = [e for item in settings.get("inbound") or [] for e in schemas.errors("dvcqg_inbound_dossier", item)]
            problems += [e for extension in self.extensions for e in extension.control(settings)]
            if problems:
                return {"error": "invalid_inbound", "errors": problems}
            self.inbox.extend(settings.get("inbound") or [])
            if "duplicate_callbacks" in settings:
                self.duplicate_callbacks = bool(settings["duplicate_callbacks"])
            if "out_of_order" in settings:
                self.out_of_order = bool(settings["out_of_order"])
            return {
                "fail_next": self.fail_next,
                "fail_status": self.fail_status,
                "hold_seconds": self.hold_seconds,
                "drop_replies": self.drop_replies,
            }

    # --- the protocol ---

    def take(self, message, idempotency_key: str) -> tuple[int, dict, str]:
        """(status, body, what to do after answering: "" / "hold" / "drop")."""
        refused = self.failing("Cổng tạm thời không nhận (giả lập).") or self.refused(SCHEMA, message, idempotency_key)
        if refused is not None:
            return *refused, ""
        with self.lock:
            message_id = message["message_id"]
            entry = self.by_id.get(message_id)
            if entry is not None:
                entry["deliveries"] += 1
                return 200, {"accepted": True, "duplicate": True, "message_id": message_id}, ""
            code, sequence = message["MaHoSo"], message["sequence"]
            held = self.state.get(code)
            out_of_order = held is not None and sequence <= held["sequence"]
            entry = {
                "message_id": message_id,
                "kind": "sync",
                "dossier_code": code,
                "status_code": message["TrangThaiHoSo"],
                "sequence": sequence,
                "action": message["event"]["action"],
                "steps": len(message["QuaTrinhXuLy"]),
                "out_of_order": out_of_order,
                "deliveries": 1,
                "received_at": datetime.now(UTC).isoformat(),
            }
            self.received.append(entry)
            self.by_id[message_id] = entry
            if not out_of_order:
                self.state[code] = {
                    "MaHoSo": code,
                    "TrangThaiHoSo": message["TrangThaiHoSo"],
                    "sequence": sequence,
                    "MaCoQuan": message["MaCoQuan"],
                    "message": message,
                }
            after = ""
            if self.drop_replies > 0:
                self.drop_replies -= 1
                after = "drop"
            elif self.hold_seconds > 0:
                after = "hold"
        return 200, {"accepted": True, "duplicate": False, "message_id": message_id}, after

    def inbox_items(self) -> list[dict]:
        """Dossiers not acknowledged yet; with duplicate_callbacks, each one twice (a portal that repeats); with
        out_of_order, newest first (a portal that does not keep the filing order)."""
        with self.lock:
            pending = [item for item in self.inbox if item["MaHoSoQG"] not in self.acks]
            if self.out_of_order:
                pending.reverse()
            return [copy for item in pending for copy in ([item, item] if self.duplicate_callbacks else [item])]

    def take_ack(self, message, idempotency_key: str) -> tuple[int, dict]:
        refused = self.refused("dvcqg_ack", message, idempotency_key)
        if refused is not None:
            return refused
        with self.lock:
            entry = self.by_id.get(message["message_id"])
            if entry is not None:
                entry["deliveries"] += 1
                return 200, {"accepted": True, "duplicate": True}
            entry = {
                "message_id": message["message_id"],
                "kind": "ack",
                "national_id": message["MaHoSoQG"],
                "dossier_code": message.get("MaHoSo", ""),
                "status_code": None,
                "result": message["KetQua"],
                "reason": message.get("LyDo", ""),
                "sequence": message["sequence"],
                "deliveries": 1,
                "received_at": datetime.now(UTC).isoformat(),
            }
            self.received.append(entry)
            self.by_id[entry["message_id"]] = entry
            self.acks.setdefault(message["MaHoSoQG"], entry)
        return 200, {"accepted": True, "duplicate": False}

    def extension_answer(self, method: str, url, raw: bytes, headers) -> tuple[int, dict] | None:
        for extension in self.extensions:
            answered = extension.answer(method, url.path, url.query, raw, headers)
            if answered is not None:
                return answered
        return None

    def state_items(self) -> list[dict]:
        with self.lock:
            return [
                {"MaHoSo": s["MaHoSo"], "TrangThaiHoSo": s["TrangThaiHoSo"], "sequence": s["sequence"], "MaCoQuan": s["MaCoQuan"]}
                for s in self.state.values()
            ]


class _Handler(FakeHandler):
    server_version = "FakeDVCQG/1"
    realm = "dvcqg"

    def do_GET(self):  # noqa: N802 - http.server's name
        url = urlsplit(self.path)
        with self.fake.lock:
            self.fake.requests += 1
        if url.path == "/_received":
            with self.fake.lock:
                return self._answer(200, [dict(e) for e in self.fake.received])
        if url.path == "/_rejected":
            with self.fake.lock:
                return self._answer(200, list(self.fake.rejected))
        if url.path == INBOX_PATH:
            if not self.fake.authorised(self.headers.get("Authorization", "")):
                return self._answer(401, {"error": "invalid_token"})
            return self._answer(200, {"items": self.fake.inbox_items()})
        if url.path == STATE_PATH:
            if not self.fake.authorised(self.headers.get("Authorization", "")):
                return self._answer(401, {"error": "invalid_token"})
            since = parse_qs(url.query).get("since", [""])[0]
            items = self.fake.state_items()
            return self._answer(200, {"since": since, "items": items})
        answered = self.fake.extension_answer("GET", url, b"", self.headers)
        if answered is not None:
            return self._answer(*answered)
        return self._answer(404, {"error": "not_found"})

    def do_POST(self):  # noqa: N802 - http.server's name
        url = urlsplit(self.path)
        raw = self._body()
        with self.fake.lock:
            self.fake.requests += 1
        if url.path == TOKEN_PATH:
            return self._token(raw)
        if url.path == "/_control":
            settings = self._control_settings(raw)
            if settings is ANSWERED:
                return None
            return self._answer(200, self.fake.control(**settings))
        if url.path == ACK_PATH:
            message = self._bearer_json(raw)
            if message is ANSWERED:
                return None
            return self._answer(*self.fake.take_ack(message, self.headers.get("Idempotency-Key", "")))
        if url.path == SYNC_PATH:
            message = self._bearer_json(raw)
            if message is ANSWERED:
                return None
            status, body, after = self.fake.take(message, self.headers.get("Idempotency-Key", ""))
            if self._dropped(after):
                return None
            return self._answer(status, body)
        answered = self.fake.extension_answer("POST", url, raw, self.headers)
        if answered is not None:
            return self._answer(*answered)
        return self._answer(404, {"error": "not_found"})


FakeNationalPortal.handler_class = _Handler
