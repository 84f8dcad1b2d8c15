from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"
    verbose_name = "Thanh toán trực tuyến"

    def ready(self) -> None:
        # The staff dossier page (dossiers, a layer below) lists the dossier's payments and receipts through its panels.
        from motcua.dossiers.panels import register

        from .panels import dossier_payments_panel

        register("payments", dossier_payments_panel, order=50)
