from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.core.models import Agency
from motcua.core.transitions import SYSTEM
from motcua.review.services import reminders_send


class Command(BaseCommand):
    help = (
        "Nhắc hạn rà soát thủ tục hành chính: xếp vào hàng đợi thông báo (e-mail/SMS) cho người phụ trách các thủ tục "
        "sắp đến hạn hoặc quá hạn rà soát. Chạy hằng ngày (cron); mỗi thủ tục được nhắc tối đa một lần một ngày."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="Tên viết tắt cơ quan (mặc định: mọi cơ quan)")
        parser.add_argument("--today", help="Ngày tính (YYYY-MM-DD), mặc định hôm nay")
        parser.add_argument("--days", type=int, default=None, help="Nhắc trước hạn bao nhiêu ngày (mặc định: REVIEW_REMIND_DAYS)")

    def handle(self, *args, agency=None, today=None, days=None, **options):
        from django.conf import settings

        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError("--today phải có dạng YYYY-MM-DD.")
        ag = None
        if agency:
            ag = Agency.objects.filter(short_name=agency).first()
            if ag is None:
                raise CommandError(f"Không có cơ quan {agency}.")
        days = settings.REVIEW_REMIND_DAYS if days is None else days
        n = reminders_send(actor=SYSTEM, today=day, within_days=days, agency=ag)
        self.stdout.write(f"Đã xếp lịch nhắc hạn rà soát cho {n} thủ tục.")
