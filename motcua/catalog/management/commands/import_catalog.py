import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.catalog.transfer import ImportRejected, json_import, xlsx_import
from motcua.core.models import Agency
from motcua.core.transitions import SYSTEM


class Command(BaseCommand):
    help = (
        "Nhập danh mục TTHC, tất cả hoặc không: .xlsx theo mẫu (docs/catalog.md) hoặc .json do export_catalog xuất. "
        "Tệp có lỗi không làm thay đổi gì; lỗi được liệt kê theo từng dòng."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--agency", help="Tên viết tắt của cơ quan (XLSX; mặc định: cơ quan đầu tiên)")
        parser.add_argument("--valid-from", help="Ngày hiệu lực của phiên bản mới (XLSX; YYYY-MM-DD, mặc định hôm nay)")

    def handle(self, *args, file, agency, valid_from, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            if path.suffix == ".json":
                counts = json_import.import_json(actor=SYSTEM, payload=json.loads(path.read_text(encoding="utf-8")))
            elif path.suffix == ".xlsx":
                target = Agency.objects.filter(short_name=agency).first() if agency else Agency.objects.order_by("id").first()
                if target is None:
                    raise CommandError("Chưa có cơ quan; chạy seed_demo hoặc tạo cơ quan trước.")
                on = date.fromisoformat(valid_from) if valid_from else timezone.localdate()
                with path.open("rb") as handle:
                    counts = xlsx_import.import_xlsx(actor=SYSTEM, file=handle, agency=target, valid_from=on)
            else:
                raise CommandError("Tệp phải có đuôi .xlsx hoặc .json.")
        except ImportRejected as exc:
            lines = [f"  dòng {row}, cột “{column}”: {message}" for row, column, message in exc.errors]
            raise CommandError("\n".join([exc.message, *lines]))
        self.stdout.write("Đã nhập: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
