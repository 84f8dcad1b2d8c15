import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from motcua.catalog import national
from motcua.core.errors import ApplicationError
from motcua.core.transitions import SYSTEM


class Command(BaseCommand):
    help = (
        "Nạp danh mục TTHC quốc gia (JSONL, có thể nén .gz) theo mã thủ tục: tạo hoặc cập nhật lĩnh vực và thủ tục; "
        "chạy lại không thay đổi gì. Không ghi FILE: dùng bản sao kèm theo phần mềm."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(national.DEFAULT_FILE), help="Tệp .jsonl hoặc .jsonl.gz")
        parser.add_argument("--valid-from", default=None, help="Ngày hiệu lực của thủ tục mới (YYYY-MM-DD; mặc định hôm nay)")
        parser.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến trình")

    def handle(self, *args, file, valid_from, no_progress, **options):
        started = time.monotonic()
        try:
            on = date.fromisoformat(valid_from) if valid_from else timezone.localdate()
        except ValueError:
            raise CommandError("--valid-from phải có dạng YYYY-MM-DD.")
        try:
            lines = list(national.open_lines(file))
            records = national.read_records(lines)
        except FileNotFoundError:
            raise CommandError(f"Không tìm thấy tệp {file}.")
        except ApplicationError as exc:
            raise CommandError("\n".join([exc.message, *exc.fields.get("rows", [])]))
        with tqdm(total=len(records), unit="thủ tục", desc="Nạp danh mục", disable=no_progress, file=self.stderr._out) as bar:
            counts = national.national_catalog_import(actor=SYSTEM, records=records, valid_from=on, progress=bar.update)
        duplicates = sum(1 for line in lines if line.strip()) - len(records)
        self.stdout.write(
            f"Đã đọc {counts['records']} thủ tục (mã trùng bỏ qua: {duplicates}) trong {time.monotonic() - started:.1f} giây: "
            f"{counts['fields_created']} lĩnh vực mới, {counts['created']} thủ tục mới, {counts['updated']} cập nhật, "
            f"{counts['unchanged']} không đổi, {counts['local']} giữ nguyên (thủ tục do cơ quan tự công bố), "
            f"{counts['not_in_force']} không có phiên bản hiệu lực."
        )
