"""Run the local fake of the national portal's payment platform (motcua.payments.fakepaygov) until interrupted."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from motcua.payments.fakepaygov import FakePayGov


class Command(BaseCommand):
    help = (
        "Nền tảng thanh toán của Cổng Dịch vụ công quốc gia giả lập (tạo giao dịch, trang thanh toán, thông báo có ký, "
        "tra cứu) cho demo và kiểm thử."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8094)
        parser.add_argument("--notify-url", default="", help="mặc định SITE_URL + /thanh-toan/paygov/thong-bao/")
        parser.add_argument("--client-id", default="", help="mặc định PAYGOV_CLIENT_ID")
        parser.add_argument("--key-1", default="", help="mặc định PAYGOV_HASH_KEY_1")
        parser.add_argument("--key-2", default="", help="mặc định PAYGOV_HASH_KEY_2")

    def handle(self, *args, host, port, notify_url, client_id, key_1, key_2, **options):
        client_id = client_id or settings.PAYGOV_CLIENT_ID
        key_1, key_2 = key_1 or settings.PAYGOV_HASH_KEY_1, key_2 or settings.PAYGOV_HASH_KEY_2
        if not (client_id and key_1 and key_2):
            self.stderr.write(
                "PAYGOV_CLIENT_ID, PAYGOV_HASH_KEY_1 và PAYGOV_HASH_KEY_2 (hoặc --client-id, --key-1, --key-2) là bắt buộc."
            )
            raise SystemExit(2)
        fake = FakePayGov(
            client_id=client_id,
            key_1=key_1,
            key_2=key_2,
            notify_url=notify_url or settings.SITE_URL + reverse("payments:paygov-notify"),
            host=host,
            port=port,
        )
        self.stdout.write(f"Fake PayGov: {fake.url}/api/transaction/create (callbacks → {fake.notify_url}); Ctrl+C to stop.")
        fake.serve_until_interrupted()
