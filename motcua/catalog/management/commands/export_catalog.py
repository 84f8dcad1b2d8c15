from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.catalog.transfer import json_export, xlsx_export


class Command(BaseCommand):
    help = "Xuất danh mục TTHC: .xlsx (thủ tục đang hiệu lực, một dòng một thủ tục) hoặc .json (toàn bộ, kèm lịch sử)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp đích, đuôi .xlsx hoặc .json")

    def handle(self, *args, file, **options):
        path = Path(file)
        if path.suffix == ".xlsx":
            path.write_bytes(xlsx_export.export_xlsx(on=timezone.localdate()))
        elif path.suffix == ".json":
            path.write_bytes(json_export.export_json_bytes())
        else:
            raise CommandError("Tệp phải có đuôi .xlsx hoặc .json.")
        self.stdout.write(f"Đã xuất danh mục ra {path}.")
