import json

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.integrations.fakes.postal import FakePostal


class Command(BaseCommand):
    help = (
        "Bưu chính công ích giả lập (máy chủ HTTP thật, cho kiểm thử và trình diễn): cấp token OAuth2, nhận đơn thu gom/"
        "chuyển phát (kiểm tra theo lược đồ, bỏ qua bản trùng), gửi callback hành trình có chữ ký HMAC về motcua, "
        "GET /_received, POST /_control để giả lập lỗi hoặc gửi sự kiện."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8091)
        parser.add_argument("--client-id", default="motcua")
        parser.add_argument("--client-secret", default="fake-postal-secret")
        parser.add_argument(
            "--callback-url", default="http://127.0.0.1:8000/buu-chinh/theo-doi/", help="Địa chỉ nhận callback của motcua"
        )
        parser.add_argument("--callback-secret", default="", help="Khóa HMAC chung (mặc định: POSTAL_CALLBACK_SECRET của motcua)")
        parser.add_argument(
            "--auto",
            choices=["off", "accepted", "delivered", "failed"],
            default="accepted",
            help="Tự gửi callback sau mỗi đơn: off, chỉ 'đã nhận đơn', hoặc cả hành trình đến phát thành công / chuyển hoàn",
        )
        parser.add_argument("--token-ttl", type=float, default=300, help="Thời hạn token (giây)")
        parser.add_argument("--verbose-log", action="store_true", help="In từng yêu cầu HTTP")

    def handle(
        self, *args, host, port, client_id, client_secret, callback_url, callback_secret, auto, token_ttl, verbose_log, **options
    ):
        fake = FakePostal(
            host=host,
            port=port,
            client_id=client_id,
            client_secret=client_secret,
            callback_url=callback_url,
            callback_secret=callback_secret or settings.POSTAL_CALLBACK_SECRET,
            token_ttl=token_ttl,
            quiet=not verbose_log,
        )
        fake.control(auto=auto != "off", auto_outcome="" if auto in ("off", "accepted") else auto)
        self.stdout.write(f"Bưu chính giả lập: http://{host}:{fake.port} (client_id={client_id}), callback → {callback_url}")
        self.stdout.write(
            "Gửi sự kiện: curl -s -X POST http://{}:{}/_control -d '{}'".format(
                host, fake.port, json.dumps({"send": {"order_code": "<mã đơn>", "status": 50}}, ensure_ascii=False)
            )
        )
        fake.serve_until_interrupted()
