from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.documents import signing


class Command(BaseCommand):
    help = (
        "Ký số tệp PDF (PAdES B-B; B-T khi đặt MOTCUA_TSA_URL) đúng như ứng dụng ký: chứng thư từ tệp PKCS#12, "
        "mật khẩu lấy từ biến môi trường, ô chữ ký hiển thị theo Phụ lục I Nghị định 30/2020."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("input")
        parser.add_argument("output")
        parser.add_argument("--pkcs12", required=True, help="Tệp .p12/.pfx")
        parser.add_argument("--passphrase-env", required=True, help="Tên biến môi trường chứa mật khẩu tệp PKCS#12")
        parser.add_argument("--reason", default="", help="Lý do ký")
        parser.add_argument("--location", default="")
        parser.add_argument(
            "--kind",
            choices=[signing.SignerKind.SIGNER, signing.SignerKind.SEAL, signing.SignerKind.ATTACHMENT],
            default=signing.SignerKind.SIGNER,
            help="signer: chữ ký người có thẩm quyền; seal: chữ ký cơ quan; attachment: chữ ký cơ quan trên phụ lục",
        )
        parser.add_argument("--name", default="", help="Tên hiển thị (mặc định: tên trong chứng thư)")
        parser.add_argument("--agency", default="", help="Tên cơ quan hiển thị trong ô chữ ký")
        parser.add_argument("--title", default="", help="Chức vụ")
        parser.add_argument("--tsa-url", default=None, help="Máy chủ dấu thời gian (mặc định: MOTCUA_TSA_URL)")

    def handle(
        self, *args, input, output, pkcs12, passphrase_env, reason, location, kind, name, agency, title, tsa_url, **options
    ):
        source = Path(input)
        if not source.is_file():
            raise CommandError(f"Không tìm thấy tệp {input}")
        try:
            signer = signing.load_signer(pkcs12, passphrase_env=passphrase_env)
            signed = signing.sign_pdf_bytes(
                source.read_bytes(),
                signer=signer,
                options=signing.SignOptions(
                    kind=kind,
                    signer_name=name,
                    agency_name=agency,
                    title=title,
                    reason=reason,
                    location=location,
                    tsa_url=tsa_url,
                ),
            )
        except signing.SigningError as exc:
            raise CommandError(str(exc))
        Path(output).write_bytes(signed)
        self.stdout.write(f"Đã ký: {output}")
