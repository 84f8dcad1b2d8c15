"""Daily reconciliation: the gateway's report of a day against the payments motcua recorded (docs/payments.md)."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from motcua.payments.selectors import DIFFERENCE_LABELS, reconcile


class Command(BaseCommand):
    help = "Đối soát thanh toán trực tuyến của một ngày với báo cáo của cổng thanh toán; liệt kê chênh lệch."

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="ngày đối soát, dd/mm/yyyy (giờ Việt Nam)")
        parser.add_argument("--provider", default="vnpay")

    def handle(self, *args, date, provider, **options):
        try:
            day = datetime.strptime(date, "%d/%m/%Y").date()
        except ValueError:
            raise CommandError("Ngày phải có dạng dd/mm/yyyy.") from None
        try:
            theirs, ours, differences = reconcile(day=day, provider=provider)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Không lấy được báo cáo của cổng thanh toán: {exc}") from None
        self.stdout.write(
            f"Đối soát ngày {day:%d/%m/%Y}: cổng thanh toán {len(theirs)} giao dịch thành công, "
            f"motcua ghi nhận {len(ours)} khoản đã nộp, {len(differences)} chênh lệch."
        )
        for d in differences:
            self.stdout.write(f"- {d.txn_ref}: {DIFFERENCE_LABELS[d.kind]} (motcua: {d.ours}; cổng: {d.theirs})")
