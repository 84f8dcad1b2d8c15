from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.national_inbound import pull


class Command(BaseCommand):
    help = (
        "Nhận hồ sơ nộp trên Cổng Dịch vụ công quốc gia (chạy định kỳ): kiểm tra, tiếp nhận thành hồ sơ trực tuyến "
        "của cơ quan có thẩm quyền, bỏ qua hồ sơ trùng, gửi xác nhận hoặc lý do từ chối về Cổng qua hàng đợi kết nối."
    )

    def handle(self, *args, **options):
        try:
            done = pull()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"tiếp nhận {done['accepted']}, từ chối {done['refused']}, trùng {done['duplicate']}, "
            f"không trả lời được {done['unanswerable']}"
        )
