from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.catalog.national_procedure import national_procedure_apply, national_procedure_diff
from motcua.core.errors import ApplicationError
from motcua.core.models import Agency
from motcua.core.transitions import SYSTEM


class Command(BaseCommand):
    help = (
        "Tra một thủ tục trong CSDL quốc gia về TTHC theo mã, in khác biệt với phiên bản đang áp dụng; với --apply, "
        "công bố phiên bản mới bằng một quyết định công bố (số, ngày ký, ngày hiệu lực) và áp dụng nó."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="Mã thủ tục quốc gia, ví dụ 1.009664")
        parser.add_argument("--apply", action="store_true", help="Công bố và áp dụng (mặc định: chỉ xem khác biệt)")
        parser.add_argument("--decision-number", default="", help="Số, ký hiệu quyết định công bố (bắt buộc với --apply)")
        parser.add_argument("--signed-on", type=date.fromisoformat, help="Ngày ký YYYY-MM-DD (mặc định: hôm nay)")
        parser.add_argument("--effective-on", type=date.fromisoformat, help="Ngày hiệu lực YYYY-MM-DD (mặc định: ngày ký)")
        parser.add_argument("--signer", default="")
        parser.add_argument("--title", default="")
        parser.add_argument("--agency", default="", help="Tên viết tắt hoặc mã cơ quan, cho thủ tục chưa thuộc cơ quan nào")

    def handle(self, *args, code, apply, decision_number, signed_on, effective_on, signer, title, agency, **options):
        found = None
        if agency:
            found = Agency.objects.filter(short_name=agency).first() or Agency.objects.filter(code=agency).first()
            if found is None:
                raise CommandError(_("Không có cơ quan %(agency)s.") % {"agency": agency})
        try:
            diff = national_procedure_diff(code=code, fetched_by=SYSTEM, agency=found)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{diff.code} — {diff.record['TenTTHC']}")
        if diff.is_new:
            self.stdout.write(_("Chưa có phiên bản đang áp dụng: áp dụng sẽ công bố mới."))
        else:
            self.stdout.write(
                _("So với phiên bản %(n)s (hiệu lực từ %(d)s).")
                % {"n": diff.current.number, "d": f"{diff.current.valid_from:%d/%m/%Y}"}
            )
        if diff.not_carried:
            self.stdout.write(_("CSDL quốc gia không có (giữ nguyên): %(items)s") % {"items": ", ".join(diff.not_carried)})
        for change in diff.changes:
            self.stdout.write(f"* {change.label}")
            if change.added or change.removed:
                for line in change.removed:
                    self.stdout.write(f"    - {line}")
                for line in change.added:
                    self.stdout.write(f"    + {line}")
            else:
                self.stdout.write("    " + _("hiện tại: %(v)s") % {"v": " | ".join(change.ours) or "—"})
                self.stdout.write("    " + _("quốc gia: %(v)s") % {"v": " | ".join(change.national) or "—"})
        if not diff.changes:
            self.stdout.write(_("Không có khác biệt."))
            return
        if not apply:
            self.stdout.write(
                _("%(n)s mục khác; chạy lại với --apply --decision-number ... để công bố.") % {"n": len(diff.changes)}
            )
            return
        if not decision_number:
            raise CommandError(_("Cần --decision-number để công bố."))
        signed_on = signed_on or date.today()
        try:
            decision = national_procedure_apply(
                actor=SYSTEM,
                code=diff.code,
                expected_fingerprint=diff.fingerprint,
                number=decision_number,
                signed_on=signed_on,
                effective_on=effective_on or signed_on,
                signer=signer,
                title=title,
                agency=found,
            )
        except ApplicationError as exc:
            details = "; ".join(m for ms in (exc.fields or {}).values() for m in ms)
            raise CommandError(f"{exc.message} {details}".strip()) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã áp dụng quyết định %(number)s: thủ tục %(code)s hiệu lực từ %(day)s.")
                % {"number": decision.number, "code": diff.code, "day": f"{decision.effective_on:%d/%m/%Y}"}
            )
        )
