from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import ApplicationError
from motcua.core.transitions import SYSTEM
from motcua.dossiers import archive


class Command(BaseCommand):
    help = "Khôi phục một tệp lưu trữ năm (archive_year) vào dữ liệu đang dùng, sau khi kiểm tra toàn vẹn."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Tệp lưu trữ (.tar.gz)")
        parser.add_argument("--check", action="store_true", help="Chỉ kiểm tra toàn vẹn, không khôi phục")

    def handle(self, *args, path, check, **options):
        try:
            manifest = archive.read_manifest(path) if check else archive.restore(archive=path, actor=SYSTEM)
        except ApplicationError as exc:
            raise CommandError("; ".join([exc.message, *(m for ms in exc.fields.values() for m in ms)])) from exc
        total = sum(manifest["counts"].values())
        verb = "toàn vẹn" if check else "đã khôi phục"
        self.stdout.write(f"{path}: năm {manifest['year']}, {total} dòng, {manifest['files']} tệp — {verb}.")
