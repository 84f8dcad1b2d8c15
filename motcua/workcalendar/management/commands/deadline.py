from datetime import date

from django.core.management.base import BaseCommand, CommandError

from motcua.workcalendar.selectors import add_working_days


class Command(BaseCommand):
    help = "In ngày làm việc thứ DAYS sau START_DATE (ngày bắt đầu không tính). Ví dụ: deadline 2026-02-12 3 → 2026-02-24"

    def add_arguments(self, parser):
        parser.add_argument("start_date", help="YYYY-MM-DD")
        parser.add_argument("days", type=int)

    def handle(self, *args, start_date, days, **options):
        try:
            start = date.fromisoformat(start_date)
        except ValueError as exc:
            raise CommandError(f"Ngày không hợp lệ: {start_date} (cần YYYY-MM-DD)") from exc
        if days < 0:
            raise CommandError("Số ngày phải >= 0")
        self.stdout.write(add_working_days(start, days).isoformat())
