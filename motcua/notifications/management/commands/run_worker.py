import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.core.services import audit_checkpoint_take
from motcua.integrations.services import deliver_due
from motcua.notifications.services import message_deliver_due


class Command(BaseCommand):
    help = (
        "Tiến trình nền: gửi thông báo trong hàng đợi (thư điện tử, SMS), thử lại khi lỗi, mỗi thư gửi nhiều nhất "
        "một lần; gửi thông điệp kết nối (Cổng DVCQG) theo thứ tự từng hồ sơ; "
        "định kỳ ghi điểm kiểm tra đã ký của nhật ký kiểm toán."
    )

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
        checkpoint_every = settings.AUDIT_CHECKPOINT_MINUTES * 60
        next_checkpoint = time.monotonic()  # one at start-up, then every AUDIT_CHECKPOINT_MINUTES
        while True:
            done = message_deliver_due()
            if any(done.values()):
                self.stdout.write(
                    f"đã gửi {done['sent']}, chờ thử lại {done['retry']}, thất bại {done['failed']}, "
                    f"chưa rõ đã gửi {done['in_doubt']}"
                )
            synced = deliver_due()  # the integration outbox (motcua.integrations): external systems
            if any(synced.values()):
                self.stdout.write(
                    f"kết nối: đã nhận {synced['delivered']}, chờ thử lại {synced['retry']}, chưa rõ {synced['in_doubt']}, "
                    f"thất bại {synced['dead']}, gửi lại sau khi tiến trình dừng {synced['reclaimed']}"
                )
            if checkpoint_every > 0 and time.monotonic() >= next_checkpoint:
                checkpoint = audit_checkpoint_take(only_if_changed=True)
                if checkpoint is not None:
                    self.stdout.write(f"điểm kiểm tra nhật ký: {checkpoint.count} mục, mục cuối #{checkpoint.last_entry_id}")
                next_checkpoint = time.monotonic() + checkpoint_every
            if once or stopping:
                return
            time.sleep(interval)
