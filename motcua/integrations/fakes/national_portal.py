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

import base64
import json
import secrets
import socket
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from motcua.integrations import schemas

from .national_catalog import FakeProcedureDatabase
from .national_pakn import FakePaknSystem

SCHEMA = "dvcqg_dossier_sync"
SYNC_PATH = "/api/hoso/dongbo"
STATE_PATH = "/api/hoso/trangthai"
INBOX_PATH = "/api/hoso/moi"
ACK_PATH = "/api/hoso/xacnhan"
TOKEN_PATH = "/oauth2/token"


class FakeNationalPortal:
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
        self.connections: set = set()
        self.extensions = [FakeProcedureDatabase(self), FakePaknSystem(self)]
        self.reset()
        self.server = ThreadingHTTPServer((host, port), _Handler)
        self.server.daemon_threads = True
        self.server.portal = self
        self.thread: threading.Thread | None = None

    def reset(self) -> None:
        with getattr(self, "lock", threading.Lock()):
            self.tokens: dict[str, float] = {}
            self.tokens_issued = 0
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

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeNationalPortal:
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop listening (connections are refused from now on); what was received is kept."""
        self.server.shutdown()
        self.server.server_close()
        with self.lock:
            open_connections, self.connections = list(self.connections), set()
        for sock in open_connections:  # kept-alive connections are cut too: the portal is gone
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def restart(self) -> FakeNationalPortal:
        """Listen again on the same port, with what was received before the outage."""
        host, port = self.server.server_address[:2]
        self.server = ThreadingHTTPServer((host, port), _Handler)
        self.server.daemon_threads = True
        self.server.portal = self
        return self.start()

    def control(self, **settings) -> dict:
        with self.lock:
            if settings.get("reset"):
                self.lock.release()
                try:
                    self.reset()
                finally:
                    self.lock.acquire()
            for name in ("fail_next", "fail_status", "drop_replies"):
                if name in settings:
                    setattr(self, name, int(settings[name]))
            if "hold_seconds" in settings:
                self.hold_seconds = float(settings["hold_seconds"])
            if settings.get("expire_tokens"):
                self.tokens.clear()
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

    def issue_token(self, client_id: str, client_secret: str, grant_type: str) -> tuple[int, dict]:
        if grant_type != "client_credentials":
            return 400, {"error": "unsupported_grant_type"}
        if not (secrets.compare_digest(client_id, self.client_id) and secrets.compare_digest(client_secret, self.client_secret)):
            return 401, {"error": "invalid_client"}
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = time.monotonic() + self.token_ttl
            self.tokens_issued += 1
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl}

    def authorised(self, header: str) -> bool:
        if not header.startswith("Bearer "):
            return False
        with self.lock:
            expires = self.tokens.get(header[7:])
        return expires is not None and time.monotonic() < expires

    def take(self, message, idempotency_key: str) -> tuple[int, dict, str]:
        """(status, body, what to do after answering: "" / "hold" / "drop")."""
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return self.fail_status, {"error": "unavailable", "detail": "Cổng tạm thời không nhận (giả lập)."}, ""
        problems = schemas.errors(SCHEMA, message) if isinstance(message, dict) else ["(gốc): không phải đối tượng JSON"]
        if not problems and idempotency_key != message["message_id"]:
            problems = ["Idempotency-Key khác message_id"]
        if problems:
            with self.lock:
                self.rejected.append({"message": message, "errors": problems})
            return 400, {"error": "invalid_message", "errors": problems}, ""
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
        problems = schemas.errors("dvcqg_ack", message) if isinstance(message, dict) else ["(gốc): không phải đối tượng JSON"]
        if not problems and idempotency_key != message["message_id"]:
            problems = ["Idempotency-Key khác message_id"]
        if problems:
            with self.lock:
                self.rejected.append({"message": message, "errors": problems})
            return 400, {"error": "invalid_message", "errors": problems}
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


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeDVCQG/1"

    @property
    def portal(self) -> FakeNationalPortal:
        return self.server.portal

    def setup(self):
        super().setup()
        # Headers and body leave in separate writes: without this, Nagle's algorithm and the client's delayed
        # ACK hold every answer back ~40 ms, and the fake, not motcua, would set the pace.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.portal.lock:
            self.portal.connections.add(self.connection)

    def finish(self):
        with self.portal.lock:
            self.portal.connections.discard(self.connection)
        super().finish()

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if not self.portal.quiet:
            super().log_message(format, *args)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _answer(self, status: int, body) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if status == 401:
            self.send_header("WWW-Authenticate", 'Bearer realm="dvcqg"')
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 - http.server's name
        url = urlsplit(self.path)
        with self.portal.lock:
            self.portal.requests += 1
        if url.path == "/_received":
            with self.portal.lock:
                return self._answer(200, [dict(e) for e in self.portal.received])
        if url.path == "/_rejected":
            with self.portal.lock:
                return self._answer(200, list(self.portal.rejected))
        if url.path == INBOX_PATH:
            if not self.portal.authorised(self.headers.get("Authorization", "")):
                return self._answer(401, {"error": "invalid_token"})
            return self._answer(200, {"items": self.portal.inbox_items()})
        if url.path == STATE_PATH:
            if not self.portal.authorised(self.headers.get("Authorization", "")):
                return self._answer(401, {"error": "invalid_token"})
            since = parse_qs(url.query).get("since", [""])[0]
            items = self.portal.state_items()
            return self._answer(200, {"since": since, "items": items})
        answered = self.portal.extension_answer("GET", url, b"", self.headers)
        if answered is not None:
            return self._answer(*answered)
        return self._answer(404, {"error": "not_found"})

    def do_POST(self):  # noqa: N802 - http.server's name
        url = urlsplit(self.path)
        raw = self._body()
        with self.portal.lock:
            self.portal.requests += 1
        if url.path == TOKEN_PATH:
            form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
            client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                try:
                    client_id, _sep, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
                except ValueError:
                    return self._answer(401, {"error": "invalid_client"})
            status, body = self.portal.issue_token(client_id, client_secret, form.get("grant_type", ""))
            return self._answer(status, body)
        if url.path == "/_control":
            try:
                settings = json.loads(raw or b"{}")
            except ValueError:
                return self._answer(400, {"error": "invalid_json"})
            return self._answer(200, self.portal.control(**settings))
        if url.path == ACK_PATH:
            if not self.portal.authorised(self.headers.get("Authorization", "")):
                return self._answer(401, {"error": "invalid_token"})
            try:
                message = json.loads(raw)
            except ValueError:
                return self._answer(400, {"error": "invalid_json"})
            status, body = self.portal.take_ack(message, self.headers.get("Idempotency-Key", ""))
            return self._answer(status, body)
        if url.path == SYNC_PATH:
            if not self.portal.authorised(self.headers.get("Authorization", "")):
                return self._answer(401, {"error": "invalid_token"})
            try:
                message = json.loads(raw)
            except ValueError:
                return self._answer(400, {"error": "invalid_json"})
            status, body, after = self.portal.take(message, self.headers.get("Idempotency-Key", ""))
            if after == "drop":
                self.close_connection = True
                self.connection.shutdown(2)  # taken, but the client never hears it
                return None
            if after == "hold":
                with self.portal.lock:
                    self.portal.holding += 1
                try:
                    time.sleep(self.portal.hold_seconds)
                finally:
                    with self.portal.lock:
                        self.portal.holding -= 1
            return self._answer(status, body)
        answered = self.portal.extension_answer("POST", url, raw, self.headers)
        if answered is not None:
            return self._answer(*answered)
        return self._answer(404, {"error": "not_found"})
