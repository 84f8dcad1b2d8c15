from django.core.management.base import BaseCommand

from motcua.integrations.fakes.national_portal import FakeNationalPortal


class Command(BaseCommand):
    help = (
        "Cổng Dịch vụ công quốc gia giả lập (máy chủ HTTP thật, cho kiểm thử và trình diễn): cấp token OAuth2, nhận "
        "thông điệp đồng bộ hồ sơ (kiểm tra theo lược đồ, bỏ qua bản trùng), CSDL quốc gia về TTHC, Hệ thống PAKN quốc gia, "
        "GET /_received, POST /_control để giả lập lỗi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8090)
        parser.add_argument("--client-id", default="motcua")
        parser.add_argument("--client-secret", default="fake-portal-secret")
        parser.add_argument("--token-ttl", type=float, default=300, help="Thời hạn token (giây)")
        parser.add_argument("--verbose-log", action="store_true", help="In từng yêu cầu HTTP")

    def handle(self, *args, host, port, client_id, client_secret, token_ttl, verbose_log, **options):
        portal = FakeNationalPortal(
            host=host, port=port, client_id=client_id, client_secret=client_secret, token_ttl=token_ttl, quiet=not verbose_log
        )
        self.stdout.write(f"Cổng DVCQG giả lập: http://{host}:{portal.port} (client_id={client_id})")
        portal.serve_until_interrupted()
