import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import ApplicationError
from motcua.core.management.options import agency_option
from motcua.core.transitions import SYSTEM
from motcua.dossiers import archive


class Command(BaseCommand):
    help = (
        "Lưu trữ một năm đã kết thúc: hồ sơ của năm, mọi dữ liệu phụ thuộc và tệp đính kèm ghi vào một tệp lưu trữ "
        "(kiểm tra lại toàn bộ sau khi ghi); với --purge thì xoá khỏi cơ sở dữ liệu đang dùng (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Năm tiếp nhận hồ sơ")
        parser.add_argument("--agency", help="Mã định danh cơ quan (mặc định: mọi cơ quan)")
        parser.add_argument("--to", type=Path, help="Đường dẫn tệp lưu trữ (.tar.gz) cần ghi")
        parser.add_argument("--purge", action="store_true", help="Sau khi ghi và kiểm tra, xoá dữ liệu đã lưu trữ")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê những gì sẽ được lưu trữ")

    def handle(self, *args, year, agency, to, purge, dry_run, **options):
        ag = agency_option(agency)
        try:
            if dry_run:
                found, problems = archive.plan(year=year, agency=ag)
                self.stdout.write(json.dumps({"counts": found.counts(), "problems": problems}, ensure_ascii=False, indent=1))
                return
            if to is None:
                raise CommandError("Cần --to: đường dẫn tệp lưu trữ.")
            manifest = archive.write_archive(year=year, agency=ag, to=to)
            archive.read_manifest(to)  # read back in full before anything is deleted
            if purge:
                archive.purge(archive=to, actor=SYSTEM)
        except ApplicationError as exc:
            raise CommandError("; ".join([exc.message, *(m for ms in exc.fields.values() for m in ms)])) from exc
        total = sum(manifest["counts"].values())
        done = "đã ghi và xoá khỏi dữ liệu đang dùng" if purge else "đã ghi"
        self.stdout.write(f"{to}: {total} dòng, {manifest['files']} tệp của năm {year} — {done}.")
