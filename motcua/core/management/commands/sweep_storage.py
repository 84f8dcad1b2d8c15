from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.core.storage import sweep_orphans


class Command(BaseCommand):
    help = (
        "Xóa các tệp trong kho lưu trữ (đĩa hoặc object storage) không còn bản ghi nào tham chiếu và cũ hơn "
        "--older-than-minutes phút (mặc định MOTCUA_STORAGE_SWEEP_MINUTES): tệp của giao dịch đã hủy."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=None, help="Chỉ xóa tệp cũ hơn số phút này")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không xóa")

    def handle(self, *args, older_than_minutes=None, dry_run=False, **options):
        minutes = settings.MOTCUA_STORAGE_SWEEP_MINUTES if older_than_minutes is None else older_than_minutes
        names = sweep_orphans(older_than=timedelta(minutes=minutes), dry_run=dry_run)
        for name in names:
            self.stdout.write(name)
        verb = "sẽ bị xóa" if dry_run else "đã xóa"
        self.stdout.write(f"{len(names)} tệp không được tham chiếu, cũ hơn {minutes} phút: {verb}.")
