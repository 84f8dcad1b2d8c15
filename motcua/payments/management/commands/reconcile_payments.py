"""Daily reconciliation: each payment of a day asked of the gateway's status query, the answers against what motcua
recorded (docs/payments.md)."""

from datetime import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.core.management.options import agency_option
from motcua.payments.providers import GatewayError
from motcua.payments.selectors import DIFFERENCE_LABELS, reconcile


class Command(BaseCommand):
    help = "Đối soát thanh toán trực tuyến của một ngày với cổng thanh toán (truy vấn từng giao dịch); liệt kê chênh lệch."

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="ngày đối soát, dd/mm/yyyy (giờ Việt Nam)")
        parser.add_argument("--provider", default="", help="vnpay hoặc paygov (mặc định PAYMENT_PROVIDER)")
        parser.add_argument("--agency", default="", help="mã định danh của một cơ quan: chỉ các khoản của hồ sơ cơ quan đó")

    def handle(self, *args, date, provider, agency, **options):
        try:
            day = datetime.strptime(date, "%d/%m/%Y").date()
        except ValueError:
            raise CommandError(_("Ngày phải có dạng dd/mm/yyyy.")) from None
        agency_option(agency)
        try:
            result = reconcile(day=day, provider=provider or settings.PAYMENT_PROVIDER, agency_code=agency)
        except (GatewayError, LookupError) as exc:
            raise CommandError(_("Không đối soát được với cổng thanh toán: %(error)s") % {"error": exc}) from None
        self.stdout.write(
            _(
                "Đối soát ngày %(day)s (%(provider)s): đã truy vấn %(asked)d khoản, cổng thanh toán báo đã thanh toán "
                "%(theirs)d, motcua ghi nhận đã nộp %(ours)d, %(diff)d chênh lệch."
            )
            % {
                "day": day.strftime("%d/%m/%Y"),
                "provider": result.provider,
                "asked": len(result.answers),
                "theirs": result.paid_at_gateway,
                "ours": result.paid_here,
                "diff": len(result.differences),
            }
        )
        for d in result.differences:
            self.stdout.write(f"- {d.txn_ref}: {DIFFERENCE_LABELS[d.kind]} (motcua: {d.ours}; {_('cổng')}: {d.theirs})")
