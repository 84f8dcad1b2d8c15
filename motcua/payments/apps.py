from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"
    verbose_name = "Thanh toán trực tuyến"

    def ready(self) -> None:
        # The staff dossier page (dossiers, a layer below) lists the dossier's payments and receipts through its panels.
        from motcua.dossiers import sync_flags
        from motcua.dossiers.panels import register

        from .panels import dossier_payments_panel
        from .selectors import paid_online

        register("payments", dossier_payments_panel, order=50)
        # The national portal's "paid online" flag (dossiers.national_sync asks through dossiers.sync_flags).
        sync_flags.register(sync_flags.PAID_ONLINE, paid_online)
