import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.documents import signing


class Command(BaseCommand):
    help = (
        "Kiểm tra chữ ký số trong tệp PDF (PAdES). In JSON: mỗi chữ ký gồm signer, signed_at, intact, valid, "
        "trusted, coverage. Mã thoát 0 chỉ khi có chữ ký và mọi chữ ký đều toàn vẹn và hợp lệ."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp PDF")
        parser.add_argument(
            "--trust",
            action="append",
            default=[],
            metavar="CA.pem",
            help="Chứng thư CA tin cậy (PEM/DER); lặp lại để thêm. Mặc định: MOTCUA_TRUST_CA_FILES",
        )

    def handle(self, *args, file, trust, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}")
        try:
            roots = signing.load_certificates(trust or signing.default_trust_paths())
        except Exception as exc:
            raise CommandError(f"Không đọc được chứng thư tin cậy: {exc}")
        try:
            results = signing.verify_pdf_bytes(path.read_bytes(), trust_roots=roots)
            error = ""
        except ValueError as exc:
            results, error = [], str(exc)
        report = {
            "file": str(path),
            "signatures": [
                {
                    key: r.as_dict()[key]
                    for key in (
                        "signer",
                        "signed_at",
                        "intact",
                        "valid",
                        "trusted",
                        "coverage",
                        "field_name",
                        "timestamped",
                        "error",
                    )
                }
                for r in results
            ],
            "all_intact_and_valid": signing.all_intact_and_valid(results),
        }
        if error:
            report["error"] = error
        elif not results:
            report["error"] = "Tệp không có chữ ký số."
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        if not report["all_intact_and_valid"]:
            sys.exit(1)
