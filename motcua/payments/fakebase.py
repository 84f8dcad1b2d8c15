"""What the payment gateways' fakes (fakegateway.py: VNPay; fakepaygov.py: the national payment platform) share
beyond the server plumbing of integrations/fakes/base.py: the log of what they got (`GET /_received`) and the
bare page their payment screens are drawn in."""

from __future__ import annotations

from datetime import datetime

from motcua.integrations.fakes.base import FakeServer

from .providers.vnpay import VIETNAM

PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>{title}</title></head>
<body><h1>{title}</h1>{body}</body></html>"""


class PaymentFake(FakeServer):
    received: list[dict]

    def record(self, kind: str, **data) -> None:
        with self.lock:
            self.received.append({"kind": kind, "at": datetime.now(VIETNAM).isoformat(), **data})
