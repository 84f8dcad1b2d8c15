from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from motcua.core.services import audit_checkpoint_take


class Command(BaseCommand):
    help = (
        "Ghi một điểm kiểm tra đã ký (số mục, mục cuối, hash cuối chuỗi) của nhật ký kiểm toán vào bảng "
        "điểm kiểm tra và vào tệp AUDIT_CHECKPOINT_FILE."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-changed", action="store_true", help="Không ghi khi nhật ký không thay đổi từ điểm kiểm tra gần nhất"
        )

    def handle(self, *args, if_changed=False, **options):
        checkpoint = audit_checkpoint_take(only_if_changed=if_changed)
        if checkpoint is None:
            self.stdout.write("Nhật ký không thay đổi từ điểm kiểm tra gần nhất.")
            return
        self.stdout.write(
            f"Điểm kiểm tra lúc {timezone.localtime(checkpoint.taken_at):%d/%m/%Y %H:%M:%S}: {checkpoint.count} mục, "
            f"mục cuối #{checkpoint.last_entry_id}, hash {checkpoint.head_hash} "
            f"(đã ghi vào {settings.AUDIT_CHECKPOINT_FILE})."
        )
