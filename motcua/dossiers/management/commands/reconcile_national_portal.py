import json
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.core.management.options import agency_option
from motcua.dossiers.national_sync import reconcile

PROBLEMS = {
    "missing_at_portal": "Cổng chưa có hồ sơ",
    "status_differs": "Trạng thái khác nhau",
    "unknown_locally": "Cổng có, hệ thống không có",
}


class Command(BaseCommand):
    help = (
        "Đối soát hằng đêm với Cổng Dịch vụ công quốc gia: hỏi Cổng đang giữ trạng thái nào của từng hồ sơ và liệt kê "
        "các khác biệt với hồ sơ trong hệ thống (mã thoát 1 khi có khác biệt)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=0, help="Chỉ hồ sơ nhận trong N ngày gần đây (0: tất cả)")
        parser.add_argument("--agency", default="", help="Mã định danh của một cơ quan")
        parser.add_argument("--json", dest="as_json", action="store_true", help="In kết quả dạng JSON")

    def handle(self, *args, days, agency, as_json, **options):
        since = timezone.now() - timedelta(days=days) if days else None
        chosen = agency_option(agency)
        try:
            differences = reconcile(since=since, agency=chosen)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.stdout.write(_dumps(differences))
        else:
            for d in differences:
                pending = " (thông điệp đang chờ gửi)" if d["pending"] else ""
                self.stdout.write(f"{d['code']}\t{PROBLEMS[d['problem']]}\thệ thống: {d['local']}\tCổng: {d['portal']}{pending}")
            self.stdout.write(f"{len(differences)} khác biệt.")
        if differences:
            raise SystemExit(1)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
