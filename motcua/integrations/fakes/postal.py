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

import hashlib
import hmac
import json
import threading
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import requests

from motcua.integrations import schemas

from .base import ANSWERED, TOKEN_PATH, FakeHandler, OAuthFake

SCHEMA = "postal_order"
EVENT_SCHEMA = "postal_tracking_event"
ORDERS_PATH = "/api/v1/orders"
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


class FakePostal(OAuthFake):
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
        self.reset()
        self.callback_url, self.callback_secret = callback_url, callback_secret
        self.listen(host, port)

    def reset(self) -> None:
        with getattr(self, "lock", threading.Lock()):
            self.reset_tokens()
            self.received: list[dict] = []
            self.by_id: dict[str, dict] = {}
            self.orders: dict[str, dict] = {}  # OrderCode -> the entry in received
            self.rejected: list[dict] = []
            self.callbacks: list[dict] = []
            self.fail_next, self.fail_status, self.hold_seconds, self.drop_replies = 0, 503, 0.0, 0
            self.auto, self.auto_outcome = False, ""
            self.duplicate_callbacks = self.out_of_order = False
            self.items_issued = 0

    def control(self, **settings) -> dict:
        if settings.get("reset"):
            self.reset()
        with self.lock:
            self.set_failure_modes(settings)
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

    def take(self, message, idempotency_key: str) -> tuple[int, dict, str]:
        """(status, body, what to do after answering: "" / "hold" / "drop")."""
        refused = self.failing("Bưu chính tạm thời không nhận (giả lập).") or self.refused(SCHEMA, message, idempotency_key)
        if refused is not None:
            return *refused, ""
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


class _Handler(FakeHandler):
    server_version = "FakeBCCI/1"
    realm = "bcci"

    def do_GET(self):  # noqa: N802 - http.server's name
        path = urlsplit(self.path).path
        with self.fake.lock:
            if path == "/_received":
                return self._answer(200, [dict(e) for e in self.fake.received])
            if path == "/_rejected":
                return self._answer(200, list(self.fake.rejected))
            if path == "/_callbacks":
                return self._answer(200, list(self.fake.callbacks))
        return self._answer(404, {"error": "not_found"})

    def do_POST(self):  # noqa: N802 - http.server's name
        path = urlsplit(self.path).path
        raw = self._body()
        if path == TOKEN_PATH:
            return self._token(raw)
        if path == "/_control":
            settings = self._control_settings(raw)
            if settings is ANSWERED:
                return None
            try:
                return self._answer(200, self.fake.control(**settings))
            except (KeyError, TypeError, ValueError) as exc:
                return self._answer(400, {"error": "invalid_control", "detail": str(exc)})
        if path == ORDERS_PATH:
            message = self._bearer_json(raw)
            if message is ANSWERED:
                return None
            status, body, after = self.fake.take(message, self.headers.get("Idempotency-Key", ""))
            if self._dropped(after):
                return None
            return self._answer(status, body)
        return self._answer(404, {"error": "not_found"})


FakePostal.handler_class = _Handler
