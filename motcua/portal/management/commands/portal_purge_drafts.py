from django.core.management.base import BaseCommand

from motcua.portal.services import portal_drafts_purge


class Command(BaseCommand):
    help = "Xóa hồ sơ nháp trực tuyến đã hết hạn lưu giữ cùng các tệp của chúng (chạy hằng ngày)."

    def handle(self, *args, **options):
        count = portal_drafts_purge()
        self.stdout.write(f"Đã xóa {count} hồ sơ nháp hết hạn.")
