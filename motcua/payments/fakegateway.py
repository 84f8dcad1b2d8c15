"""A local fake of the VNPay gateway (payment API 2.1.0) for the demo and the tests: a real HTTP server.

- `GET /paymentv2/vpcpay.html?vnp_...` checks the payment URL's signature and terminal code and shows a
  payment page with Approve / Decline buttons (400 with the reason when the URL is not valid).
- `POST /paymentv2/choose` (the buttons): signs the result's `vnp_*` parameters, sends the IPN to the
  merchant (GET, server to server, as VNPay does), then redirects the browser to `vnp_ReturnUrl` with the
  same signed parameters.
- `GET /_received`: JSON of everything it got (payment requests, choices, IPNs sent and their answers).
- `POST /merchant_webapi/api/transaction` with `vnp_Command=querydr` (JSON): VNPay's transaction query, the request's
  pipe-joined signature checked, the answer signed the same way (91 for an order it never saw, 94 for a request id
  seen before, 97 for a bad signature). What it answers comes from its ledger: an order is "01" (not completed) once
  its payment page was shown, then "00" or "02" by the applicant's choice. A test can make it disagree with motcua:
  `mark_paid` (paid here, no IPN sent: a lost notice) and `set_amount` (the ledger's amount differs).

Run on its own with `python manage.py fake_payment_gateway --port 8093`; tests start `FakeVNPay(port=0)`.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime

from motcua.core.validators import ascii_int
from motcua.integrations.fakes.base import FakeHandler

from .fakebase import PAGE, PaymentFake
from .providers.vnpay import ANSWER_HASH_FIELDS, QUERY_HASH_FIELDS, VIETNAM, pipe_sign, signature_holds, signed_query

REQUIRED = ("vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_Amount", "vnp_CurrCode", "vnp_TxnRef", "vnp_OrderInfo",
            "vnp_ReturnUrl", "vnp_IpAddr", "vnp_CreateDate", "vnp_Locale")  # fmt: skip


class FakeVNPay(PaymentFake):
    def __init__(self, *, secret: str, tmn_code: str, ipn_url: str, host: str = "127.0.0.1", port: int = 0) -> None:
        self.secret = secret
        self.tmn_code = tmn_code
        self.ipn_url = ipn_url
        self.received: list[dict] = []
        self.ledger: dict[str, dict] = {}  # vnp_TxnRef -> the transaction as the gateway knows it
        self.request_ids: set[str] = set()
        self.orders: dict[str, dict] = {}
        self.lock = threading.Lock()
        self._next_no = 14000000
        self.listen(host, port)

    @property
    def payment_url(self) -> str:
        return self.url + "/paymentv2/vpcpay.html"

    def transaction_no(self) -> str:
        with self.lock:
            self._next_no += 1
            return str(self._next_no)

    def check_order(self, params: dict[str, str]) -> str:
        """Why the payment URL is refused ("" when it is valid)."""
        missing = [k for k in REQUIRED if not params.get(k)]
        if missing:
            return "Thiếu tham số: " + ", ".join(missing)
        if not signature_holds(params, self.secret):
            return "Sai chữ ký (vnp_SecureHash)"
        if params["vnp_TmnCode"] != self.tmn_code:
            return "Mã website (vnp_TmnCode) không đúng"
        if params["vnp_Version"] != "2.1.0" or params["vnp_Command"] != "pay" or params["vnp_CurrCode"] != "VND":
            return "Phiên bản, lệnh hoặc loại tiền không hỗ trợ"
        if not ascii_int(params["vnp_Amount"]):  # None (not ASCII digits) or 0
            return "Số tiền không hợp lệ"
        return ""

    def result_params(self, order: dict[str, str], approve: bool) -> dict[str, str]:
        now = datetime.now(VIETNAM)
        return {
            "vnp_Amount": order["vnp_Amount"],
            "vnp_BankCode": "NCB" if approve else "VNPAY",
            "vnp_BankTranNo": ("VNP" + secrets.token_hex(4).upper()) if approve else "",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": order["vnp_OrderInfo"],
            "vnp_PayDate": now.strftime("%Y%m%d%H%M%S"),
            "vnp_ResponseCode": "00" if approve else "24",
            "vnp_TmnCode": order["vnp_TmnCode"],
            "vnp_TransactionNo": self.transaction_no() if approve else "0",
            "vnp_TransactionStatus": "00" if approve else "02",
            "vnp_TxnRef": order["vnp_TxnRef"],
        }

    def send_ipn(self, result: dict[str, str]) -> dict:
        url = self.ipn_url + ("&" if "?" in self.ipn_url else "?") + signed_query(result, self.secret)
        try:
            with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - the configured merchant URL
                status, body = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read().decode("utf-8", "replace")
        except OSError as exc:
            status, body = 0, str(exc)
        try:
            answer = json.loads(body)
        except ValueError:
            answer = {"raw": body[:500]}
        self.record("ipn", txn_ref=result["vnp_TxnRef"], status=status, answer=answer)
        return answer

    def book(self, result: dict[str, str]) -> None:
        with self.lock:
            self.ledger[result["vnp_TxnRef"]] = dict(result)

    def mark_paid(self, txn_ref: str, amount_vnd: int, *, transaction_no: str = "") -> str:
        """The gateway took the money for this order but motcua was never told (the IPN lost): for the tests."""
        order = {"vnp_Amount": str(amount_vnd * 100), "vnp_OrderInfo": "", "vnp_TmnCode": self.tmn_code, "vnp_TxnRef": txn_ref}
        result = self.result_params(order, approve=True)
        if transaction_no:
            result["vnp_TransactionNo"] = transaction_no
        self.book(result)
        return result["vnp_TransactionNo"]

    def set_amount(self, txn_ref: str, amount_vnd: int) -> None:
        with self.lock:
            self.ledger[txn_ref]["vnp_Amount"] = str(amount_vnd * 100)

    def querydr(self, body: dict) -> dict:
        """The answer to a querydr request, signed (unsigned only when the request's own signature fails)."""
        fields = QUERY_HASH_FIELDS
        body = {k: str(body.get(k, "")) for k in (*fields, "vnp_SecureHash")}
        answer = {"vnp_ResponseId": secrets.token_hex(16), "vnp_Command": "querydr", "vnp_TmnCode": self.tmn_code,
                  "vnp_TxnRef": body["vnp_TxnRef"]}  # fmt: skip
        missing = [k for k in fields if not body[k]]
        with self.lock:
            if missing:
                code, message = "03", "Invalid data format: " + ", ".join(missing)
            elif body["vnp_TmnCode"] != self.tmn_code:
                code, message = "02", "Merchant invalid"
            elif body["vnp_SecureHash"].lower() != pipe_sign(body, QUERY_HASH_FIELDS, self.secret):
                return {**answer, "vnp_ResponseCode": "97", "vnp_Message": "Invalid Checksum"}
            elif body["vnp_RequestId"] in self.request_ids:
                code, message = "94", "Duplicate request"
            elif body["vnp_TxnRef"] not in self.ledger:
                code, message = "91", "Transaction not found"
            else:
                code, message = "00", "QueryDR Success"
                t = self.ledger[body["vnp_TxnRef"]]
                answer.update({k: t.get(k, "") for k in ("vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                                                          "vnp_TransactionStatus", "vnp_OrderInfo")})  # fmt: skip
                answer["vnp_TransactionType"] = "01"
            self.request_ids.add(body["vnp_RequestId"])
        answer.update({"vnp_ResponseCode": code, "vnp_Message": message})
        answer["vnp_SecureHash"] = pipe_sign(answer, ANSWER_HASH_FIELDS, self.secret)
        return answer


class _Handler(FakeHandler):
    protocol_version = "HTTP/1.0"  # one request a connection, as before the shared base
    server_version = "FakeVNPay/2.1.0"

    def do_GET(self):  # noqa: N802 - http.server's name
        parsed = urllib.parse.urlsplit(self.path)
        params = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
        if parsed.path == "/paymentv2/vpcpay.html":
            return self._payment_page(params)
        if parsed.path == "/_received":
            with self.fake.lock:
                return self._answer(200, list(self.fake.received))
        return self._send(404, PAGE.format(title="Không tìm thấy", body=""))

    def do_POST(self):  # noqa: N802
        parsed = urllib.parse.urlsplit(self.path)
        raw = self._body(limit=65536).decode("utf-8", "replace")
        if parsed.path == "/merchant_webapi/api/transaction":
            return self._merchant_api(raw)
        form = dict(urllib.parse.parse_qsl(raw))
        if parsed.path != "/paymentv2/choose":
            return self._send(404, PAGE.format(title="Không tìm thấy", body=""))
        with self.fake.lock:
            order = self.fake.orders.pop(form.get("order", ""), None)
        if order is None:
            return self._send(400, PAGE.format(title="Giao dịch không tồn tại hoặc đã xử lý", body=""))
        approve = form.get("choice") == "approve"
        self.fake.record("choice", txn_ref=order["vnp_TxnRef"], approve=approve)
        result = self.fake.result_params(order, approve)
        self.fake.book(result)
        self.fake.send_ipn(result)
        back = order["vnp_ReturnUrl"] + ("&" if "?" in order["vnp_ReturnUrl"] else "?") + signed_query(result, self.fake.secret)
        return self._send(302, "", headers={"Location": back})

    def _payment_page(self, params: dict[str, str]) -> None:
        problem = self.fake.check_order(params)
        self.fake.record("payment_request", params=params, valid=not problem, problem=problem)
        if problem:
            return self._send(
                400, PAGE.format(title="Yêu cầu thanh toán không hợp lệ", body=f"<p id='problem'>{html.escape(problem)}</p>")
            )
        token = secrets.token_urlsafe(16)
        with self.fake.lock:
            self.fake.orders[token] = params
            self.fake.ledger.setdefault(
                params["vnp_TxnRef"],
                {"vnp_TxnRef": params["vnp_TxnRef"], "vnp_Amount": params["vnp_Amount"], "vnp_OrderInfo": params["vnp_OrderInfo"],
                 "vnp_TransactionStatus": "01", "vnp_TransactionNo": "0", "vnp_BankCode": "", "vnp_PayDate": ""},
            )  # fmt: skip
        amount = int(params["vnp_Amount"]) // 100
        body = (
            f"<p>Đơn vị: {html.escape(params['vnp_TmnCode'])}</p>"
            f"<p>Nội dung: <span id='order-info'>{html.escape(params['vnp_OrderInfo'])}</span></p>"
            f"<p>Mã giao dịch: {html.escape(params['vnp_TxnRef'])}</p>"
            f"<p>Số tiền: <strong id='amount'>{amount:,}</strong> VND</p>".replace(",", ".")
            + "<form method='post' action='/paymentv2/choose'>"
            f"<input type='hidden' name='order' value='{token}'>"
            "<button type='submit' name='choice' value='approve' id='approve'>Thanh toán</button> "
            "<button type='submit' name='choice' value='decline' id='decline'>Hủy giao dịch</button></form>"
        )
        return self._send(200, PAGE.format(title="Cổng thanh toán VNPAY (giả lập)", body=body))

    def _merchant_api(self, raw: str) -> None:
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if not isinstance(body, dict) or body.get("vnp_Command") != "querydr":
            return self._answer(400, {"vnp_ResponseCode": "03", "vnp_Message": "Invalid request"})
        answer = self.fake.querydr(body)
        self.fake.record("querydr", txn_ref=str(body.get("vnp_TxnRef", "")), code=answer["vnp_ResponseCode"], body=body)
        return self._answer(200, answer)


FakeVNPay.handler_class = _Handler
