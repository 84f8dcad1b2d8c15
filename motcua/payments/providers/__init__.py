"""The payment gateways behind one interface (docs/payments.md).

A provider builds the URL that sends the applicant to the gateway's payment page, reads (and verifies) the
gateway's notices — the server-to-server IPN and the browser's return — and words the answer the gateway
expects to an IPN. The services (payments.services) decide what a notice changes; a provider never touches
the database."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class Outcome(StrEnum):
    """What the merchant answers to a notice (the codes are the provider's to word)."""

    CONFIRMED = "confirmed"
    ORDER_NOT_FOUND = "order_not_found"
    ALREADY_CONFIRMED = "already_confirmed"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_SIGNATURE = "invalid_signature"
    OTHER = "other"


@dataclass(frozen=True)
class Order:
    """What the gateway is asked to collect."""

    txn_ref: str
    amount_vnd: int
    order_info: str
    return_url: str
    client_ip: str
    created_at: datetime
    # What a bill for the state budget names (the national platform's bill_info); VNPay needs none of it.
    dossier_code: str = ""
    procedure_code: str = ""
    procedure_name: str = ""
    agency_code: str = ""
    agency_name: str = ""
    payer_name: str = ""
    payer_id: str = ""
    payer_address: str = ""


@dataclass(frozen=True)
class Notice:
    """A notice from the gateway, read. `verified`: its signature holds (nothing else in it is believed
    otherwise). `success`: the gateway says the money was taken."""

    verified: bool
    txn_ref: str = ""
    amount_vnd: int | None = None
    success: bool = False
    transaction_no: str = ""
    response_code: str = ""
    bank_code: str = ""
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Lookup:
    """One of our payments, as the merchant asks the gateway about it (the reconciliation)."""

    txn_ref: str
    amount_vnd: int
    created_at: datetime


@dataclass(frozen=True)
class GatewayState:
    """A payment as the gateway's status query answers, its signature verified. `found`: the gateway knows the
    order; `paid`: it took the money; `status`: the gateway's own status code (shown in the listing)."""

    txn_ref: str
    found: bool
    paid: bool = False
    amount_vnd: int | None = None
    transaction_no: str = ""
    status: str = ""


class GatewayError(OSError):
    """The gateway could not be asked, refused the question, or its answer is not signed as it should be."""


class Provider(Protocol):
    name: str

    def configured(self) -> bool:
        """Whether the settings it needs are present (without them, online payment is off)."""

    def payment_url(self, order: Order) -> str:
        """The gateway's payment page for this order, signed."""

    def read_notice(self, params: dict[str, str]) -> Notice:
        """The notice's fields, with whether its signature holds."""

    def answer(self, outcome: Outcome) -> dict:
        """The body the gateway expects in answer to an IPN."""

    def query(self, lookup: Lookup) -> GatewayState:
        """The gateway's answer about one payment (its status query, signed both ways); GatewayError otherwise."""


def post_json(url: str, body: dict, *, timeout: float) -> dict:
    """POST a JSON body, read a JSON object back; GatewayError for anything else (HTTP error, not JSON)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - a configured URL
            answer = json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise GatewayError(f"{url}: {exc}") from exc
    if not isinstance(answer, dict):
        raise GatewayError(f"{url}: the answer is not a JSON object")
    return answer


def provider_for(name: str) -> Provider:
    from .paygov import PayGov
    from .vnpay import VNPay

    for provider in (VNPay, PayGov):
        if name == provider.name:
            return provider()
    raise LookupError(f"Unknown payment provider {name!r}")
