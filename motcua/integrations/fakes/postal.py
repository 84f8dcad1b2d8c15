"""A local fake of the postal operator (public postal service, BCCI; modelled on the public shape of the
VNPost order API), a real HTTP server for tests and the demo: `python manage.py fake_postal --port 8091`, or
`FakePostal(port=0).start()` in a test. It speaks the protocol of docs/integrations.md ("Postal service"):

- `POST /oauth2/token` — OAuth2 client credentials (HTTP Basic or form fields), as the national portal's fake;
- `POST /api/v1/orders` — one pickup or delivery order; 401 without a valid token, 400 with the schema's
  complaints when it does not validate against motcua/integrations/schemas/postal_order.json (or its
  `Idempotency-Key` differs from its `message_id`), 200 `{"OrderCode", "ItemCode"}` otherwise. Idempotent on
  the message ID (a copy: `{"duplicate": true}`, the same ItemCode, nothing changes);
- tracking callbacks: `POST <callback_url>` with a tracking event (schema postal_tracking_event.json) signed
  with HMAC-SHA256 of "<X-Postal-Timestamp>.<body>" under the shared secret (`X-Postal-Signature`, hex). Sent on
  command (`/_control` `send`) or automatically after each order (`auto`: accepted; `auto_outcome`
  "delivered" or "failed": the whole journey);
- `GET /_received` — one entry per order taken (message_id, kind "order", dossier_code, order_code, order_type,
  item_code, status_code (the last tracking status sent, or null), sequence, deliveries, received_at);
  `GET /_rejected` — refused messages with the reasons; `GET /_callbacks` — every callback sent and the answer;
- `POST /_control` (JSON) — `fail_next` requests answered `fail_status` (default 503) without taking them;
  `hold_seconds` (take an order, then wait before answering: client time-outs); `drop_replies` N (take the
  order and close the connection: the client re-sends, a duplicate); `expire_tokens`; `callback_url`,
  `callback_secret`; `auto`, `auto_outcome`; `duplicate_callbacks` (every callback sent twice); `out_of_order`
  (a journey's events sent newest first); `send` {"order_code", "status": 10|20|30|50|60, "note"} (one
  callback now; the answer is returned); `reset`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import socket
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import requests

from motcua.integrations import schemas

SCHEMA = "postal_order"
EVENT_SCHEMA = "postal_tracking_event"
ORDERS_PATH = "/api/v1/orders"
TOKEN_PATH = "/oauth2/token"
STATUS_NAMES = {
    10: "Đã nhận đơn",
    20: "Đã nhận bưu gửi",
    30: "Đang vận chuyển",
    50: "Phát thành công",
    60: "Phát không thành công, chuyển hoàn",
}
JOURNEYS = {"delivered": [10, 20, 30, 50], "failed": [10, 20, 30, 60]}
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The operator's callback signature (motcua.dossiers.postal.signature checks the same)."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class FakePostal:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        client_id: str = "motcua",
        client_secret: str = "fake-postal-secret",
        callback_url: str = "",
        callback_secret: str = "",
        token_ttl: float = 300,
        quiet: bool = True,
    ):
        self.client_id, self.client_secret, self.token_ttl, self.quiet = client_id, client_secret, token_ttl, quiet
        self.lock = threading.Lock()
        self.connections: set = set()
        self.reset()
        self.callback_url, self.callback_secret = callback_url, callback_secret
        self.server = ThreadingHTTPServer((host, port), _Handler)
        self.server.daemon_threads = True
        self.server.postal = self
        self.thread: threading.Thread | None = None

    def reset(self) -> None:
        with getattr(self, "lock", threading.Lock()):
            self.tokens: dict[str, float] = {}
            self.received: list[dict] = []
            self.by_id: dict[str, dict] = {}
            self.orders: dict[str, dict] = {}  # OrderCode -> the entry in received
            self.rejected: list[dict] = []
            self.callbacks: list[dict] = []
            self.fail_next, self.fail_status, self.hold_seconds, self.drop_replies = 0, 503, 0.0, 0
            self.auto, self.auto_outcome = False, ""
            self.duplicate_callbacks = self.out_of_order = False
            self.items_issued = 0

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakePostal:
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop listening (connections are refused from now on); what was received is kept."""
        self.server.shutdown()
        self.server.server_close()
        with self.lock:
            open_connections, self.connections = list(self.connections), set()
        for sock in open_connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def restart(self) -> FakePostal:
        """Listen again on the same port, with what was received before the outage."""
        host, port = self.server.server_address[:2]
        self.server = ThreadingHTTPServer((host, port), _Handler)
        self.server.daemon_threads = True
        self.server.postal = self
        return self.start()

    def control(self, **settings) -> dict:
        if settings.get("reset"):
            self.reset()
        with self.lock:
            for name in ("fail_next", "fail_status", "drop_replies"):
                if name in settings:
                    setattr(self, name, int(settings[name]))
            if "hold_seconds" in settings:
                self.hold_seconds = float(settings["hold_seconds"])
            if settings.get("expire_tokens"):
                self.tokens.clear()
            for name in ("callback_url", "callback_secret", "auto_outcome"):
                if name in settings:
                    setattr(self, name, str(settings[name] or ""))
            for name in ("auto", "duplicate_callbacks", "out_of_order"):
                if name in settings:
                    setattr(self, name, bool(settings[name]))
        answer: dict = {"fail_next": self.fail_next, "auto": self.auto, "auto_outcome": self.auto_outcome}
        if settings.get("send"):
            order = settings["send"]
            answer["sent"] = self.send_events(order["order_code"], [int(order["status"])], note=order.get("note", ""))
        return answer

    # --- the protocol ---

    def issue_token(self, client_id: str, client_secret: str, grant_type: str) -> tuple[int, dict]:
        if grant_type != "client_credentials":
            return 400, {"error": "unsupported_grant_type"}
        if not (secrets.compare_digest(client_id, self.client_id) and secrets.compare_digest(client_secret, self.client_secret)):
            return 401, {"error": "invalid_client"}
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = time.monotonic() + self.token_ttl
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
                return self.fail_status, {"error": "unavailable", "detail": "Bưu chính tạm thời không nhận (giả lập)."}, ""
        problems = schemas.errors(SCHEMA, message) if isinstance(message, dict) else ["(gốc): không phải đối tượng JSON"]
        if not problems and idempotency_key != message["message_id"]:
            problems = ["Idempotency-Key khác message_id"]
        if problems:
            with self.lock:
                self.rejected.append({"message": message, "errors": problems})
            return 400, {"error": "invalid_message", "errors": problems}, ""
        with self.lock:
            entry = self.by_id.get(message["message_id"])
            if entry is not None:
                entry["deliveries"] += 1
                return 200, {"OrderCode": entry["order_code"], "ItemCode": entry["item_code"], "duplicate": True}, ""
            self.items_issued += 1
            entry = {
                "message_id": message["message_id"],
                "kind": "order",
                "dossier_code": message["MaHoSo"],
                "order_code": message["OrderCode"],
                "order_type": message["OrderType"],
                "item_code": f"EB{self.items_issued:09d}VN",  # S10 shape: 2 letters, 8 digits + check digit, VN
                "status_code": None,
                "sequence": message["sequence"],
                "receiver": message["ReceiverFullname"],
                "deliveries": 1,
                "received_at": datetime.now(UTC).isoformat(),
            }
            self.received.append(entry)
            self.by_id[entry["message_id"]] = entry
            self.orders[entry["order_code"]] = entry
            after = ""
            if self.drop_replies > 0:
                self.drop_replies -= 1
                after = "drop"
            elif self.hold_seconds > 0:
                after = "hold"
            auto = self.auto and self.callback_url
            journey = JOURNEYS.get(self.auto_outcome, [10])
        if auto:  # the operator calls back on its own, after answering
            threading.Thread(target=self.send_events, args=(entry["order_code"], journey), daemon=True).start()
        return 200, {"OrderCode": entry["order_code"], "ItemCode": entry["item_code"], "duplicate": False}, after

    def event(self, order_code: str, status: int, *, note: str = "") -> dict:
        """One tracking event for an order taken before (its ItemCode), stamped now."""
        with self.lock:
            entry = self.orders.get(order_code)
        return {
            "EventId": str(uuid.uuid4()),
            "OrderCode": order_code,
            "ItemCode": entry["item_code"] if entry else "",
            "OrderStatusId": status,
            "StatusName": STATUS_NAMES[status],
            "TimeStamp": datetime.now(VIETNAM).strftime("%Y%m%d%H%M%S"),
            "Note": note,
        }

    def signed(self, event: dict, *, timestamp: int | None = None) -> tuple[bytes, dict]:
        """The callback's body and headers, as the operator sends them."""
        problems = schemas.errors(EVENT_SCHEMA, event)
        if problems:
            raise ValueError(problems)
        body = json.dumps(event, ensure_ascii=False).encode()
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "Content-Type": "application/json",
            "X-Postal-Timestamp": stamp,
            "X-Postal-Signature": sign(self.callback_secret, stamp, body),
        }
        return body, headers

    def send_events(self, order_code: str, statuses: list[int], *, note: str = "") -> list[dict]:
        """Send the events (in order, or newest first with out_of_order; each twice with duplicate_callbacks)
        to the callback URL; the answers, also kept in /_callbacks."""
        events = [self.event(order_code, status, note=note) for status in statuses]
        if self.out_of_order:
            events.reverse()
        answers = []
        for event in events:
            body, headers = self.signed(event)
            for _copy in range(2 if self.duplicate_callbacks else 1):
                try:
                    response = requests.post(self.callback_url, data=body, headers=headers, timeout=10)
                    answer = {"status": response.status_code, "body": response.text[:500]}
                except requests.RequestException as exc:
                    answer = {"status": None, "body": f"{type(exc).__name__}: {exc}"}
                record = {"event": event, **answer}
                with self.lock:
                    self.callbacks.append(record)
                    entry = self.orders.get(order_code)
                    if entry is not None and answer["status"] == 200:
                        entry["status_code"] = event["OrderStatusId"]
                answers.append(record)
        return answers


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeBCCI/1"

    @property
    def postal(self) -> FakePostal:
        return self.server.postal

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as the fake portal: no Nagle delay
        with self.postal.lock:
            self.postal.connections.add(self.connection)

    def finish(self):
        with self.postal.lock:
            self.postal.connections.discard(self.connection)
        super().finish()

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if not self.postal.quiet:
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
            self.send_header("WWW-Authenticate", 'Bearer realm="bcci"')
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 - http.server's name
        path = urlsplit(self.path).path
        with self.postal.lock:
            if path == "/_received":
                return self._answer(200, [dict(e) for e in self.postal.received])
            if path == "/_rejected":
                return self._answer(200, list(self.postal.rejected))
            if path == "/_callbacks":
                return self._answer(200, list(self.postal.callbacks))
        return self._answer(404, {"error": "not_found"})

    def do_POST(self):  # noqa: N802 - http.server's name
        path = urlsplit(self.path).path
        raw = self._body()
        if path == TOKEN_PATH:
            form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
            client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                try:
                    client_id, _sep, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
                except ValueError:
                    return self._answer(401, {"error": "invalid_client"})
            status, body = self.postal.issue_token(client_id, client_secret, form.get("grant_type", ""))
            return self._answer(status, body)
        if path == "/_control":
            try:
                settings = json.loads(raw or b"{}")
            except ValueError:
                return self._answer(400, {"error": "invalid_json"})
            try:
                return self._answer(200, self.postal.control(**settings))
            except (KeyError, TypeError, ValueError) as exc:
                return self._answer(400, {"error": "invalid_control", "detail": str(exc)})
        if path == ORDERS_PATH:
            if not self.postal.authorised(self.headers.get("Authorization", "")):
                return self._answer(401, {"error": "invalid_token"})
            try:
                message = json.loads(raw)
            except ValueError:
                return self._answer(400, {"error": "invalid_json"})
            status, body, after = self.postal.take(message, self.headers.get("Idempotency-Key", ""))
            if after == "drop":
                self.close_connection = True
                self.connection.shutdown(2)  # taken, but the client never hears it
                return None
            if after == "hold":
                time.sleep(self.postal.hold_seconds)
            return self._answer(status, body)
        return self._answer(404, {"error": "not_found"})
