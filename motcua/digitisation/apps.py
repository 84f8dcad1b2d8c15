from django.apps import AppConfig


class DigitisationConfig(AppConfig):
    name = "motcua.digitisation"
    label = "digitisation"
    verbose_name = "Số hoá hồ sơ"

    def ready(self) -> None:
        from motcua.dossiers.panels import register

        from .panels import dossier_digitisation_panel

        # The staff dossier page (dossiers, a layer below) shows each scan's OCR progress, flags and certified copy.
        register("digitisation", dossier_digitisation_panel, order=30)
