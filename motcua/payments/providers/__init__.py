"""The payment gateways behind one interface (docs/payments.md).

A provider builds the URL that sends the applicant to the gateway's payment page, reads (and verifies) the
gateway's notices — the server-to-server IPN and the browser's return — and words the answer the gateway
expects to an IPN. The services (payments.services) decide what a notice changes; a provider never touches
the database."""

from __future__ import annotations

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
class GatewayTransaction:
    """A successful transaction as the gateway's daily report lists it."""

    txn_ref: str
    transaction_no: str
    amount_vnd: int
    paid_at: datetime


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

    def daily_report(self, day) -> list[GatewayTransaction]:
        """The gateway's successful transactions of a day (for the reconciliation)."""


def provider_for(name: str) -> Provider:
    from .vnpay import VNPay

    if name == VNPay.name:
        return VNPay()
    raise LookupError(f"Unknown payment provider {name!r}")
