from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core.selectors import audit_checkpoints, audit_verify_chain


class Command(BaseCommand):
    help = (
        "Kiểm tra nhật ký kiểm toán: HMAC và liên kết của từng mục, dòng đầu chuỗi và các điểm kiểm tra đã ký; "
        "báo lỗi (mã thoát khác 0) và nêu các mục bị sửa hoặc bị xóa."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            type=Path,
            default=None,
            help="Tệp điểm kiểm tra (JSON lines) dùng thay cho AUDIT_CHECKPOINT_FILE, ví dụ bản sao lưu giữ ngoài máy chủ",
        )

    def handle(self, *args, checkpoints=None, **options):
        if checkpoints is not None and not checkpoints.exists():
            raise CommandError(f"Không có tệp điểm kiểm tra {checkpoints}.")
        problems = audit_verify_chain(checkpoint_file=checkpoints)
        if problems:
            for problem in problems:
                self.stderr.write(problem.message)
            raise CommandError(f"Nhật ký kiểm toán KHÔNG toàn vẹn: {len(problems)} lỗi.")
        known, _ = audit_checkpoints(file=checkpoints)
        if known:
            newest = max(known, key=lambda c: c.count)
            self.stdout.write(
                f"Nhật ký kiểm toán toàn vẹn (khớp {len(known)} điểm kiểm tra, gần nhất lúc {newest.label}: {newest.count} mục)."
            )
        else:
            self.stdout.write("Nhật ký kiểm toán toàn vẹn (chưa có điểm kiểm tra nào: chạy manage.py audit_checkpoint).")
