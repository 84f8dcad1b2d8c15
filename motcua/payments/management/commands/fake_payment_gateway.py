"""Run the local fake VNPay gateway (motcua.payments.fakegateway) until interrupted."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from motcua.payments.fakegateway import FakeVNPay


class Command(BaseCommand):
    help = "Cổng thanh toán VNPay giả lập (trang thanh toán, IPN có ký, truy vấn giao dịch querydr) cho demo và kiểm thử."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8093)
        parser.add_argument("--ipn-url", default="", help="IPN của motcua (mặc định SITE_URL + /thanh-toan/vnpay/ipn/)")
        parser.add_argument("--tmn-code", default="", help="mặc định VNPAY_TMN_CODE")
        parser.add_argument("--secret", default="", help="mặc định VNPAY_HASH_SECRET")

    def handle(self, *args, host, port, ipn_url, tmn_code, secret, **options):
        secret = secret or settings.VNPAY_HASH_SECRET
        tmn_code = tmn_code or settings.VNPAY_TMN_CODE
        if not secret or not tmn_code:
            self.stderr.write("VNPAY_HASH_SECRET và VNPAY_TMN_CODE (hoặc --secret, --tmn-code) là bắt buộc.")
            raise SystemExit(2)
        fake = FakeVNPay(
            secret=secret,
            tmn_code=tmn_code,
            ipn_url=ipn_url or settings.SITE_URL + reverse("payments:vnpay-ipn"),
            host=host,
            port=port,
        )
        self.stdout.write(f"Fake VNPay: {fake.payment_url} (IPN → {fake.ipn_url}); Ctrl+C to stop.")
        fake.serve_until_interrupted()
