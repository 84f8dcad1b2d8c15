from django.core.management.base import BaseCommand, CommandError

from motcua.feedback.national import pull


class Command(BaseCommand):
    help = (
        "Nhận phản ánh, kiến nghị từ Hệ thống PAKN quốc gia (chạy định kỳ): kiểm tra, đưa vào danh sách xử lý của cơ "
        "quan được gửi, bỏ qua bản trùng, báo tiếp nhận hoặc lý do từ chối về hệ thống quốc gia qua hàng đợi kết nối."
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
