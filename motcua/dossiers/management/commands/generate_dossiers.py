import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.core.models import Agency
from motcua.dossiers.generate import generate_dossiers


class Command(BaseCommand):
    help = (
        "Sinh hồ sơ minh họa của các năm trước (mọi trạng thái, hình thức nộp, trước/đúng/trễ hạn, kèm dòng thời gian "
        "và nhật ký kiểm toán như các dịch vụ ghi) bằng ghi hàng loạt "
        "(COPY trên PostgreSQL) — dùng cho đo hiệu năng và thử báo cáo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="Số hồ sơ cần sinh")
        parser.add_argument("--year", type=int, action="append", help="Năm tiếp nhận (lặp lại được); mặc định 5 năm gần nhất")
        parser.add_argument("--agency", help="Mã định danh cơ quan (mặc định: cơ quan đầu tiên)")
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--batch", type=int, default=20000)
        parser.add_argument("--no-events", action="store_true", help="Không ghi dòng thời gian và nhật ký kiểm toán (nhanh hơn)")
        parser.add_argument("--since", type=date.fromisoformat, help="Chỉ sinh hồ sơ nhận từ ngày này (YYYY-MM-DD) đến nay")

    def handle(self, *args, count, year, agency, seed, batch, no_events, since, **options):
        if count <= 0:
            raise CommandError("--count phải lớn hơn 0")
        ag = Agency.objects.filter(code=agency).first() if agency else Agency.objects.order_by("id").first()
        if ag is None:
            raise CommandError("Không có cơ quan; hãy chạy seed_demo trước.")
        this_year = timezone.localdate().year
        years = year or list(range(this_year - 4, this_year + 1))
        if since is not None:
            years = list(range(since.year, this_year + 1))
        started = time.monotonic()
        try:
            n = generate_dossiers(
                agency=ag, count=count, years=years, seed=seed, batch=batch, events=not no_events, stdout=self.stdout, since=since
            )
        except ValueError as exc:
            raise CommandError(str(exc))
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sinh {n:,} hồ sơ cho {ag.code} ({', '.join(map(str, years))}) "
                f"trong {elapsed:.1f} s ({n / elapsed:,.0f} hồ sơ/s)."
            )
        )
