import json

from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import NotFoundError, ValidationFailed
from motcua.core.models import Agency
from motcua.reports.index766.engine import compute, indicator_records
from motcua.reports.index766.explain import records_rows
from motcua.reports.index766.periods import parse_period


class Command(BaseCommand):
    help = (
        "In Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg) của một cơ quan (gồm các cơ quan cấp dưới) "
        "trong một kỳ, dạng JSON: tổng điểm, từng nhóm, từng chỉ số với giá trị, điểm và số hồ sơ/bản ghi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="Tên viết tắt của cơ quan, ví dụ BQL")
        parser.add_argument("--period", required=True, help="Năm (2021), nửa năm (2021-H1), quý (2021-Q3) hoặc tháng (2021-09)")
        parser.add_argument("--field", default=None, help="Chỉ tính một lĩnh vực (mã lĩnh vực)")
        parser.add_argument("--procedure", default=None, help="Chỉ tính một thủ tục (mã thủ tục)")
        parser.add_argument(
            "--explain", default=None, help="Mã chỉ số: in các bản ghi làm mất điểm (hoặc được điểm với --earned)"
        )
        parser.add_argument("--earned", action="store_true", help="Với --explain: các bản ghi được điểm")

    def handle(self, *args, agency, period, field, procedure, explain, earned, **options):
        found = Agency.objects.filter(short_name=agency).first()
        if found is None:
            raise CommandError(f"Không có cơ quan viết tắt “{agency}”.")
        try:
            p = parse_period(period)
            if explain:
                qs = indicator_records(agency=found, period=p, code=explain, earned=earned, field=field, procedure=procedure)
                data = {"indicator": explain, "earned": earned, "records": records_rows(explain, qs, limit=None)}
            else:
                data = compute(agency=found, period=p, field=field, procedure=procedure)
        except ValidationFailed as e:
            raise CommandError("; ".join(m for msgs in (e.fields or {}).values() for m in msgs) or str(e))
        except NotFoundError as e:
            raise CommandError(str(e))
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
