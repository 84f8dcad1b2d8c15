"""VNPay (cổng thanh toán VNPAY), payment API version 2.1.0, as VNPay documents it for merchants.

- The payment URL: `VNPAY_PAYMENT_URL?vnp_...` with the order's `vnp_*` parameters, sorted by name, each
  value URL-encoded (`quote_plus`), joined with `&`; `vnp_SecureHash` is the HMAC-SHA512 (hex) of that query
  string keyed with the merchant's hash secret (`VNPAY_HASH_SECRET`).
- The notices (IPN to the merchant's server, and the browser's return URL) carry `vnp_*` parameters signed the
  same way; `vnp_SecureHash` and `vnp_SecureHashType` are left out of what is signed.
- The IPN answer: `{"RspCode": "00" | "01" | "02" | "04" | "97" | "99", "Message": ...}`; VNPay stops
  retrying on 00 and 02.
- Amounts travel as VND × 100; dates as yyyyMMddHHmmss in Vietnam time (GMT+7).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
import urllib.parse
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from motcua.core.validators import ascii_int

from . import GatewayError, GatewayState, Lookup, Notice, Order, Outcome, post_json

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
VERSION = "2.1.0"
HASH_FIELDS_LEFT_OUT = ("vnp_SecureHash", "vnp_SecureHashType")

ANSWERS = {
    Outcome.CONFIRMED: ("00", "Confirm Success"),
    Outcome.ORDER_NOT_FOUND: ("01", "Order not found"),
    Outcome.ALREADY_CONFIRMED: ("02", "Order already confirmed"),
    Outcome.INVALID_AMOUNT: ("04", "Invalid amount"),
    Outcome.INVALID_SIGNATURE: ("97", "Invalid signature"),
    Outcome.OTHER: ("99", "Unknow error"),  # sic: VNPay's own wording
}


def vnpay_time(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S")


def parse_vnpay_time(value: str) -> datetime:
    return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=VIETNAM)


def canonical_query(params: dict[str, str]) -> str:
    """The string VNPay signs: the vnp_* parameters but the hash, sorted by name, values URL-encoded."""
    items = sorted((k, str(v)) for k, v in params.items() if k.startswith("vnp_") and k not in HASH_FIELDS_LEFT_OUT)
    return "&".join(f"{k}={urllib.parse.quote_plus(v)}" for k, v in items)


def sign(params: dict[str, str], secret: str) -> str:
    return hmac.new(secret.encode(), canonical_query(params).encode(), hashlib.sha512).hexdigest()


def signature_holds(params: dict[str, str], secret: str) -> bool:
    given = str(params.get("vnp_SecureHash", "")).strip().lower()
    return bool(secret) and bool(given) and hmac.compare_digest(given, sign(params, secret))


def signed_query(params: dict[str, str], secret: str) -> str:
    return canonical_query(params) + "&vnp_SecureHash=" + sign(params, secret)


def order_info_text(text: str) -> str:
    """VNPay asks for order information in Vietnamese without diacritics and without special characters."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return "".join(c if c.isalnum() or c in " .-" else " " for c in plain)[:255].strip()


class VNPay:
    name = "vnpay"

    def __init__(self, *, tmn_code: str | None = None, secret: str | None = None, payment_url: str | None = None) -> None:
        self.tmn_code = settings.VNPAY_TMN_CODE if tmn_code is None else tmn_code
        self.secret = settings.VNPAY_HASH_SECRET if secret is None else secret
        self.url = settings.VNPAY_PAYMENT_URL if payment_url is None else payment_url

    def configured(self) -> bool:
        return bool(self.tmn_code and self.secret and self.url)

    def order_params(self, order: Order) -> dict[str, str]:
        return {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(order.amount_vnd * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": order.txn_ref,
            "vnp_OrderInfo": order_info_text(order.order_info),
            "vnp_OrderType": "other",
            "vnp_ReturnUrl": order.return_url,
            "vnp_IpAddr": order.client_ip or "127.0.0.1",
            "vnp_CreateDate": vnpay_time(order.created_at),
            "vnp_ExpireDate": vnpay_time(order.created_at + timedelta(minutes=settings.VNPAY_EXPIRE_MINUTES)),
            "vnp_Locale": "vn",
        }

    def payment_url(self, order: Order) -> str:
        return f"{self.url}?{signed_query(self.order_params(order), self.secret)}"

    def read_notice(self, params: dict[str, str]) -> Notice:
        params = {k: str(v) for k, v in params.items()}
        if not signature_holds(params, self.secret) or params.get("vnp_TmnCode") != self.tmn_code:
            return Notice(verified=False, txn_ref=params.get("vnp_TxnRef", "")[:40], raw=params)
        amount = params.get("vnp_Amount", "")
        cents = ascii_int(amount)
        amount_vnd = cents // 100 if cents is not None and cents % 100 == 0 else None
        return Notice(
            verified=True,
            txn_ref=params.get("vnp_TxnRef", "")[:40],
            amount_vnd=amount_vnd,
            success=params.get("vnp_ResponseCode") == "00" and params.get("vnp_TransactionStatus") == "00",
            transaction_no=params.get("vnp_TransactionNo", "")[:40],
            response_code=params.get("vnp_ResponseCode", "")[:8],
            bank_code=params.get("vnp_BankCode", "")[:20],
            raw=params,
        )

    def answer(self, outcome: Outcome) -> dict:
        code, message = ANSWERS[outcome]
        return {"RspCode": code, "Message": message}

    def query(self, lookup: Lookup) -> GatewayState:
        """VNPay's transaction query (vnp_Command=querydr): a JSON POST to VNPAY_API_URL signed over the
        pipe-joined fields of QUERY_HASH_FIELDS; the answer is verified over ANSWER_HASH_FIELDS (docs/payments.md)."""
        body = querydr_request(lookup, tmn_code=self.tmn_code, secret=self.secret, at=datetime.now(VIETNAM))
        answer = post_json(settings.VNPAY_API_URL, body, timeout=settings.VNPAY_TIMEOUT_SECONDS)
        if not answer_signature_holds(answer, self.secret):
            raise GatewayError(f"VNPay querydr {lookup.txn_ref}: the answer's signature does not hold")
        if str(answer.get("vnp_TmnCode", "")) != self.tmn_code or str(answer.get("vnp_TxnRef", "")) != lookup.txn_ref:
            raise GatewayError(f"VNPay querydr {lookup.txn_ref}: the answer is about another terminal or order")
        code = str(answer.get("vnp_ResponseCode", ""))
        if code == "91":  # Không tìm thấy giao dịch yêu cầu: the applicant never reached the payment page
            return GatewayState(txn_ref=lookup.txn_ref, found=False, status=code)
        if code != "00":
            raise GatewayError(f"VNPay querydr {lookup.txn_ref} refused: {code} {answer.get('vnp_Message', '')}")
        amount = str(answer.get("vnp_Amount", ""))
        status = str(answer.get("vnp_TransactionStatus", ""))
        return GatewayState(
            txn_ref=lookup.txn_ref,
            found=True,
            paid=status == "00" and str(answer.get("vnp_TransactionType", "01")) == "01",
            amount_vnd=cents // 100 if (cents := ascii_int(amount)) is not None else None,
            transaction_no=str(answer.get("vnp_TransactionNo", ""))[:40],
            status=status,
        )


# The transaction query (querydr), as VNPay's merchant API documents it
# (sandbox.vnpayment.vn/apis/docs/truy-van-hoan-tien/querydr&refund.html): the request and the answer are each
# signed with HMAC-SHA512 over their fields' values joined with "|" in this order (an absent field: empty).
QUERY_HASH_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate",
                     "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")  # fmt: skip
ANSWER_HASH_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
                      "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
                      "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount")  # fmt: skip


def pipe_sign(data: dict, fields: tuple[str, ...], secret: str) -> str:
    text = "|".join("" if data.get(f) is None else str(data.get(f)) for f in fields)
    return hmac.new(secret.encode(), text.encode("utf-8"), hashlib.sha512).hexdigest()


def answer_signature_holds(answer: dict, secret: str) -> bool:
    given = str(answer.get("vnp_SecureHash", "")).strip().lower()
    return bool(secret) and bool(given) and hmac.compare_digest(given, pipe_sign(answer, ANSWER_HASH_FIELDS, secret))


def querydr_request(lookup: Lookup, *, tmn_code: str, secret: str, at: datetime) -> dict:
    body = {
        "vnp_RequestId": secrets.token_hex(16),  # unique per request (VNPay refuses one seen the same day: 94)
        "vnp_Version": VERSION,
        "vnp_Command": "querydr",
        "vnp_TmnCode": tmn_code,
        "vnp_TxnRef": lookup.txn_ref,
        "vnp_OrderInfo": f"Truy van giao dich {lookup.txn_ref}",
        "vnp_TransactionDate": vnpay_time(lookup.created_at),  # the payment URL's vnp_CreateDate
        "vnp_CreateDate": vnpay_time(at),
        "vnp_IpAddr": settings.VNPAY_QUERY_IP_ADDR,
    }
    body["vnp_SecureHash"] = pipe_sign(body, QUERY_HASH_FIELDS, secret)
    return body
