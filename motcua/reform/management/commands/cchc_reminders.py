from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.core.models import Agency
from motcua.reform.selectors import reminder_digest


def _line(prefix: str, title: str, deadline) -> str:
    return f"- {prefix}{title} (hạn {deadline:%d/%m/%Y})"


class Command(BaseCommand):
    help = (
        "Nhắc việc CCHC: gửi thư cho cán bộ của từng đơn vị về nhiệm vụ sắp đến hạn, nhiệm vụ quá hạn và kiến nghị quá hạn. "
        "Chạy hằng ngày (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="Tên viết tắt cơ quan (mặc định: mọi cơ quan)")
        parser.add_argument("--today", help="Ngày tính (YYYY-MM-DD), mặc định hôm nay")
        parser.add_argument("--days", type=int, default=5, help="Nhắc trước hạn bao nhiêu ngày làm việc")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ in ra, không gửi thư")

    def handle(self, *args, agency=None, today=None, days=5, dry_run=False, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError("--today phải có dạng YYYY-MM-DD.")
        agencies = Agency.objects.filter(short_name=agency) if agency else Agency.objects.all()
        sent = 0
        for ag in agencies:
            for item in reminder_digest(agency=ag, today=day, within_working_days=days):
                lines = [f"Nhắc việc cải cách hành chính ngày {day:%d/%m/%Y} — {item['unit'].name}", ""]
                if item["overdue"]:
                    lines += ["Nhiệm vụ quá hạn:"] + [_line("", t.title, t.deadline) for t in item["overdue"]] + [""]
                if item["due_soon"]:
                    lines += (
                        [f"Nhiệm vụ sắp đến hạn ({days} ngày làm việc):"]
                        + [_line("", t.title, t.deadline) for t in item["due_soon"]]
                        + [""]
                    )
                if item["recommendations"]:
                    lines += ["Kiến nghị của đoàn kiểm tra quá hạn:"] + [
                        _line("", r.content, r.deadline) for r in item["recommendations"]
                    ]
                body = "\n".join(lines)
                self.stdout.write(body + "\n")
                if item["emails"] and not dry_run:
                    send_mail(f"[CCHC] Nhắc việc — {item['unit'].name}", body, settings.DEFAULT_FROM_EMAIL, item["emails"])
                    sent += 1
        self.stdout.write(f"Đã gửi {sent} thư nhắc việc.")
