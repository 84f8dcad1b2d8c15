from django.core.management.base import BaseCommand, CommandError

from motcua.core.selectors import audit_verify_chain


class Command(BaseCommand):
    help = "Kiểm tra chuỗi hash của nhật ký kiểm toán; báo lỗi (mã thoát khác 0) và nêu mục bị sửa hoặc xóa."

    def handle(self, *args, **options):
        problems = audit_verify_chain()
        if problems:
            for problem in problems:
                self.stderr.write(problem.message)
            raise CommandError(f"Nhật ký kiểm toán KHÔNG toàn vẹn: {len(problems)} lỗi.")
        self.stdout.write("Nhật ký kiểm toán toàn vẹn.")
