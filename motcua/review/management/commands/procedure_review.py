import json

from django.core.management.base import BaseCommand, CommandError

from motcua.core.models import Agency
from motcua.review import selectors


class Command(BaseCommand):
    help = (
        "In bằng chứng rà soát và chi phí tuân thủ của từng thủ tục của một cơ quan trong một năm (JSON), "
        "xếp theo thứ tự ưu tiên đơn giản hóa."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="Tên viết tắt cơ quan")
        parser.add_argument("--year", type=int, required=True, help="Năm có số liệu hồ sơ")

    def handle(self, *args, agency, year, **options):
        ag = Agency.objects.filter(short_name=agency).first()
        if ag is None:
            raise CommandError(f"Không có cơ quan {agency}.")
        if not 2000 <= year <= 2100:
            raise CommandError("--year phải từ 2000 đến 2100.")
        data = selectors.agency_review_json(agency=ag, year=year)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
