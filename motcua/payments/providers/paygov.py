"""The national public service portal's online payment platform (Nền tảng thanh toán trực tuyến của Cổng Dịch vụ
công quốc gia, "PayGov"), as far as its protocol is public.

No specification is published. What is modelled here is what the open-source OpenCPS one-stop shop sends and checks
(github.com/VietOpenCPS/opencps-v2, modules/pay-gate-integration: `PayGateIntegrationActionImpl.kpCreateTransaction`,
`kpViewDetailTransaction`, `kpCallBack`, `PayGateUtil.generateChecksum`, `PayGateTerm`), the client of the platform's
KeyPay connection (docs/payments.md, "The national payment platform", says what must be checked against the real
specification):

- Create: a JSON POST to PAYGOV_CREATE_URL with `client_id`, `transaction_id` (ours, at most 20 characters),
  `trans_amount` (VND), `command` ("PAY"), `version` ("3.0"), `description`, `locale`, `country_code`,
  `currency_code`, `environment` (1: web), `bill_info` (the state-budget bill: MaDichVu, MaHoSo, MaTTHC, TenTTHC,
  MaDonVi, TenDonVi, the beneficiary account, PhiLePhi and DSKhoanNop, the payer), `return_url`, `addition_fee`
  and `check_sum` = hex HMAC-SHA256, keyed with the client's first key, of
  `addition_fee|client_id|command|trans_amount|transaction_id|version`. The answer `{"error": "0", "msg",
  "payment_url"}` gives the page the applicant is sent to.
- Callback (notify): the platform POSTs JSON with the same fields plus `transaction_code` (its own number),
  `payment_fee` and `status` (0: paid); `check_sum` over the same six fields keyed with the second key. The merchant
  answers `{"return_code": 0 | -1, "return_msg": ...}`.
- Status query: a JSON POST to PAYGOV_DETAIL_URL with `client_id`, `transaction_id`, `command` and `check_sum` over
  `client_id|command|transaction_id` (first key). OpenCPS does not read the answer's fields; the answer is modelled
  as the callback's fields, signed the same way, with `error` "0" (found) or "1" (no such transaction).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from motcua.core.validators import ascii_int

from . import GatewayError, GatewayState, Lookup, Notice, Order, Outcome, post_json
from .vnpay import order_info_text

CREATE_HASH_FIELDS = ("addition_fee", "client_id", "command", "trans_amount", "transaction_id", "version")
DETAIL_HASH_FIELDS = ("client_id", "command", "transaction_id")
COMMAND = "PAY"

ANSWERS = {
    Outcome.CONFIRMED: (0, "success"),
    Outcome.ALREADY_CONFIRMED: (0, "already confirmed"),  # received: the platform need not send it again
    Outcome.ORDER_NOT_FOUND: (-1, "error: transaction not found"),
    Outcome.INVALID_AMOUNT: (-1, "error: invalid amount"),
    Outcome.INVALID_SIGNATURE: (-1, "error: check_sum invalid"),
    Outcome.OTHER: (-1, "error"),
}


def checksum(data: dict, fields: tuple[str, ...], key: str) -> str:
    text = "|".join("" if data.get(f) is None else str(data.get(f)) for f in fields)
    return hmac.new(key.encode(), text.encode("utf-8"), hashlib.sha256).hexdigest()


def checksum_holds(data: dict, fields: tuple[str, ...], key: str) -> bool:
    given = str(data.get("check_sum", "")).strip().lower()
    return bool(key) and bool(given) and hmac.compare_digest(given, checksum(data, fields, key))


class PayGov:
    name = "paygov"

    def __init__(self, *, client_id: str | None = None, key_1: str | None = None, key_2: str | None = None) -> None:
        self.client_id = settings.PAYGOV_CLIENT_ID if client_id is None else client_id
        self.key_1 = settings.PAYGOV_HASH_KEY_1 if key_1 is None else key_1
        self.key_2 = settings.PAYGOV_HASH_KEY_2 if key_2 is None else key_2

    def configured(self) -> bool:
        return bool(self.client_id and self.key_1 and self.key_2 and settings.PAYGOV_CREATE_URL)

    def transaction_body(self, order: Order) -> dict:
        description = order_info_text(order.order_info)
        amount = str(order.amount_vnd)
        body = {
            "client_id": self.client_id,
            "transaction_id": order.txn_ref[:20],
            "trans_amount": amount,
            "command": COMMAND,
            "version": settings.PAYGOV_VERSION,
            "description": description,
            "locale": "vn",
            "country_code": "VN",
            "currency_code": "VND",
            "environment": "1",
            "bill_info": {
                "MaDichVu": settings.PAYGOV_SERVICE_CODE,
                "MaHoSo": order.dossier_code,
                "MaTTHC": order.procedure_code,
                "TenTTHC": order.procedure_name,
                "MaDVC": order.procedure_code,
                "TenDVC": order.procedure_name,
                "MaDonVi": order.agency_code,
                "TenDonVi": order.agency_name,
                "MaCoQuanQD": order.agency_code,
                "TenCoQuanQD": order.agency_name,
                "TKThuHuong": settings.PAYGOV_BENEFICIARY_ACCOUNT,
                "MaNHThuHuong": settings.PAYGOV_BENEFICIARY_BANK,
                "TenTKThuHuong": settings.PAYGOV_BENEFICIARY_NAME,
                "PhiLePhi": [{"LoaiPhiLePhi": 2, "MaPhiLePhi": 2, "TenPhiLePhi": description, "SoTien": order.amount_vnd}],
                "NoiDungThanhToan": description,
                "HoTenNguoiNop": order.payer_name,
                "SoCMNDNguoiNop": order.payer_id,
                "DiaChiNguoiNop": order.payer_address,
                "DSKhoanNop": [{"NoiDung": description, "SoTien": amount}],
            },
            "return_url": order.return_url,
            "addition_fee": "0",
        }
        body["check_sum"] = checksum(body, CREATE_HASH_FIELDS, self.key_1)
        return body

    def payment_url(self, order: Order) -> str:
        """The platform's page for this order: the transaction is created server to server first."""
        answer = post_json(settings.PAYGOV_CREATE_URL, self.transaction_body(order), timeout=settings.PAYGOV_TIMEOUT_SECONDS)
        url = str(answer.get("payment_url") or "")
        if str(answer.get("error")) != "0" or not url.startswith(("https://", "http://")):
            raise GatewayError(f"PayGov create {order.txn_ref} refused: {answer.get('error')} {answer.get('msg', '')}")
        return url

    def read_notice(self, params: dict) -> Notice:
        params = {k: v for k, v in params.items() if not isinstance(v, (dict, list))}
        txn_ref = str(params.get("transaction_id", ""))[:40]
        if not checksum_holds(params, CREATE_HASH_FIELDS, self.key_2) or str(params.get("client_id")) != self.client_id:
            return Notice(verified=False, txn_ref=txn_ref, raw=params)
        amount = str(params.get("trans_amount", ""))
        status = str(params.get("status", ""))
        return Notice(
            verified=True,
            txn_ref=txn_ref,
            amount_vnd=ascii_int(amount),
            success=status == "0" and str(params.get("command")) == COMMAND,
            transaction_no=str(params.get("transaction_code", ""))[:40],
            response_code=status[:8],
            bank_code=str(params.get("bank_code", ""))[:20],
            raw=params,
        )

    def answer(self, outcome: Outcome) -> dict:
        code, message = ANSWERS[outcome]
        return {"return_code": code, "return_msg": message}

    def query(self, lookup: Lookup) -> GatewayState:
        body = {"client_id": self.client_id, "transaction_id": lookup.txn_ref[:20], "command": COMMAND}
        body["check_sum"] = checksum(body, DETAIL_HASH_FIELDS, self.key_1)
        answer = post_json(settings.PAYGOV_DETAIL_URL, body, timeout=settings.PAYGOV_TIMEOUT_SECONDS)
        if not checksum_holds(answer, CREATE_HASH_FIELDS, self.key_2):
            raise GatewayError(f"PayGov detail {lookup.txn_ref}: the answer's signature does not hold")
        if str(answer.get("client_id")) != self.client_id or str(answer.get("transaction_id")) != body["transaction_id"]:
            raise GatewayError(f"PayGov detail {lookup.txn_ref}: the answer is about another client or transaction")
        error = str(answer.get("error", ""))
        if error == "1":
            return GatewayState(txn_ref=lookup.txn_ref, found=False, status=error)
        if error != "0":
            raise GatewayError(f"PayGov detail {lookup.txn_ref} refused: {error} {answer.get('msg', '')}")
        amount, status = str(answer.get("trans_amount", "")), str(answer.get("status", ""))
        return GatewayState(
            txn_ref=lookup.txn_ref,
            found=True,
            paid=status == "0",
            amount_vnd=ascii_int(amount),
            transaction_no=str(answer.get("transaction_code", ""))[:40],
            status=status,
        )
