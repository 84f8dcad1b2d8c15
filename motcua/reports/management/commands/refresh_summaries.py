from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.core.models import Agency
from motcua.core.selectors import agency_descendant_ids
from motcua.dossiers.models import Dossier
from motcua.dossiers.summaries import month_start, months_between
from motcua.reports.index766.summary import SUMMARIES, rebuild


def _month(text: str) -> date:
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError as e:
        raise CommandError(f"Tháng không hợp lệ: “{text}” (viết YYYY-MM).") from e


class Command(BaseCommand):
    help = (
        "Tính lại bảng tổng hợp theo tháng của thống kê một cửa và Chỉ số 766 (các tháng đã kết thúc), cho mọi cơ quan "
        "hoặc một cơ quan và các cơ quan cấp dưới. Dùng sau khi nạp dữ liệu hàng loạt; bình thường các tháng được tính "
        "lại tự động khi đọc (docs/index766.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--agency", default=None, help="Tên viết tắt của cơ quan (gồm các cơ quan cấp dưới); mặc định: tất cả"
        )
        parser.add_argument("--from", dest="first", default=None, help="Tháng đầu YYYY-MM; mặc định: tháng của hồ sơ sớm nhất")
        parser.add_argument("--only", default=None, choices=sorted(SUMMARIES), help="Chỉ tính lại một bảng tổng hợp")
        parser.add_argument("--to", dest="last", default=None, help="Tháng cuối YYYY-MM; mặc định: tháng trước tháng hiện tại")

    def handle(self, *args, agency, first, last, only, **options):
        if agency:
            found = Agency.objects.filter(short_name=agency).first()
            if found is None:
                raise CommandError(f"Không có cơ quan viết tắt “{agency}”.")
            ids = sorted(agency_descendant_ids(found))
        else:
            ids = list(Agency.objects.order_by("pk").values_list("pk", flat=True))
        current = month_start(timezone.localdate())
        if first:
            start = _month(first)
        else:
            earliest = (
                Dossier.objects.filter(agency_id__in=ids).order_by("received_at").values_list("received_at", flat=True).first()
            )
            start = month_start(timezone.localtime(earliest).date()) if earliest else current
        end = _month(last) if last else current
        months = [m for m in months_between(start, end) if m < current]
        spent = rebuild(agency_ids=ids, months=months, only=only, stdout=self.stdout)
        times = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in spent.items())
        self.stdout.write(f"{len(months)} tháng × {len(ids)} cơ quan: {times}")
