import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import ValidationFailed
from motcua.core.models import Agency
from motcua.core.uploads import PDF, UploadRejected, bytes_check
from motcua.digitisation.ocr import IMAGE_TYPES, MODES, OcrError, run_ocr
from motcua.digitisation.services import certify_pdf


class Command(BaseCommand):
    help = (
        "Số hoá một tệp quét (PDF hoặc ảnh JPEG/PNG/TIFF) đúng như khi tiếp nhận: OCR tiếng Việt (OCRmyPDF), "
        "xuất PDF/A-2b có lớp chữ; in JSON từng trang (độ tin cậy, cảnh báo trang trắng/không đọc được). "
        "Không ký số trừ khi có --sign."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("input")
        parser.add_argument("output")
        parser.add_argument(
            "--sign",
            metavar="IDENTITY",
            default="",
            help="Ký số bản sao bằng chữ ký số cơ quan (con dấu) của cơ quan có mã này (SigningIdentity của cơ quan)",
        )
        parser.add_argument("--mode", choices=MODES, default=None, help="Mặc định: DIGITISATION_OCR_MODE")
        parser.add_argument("--languages", default=None, help="Mặc định: DIGITISATION_OCR_LANGUAGES (vie+eng)")
        parser.add_argument("--jobs", type=int, default=None, help="Số trang nhận dạng cùng lúc")

    def handle(self, *args, input, output, sign, mode, languages, jobs, **options):
        source = Path(input)
        if not source.is_file():
            raise CommandError(f"Không tìm thấy tệp {input}")
        data = source.read_bytes()
        try:
            checked = bytes_check(source.name, data, types=(PDF, *IMAGE_TYPES))
        except UploadRejected as exc:
            raise CommandError(str(exc))
        agency = None
        if sign:
            agency = Agency.objects.filter(code=sign).first()
            if agency is None:
                raise CommandError(f"Không có cơ quan mã {sign}")
        try:
            outcome = run_ocr(data, content_type=checked.content_type, mode=mode, languages=languages, jobs=jobs)
        except OcrError as exc:
            raise CommandError(str(exc))
        pdf, signed_by = outcome.pdf, ""
        if agency is not None:
            try:
                certified = certify_pdf(pdf, agency=agency)
            except ValidationFailed as exc:
                raise CommandError(str(exc))
            if certified is None:
                raise CommandError(f"Cơ quan {sign} chưa được cấu hình chữ ký số cơ quan (con dấu).")
            pdf, signed_by = certified.pdf, certified.by
        Path(output).write_bytes(pdf)
        report = {
            "output": output,
            "signed_by": signed_by,
            "pages": [
                {
                    "page": p.number,
                    "confidence": p.confidence,
                    "words": p.words,
                    "ink": None if p.ink is None else round(p.ink, 4),
                    "flag": p.flag,
                }
                for p in outcome.pages
            ],
            "flagged": [p.number for p in outcome.flagged],
        }
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
