from django.core.management.base import BaseCommand, CommandError

from motcua.core.models import Agency
from motcua.reports.cchc import FORMATS, cchc_report_file


class Command(BaseCommand):
    help = "Xuất báo cáo kết quả CCHC của một cơ quan trong một năm (DOCX hoặc PDF), số liệu tính từ dữ liệu hệ thống."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="Tên viết tắt của cơ quan, ví dụ BQL")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), default="docx")
        parser.add_argument("--output", required=True, help="Đường dẫn tệp kết quả")

    def handle(self, *args, agency, year, fmt, output, **options):
        found = Agency.objects.filter(short_name=agency).first()
        if found is None:
            raise CommandError(f"Không có cơ quan viết tắt “{agency}”.")
        data, _, _ = cchc_report_file(agency=found, year=year, fmt=fmt)
        with open(output, "wb") as fh:
            fh.write(data)
        self.stdout.write(f"Đã ghi {output} ({len(data)} byte).")
