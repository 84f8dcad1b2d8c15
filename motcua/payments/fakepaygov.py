"""A local fake of the national portal's payment platform ("PayGov", as modelled in providers/paygov.py) for the
demo and the tests: a real HTTP server.

- `POST /api/transaction/create` (JSON): checks client id and check_sum (key 1), keeps the transaction and answers
  `{"error": "0", "msg", "payment_url"}` (error "2" for a bad check_sum, "3" for missing fields, "4" for a
  transaction id seen before).
- `GET /thanh-toan/<token>`: the payment page, with **Thanh toán** and **Hủy giao dịch**; `POST /thanh-toan/chon`
  records the choice, POSTs the signed callback (key 2) to the merchant's notify URL, then sends the browser to the
  transaction's return_url.
- `POST /api/transaction/detail` (JSON): the status query (check_sum with key 1 over client_id|command|
  transaction_id), answered with the transaction's fields signed like the callback (error "1": unknown).
- `GET /_received`: JSON of everything it got. `mark_paid` and `set_amount` make it disagree with motcua (tests).

Run on its own with `python manage.py fake_paygov --port 8094`; tests start `FakePayGov(port=0)`.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import urllib.parse

from motcua.integrations.fakes.base import FakeHandler

from .fakebase import PAGE, PaymentFake
from .providers import GatewayError, post_json
from .providers.paygov import CREATE_HASH_FIELDS, DETAIL_HASH_FIELDS, checksum, checksum_holds

REQUIRED = ("client_id", "transaction_id", "trans_amount", "command", "version", "return_url", "addition_fee")
ECHOED = ("client_id", "transaction_id", "trans_amount", "command", "version", "addition_fee", "description", "locale",
          "country_code", "currency_code", "environment")  # fmt: skip


class FakePayGov(PaymentFake):
    def __init__(self, *, client_id: str, key_1: str, key_2: str, notify_url: str, host: str = "127.0.0.1", port: int = 0):
        self.client_id, self.key_1, self.key_2, self.notify_url = client_id, key_1, key_2, notify_url
        self.received: list[dict] = []
        self.transactions: dict[str, dict] = {}  # transaction_id -> the transaction as the platform knows it
        self.pages: dict[str, str] = {}  # page token -> transaction_id
        self.lock = threading.Lock()
        self._next_code = 88000000
        self.listen(host, port)

    def _signed(self, t: dict, **extra) -> dict:
        data = {**{k: t.get(k, "") for k in (*ECHOED, "transaction_code", "payment_fee", "status")}, **extra}
        data["check_sum"] = checksum(data, CREATE_HASH_FIELDS, self.key_2)
        return data

    def create(self, body: dict) -> dict:
        missing = [k for k in REQUIRED if not str(body.get(k, ""))]
        if missing:
            return {"error": "3", "msg": "missing: " + ", ".join(missing)}
        if str(body["client_id"]) != self.client_id or not checksum_holds(body, CREATE_HASH_FIELDS, self.key_1):
            return {"error": "2", "msg": "check_sum invalid"}
        with self.lock:
            if body["transaction_id"] in self.transactions:
                return {"error": "4", "msg": "transaction_id exists"}
            token = secrets.token_urlsafe(16)
            self.transactions[body["transaction_id"]] = {**{k: str(body.get(k, "")) for k in ECHOED},
                                                         "return_url": body["return_url"], "bill_info": body.get("bill_info"),
                                                         "status": "1", "transaction_code": "", "payment_fee": "0"}  # fmt: skip
            self.pages[token] = body["transaction_id"]
        return {"error": "0", "msg": "success", "payment_url": f"{self.url}/thanh-toan/{token}"}

    def settle(self, transaction_id: str, approve: bool) -> dict:
        with self.lock:
            t = self.transactions[transaction_id]
            self._next_code += 1
            t["status"] = "0" if approve else "2"
            t["transaction_code"] = f"DVC{self._next_code}" if approve else ""
            return dict(t)

    def send_callback(self, t: dict) -> dict:
        try:
            answer = post_json(self.notify_url, self._signed(t), timeout=20)
        except GatewayError as exc:
            answer = {"error": str(exc)}
        self.record("callback", transaction_id=t["transaction_id"], answer=answer)
        return answer

    def mark_paid(self, transaction_id: str, amount_vnd: int) -> str:
        """The platform took the money but motcua was never told (a lost callback): for the tests."""
        with self.lock:
            if transaction_id not in self.transactions:
                self.transactions[transaction_id] = {"client_id": self.client_id, "transaction_id": transaction_id,
                                                     "trans_amount": str(amount_vnd), "command": "PAY", "version": "3.0",
                                                     "addition_fee": "0"}  # fmt: skip
        return self.settle(transaction_id, approve=True)["transaction_code"]

    def set_amount(self, transaction_id: str, amount_vnd: int) -> None:
        with self.lock:
            self.transactions[transaction_id]["trans_amount"] = str(amount_vnd)

    def detail(self, body: dict) -> dict:
        if str(body.get("client_id")) != self.client_id or not checksum_holds(body, DETAIL_HASH_FIELDS, self.key_1):
            return {"error": "2", "msg": "check_sum invalid"}
        with self.lock:
            t = self.transactions.get(str(body.get("transaction_id", "")))
            t = dict(t) if t else None
        if t is None:
            unknown = {"client_id": self.client_id, "transaction_id": str(body.get("transaction_id", "")), "command": "PAY"}
            return self._signed(unknown, error="1", msg="transaction not found")
        return self._signed(t, error="0", msg="success")


class _Handler(FakeHandler):
    protocol_version = "HTTP/1.0"  # one request a connection, as before the shared base
    server_version = "FakePayGov/3.0"

    def do_GET(self):  # noqa: N802 - http.server's name
        path = urllib.parse.urlsplit(self.path).path
        if path == "/_received":
            with self.fake.lock:
                return self._answer(200, list(self.fake.received))
        if path.startswith("/thanh-toan/"):
            return self._page(path.removeprefix("/thanh-toan/"))
        return self._send(404, PAGE.format(title="Không tìm thấy", body=""))

    def do_POST(self):  # noqa: N802
        path = urllib.parse.urlsplit(self.path).path
        raw = self._body(limit=65536).decode("utf-8", "replace")
        if path == "/thanh-toan/chon":
            return self._choose(dict(urllib.parse.parse_qsl(raw)))
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return self._answer(400, {"error": "3", "msg": "not a JSON object"})
        if path == "/api/transaction/create":
            answer = self.fake.create(body)
            self.fake.record("create", body=body, answer=answer)
            return self._answer(200, answer)
        if path == "/api/transaction/detail":
            answer = self.fake.detail(body)
            self.fake.record("detail", body=body, error=answer.get("error"))
            return self._answer(200, answer)
        return self._answer(404, {"error": "404", "msg": "not found"})

    def _page(self, token: str) -> None:
        with self.fake.lock:
            transaction_id = self.fake.pages.get(token)
            t = dict(self.fake.transactions.get(transaction_id) or {})
        if not t:
            return self._send(404, PAGE.format(title="Giao dịch không tồn tại", body=""))
        bill = t.get("bill_info") or {}
        amount = f"{int(t['trans_amount']):,}".replace(",", ".")
        body = (
            f"<p>Hồ sơ: <span id='dossier'>{html.escape(str(bill.get('MaHoSo', '')))}</span></p>"
            f"<p>Cơ quan: {html.escape(str(bill.get('TenDonVi', '')))}</p>"
            f"<p>Nội dung: {html.escape(t.get('description', ''))}</p>"
            f"<p>Số tiền: <strong id='amount'>{amount}</strong> VND</p>"
            "<form method='post' action='/thanh-toan/chon'>"
            f"<input type='hidden' name='page' value='{html.escape(token)}'>"
            "<button type='submit' name='choice' value='approve' id='approve'>Thanh toán</button> "
            "<button type='submit' name='choice' value='decline' id='decline'>Hủy giao dịch</button></form>"
        )
        return self._send(200, PAGE.format(title="Nền tảng thanh toán - Cổng Dịch vụ công quốc gia (giả lập)", body=body))

    def _choose(self, form: dict) -> None:
        with self.fake.lock:
            transaction_id = self.fake.pages.pop(form.get("page", ""), None)
        if transaction_id is None:
            return self._send(400, PAGE.format(title="Giao dịch không tồn tại hoặc đã xử lý", body=""))
        approve = form.get("choice") == "approve"
        self.fake.record("choice", transaction_id=transaction_id, approve=approve)
        t = self.fake.settle(transaction_id, approve)
        self.fake.send_callback(t)
        return self._send(302, "", headers={"Location": t["return_url"]})


FakePayGov.handler_class = _Handler
