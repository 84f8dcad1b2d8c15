import signal
import time

from django.core.management.base import BaseCommand

from motcua.notifications.services import message_deliver_due


class Command(BaseCommand):
    help = "Tiến trình nền: gửi thông báo trong hàng đợi (thư điện tử, SMS), thử lại khi lỗi."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Chạy một lượt rồi dừng")
        parser.add_argument("--interval", type=float, default=5.0, help="Số giây giữa hai lượt")

    def handle(self, *args, once, interval, **options):
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            done = message_deliver_due()
            if any(done.values()):
                self.stdout.write(f"đã gửi {done['sent']}, chờ thử lại {done['retry']}, thất bại {done['failed']}")
            if once or stopping:
                return
            time.sleep(interval)
