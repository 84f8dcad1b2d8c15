from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "motcua.results"
    label = "results"
    verbose_name = "Kết quả điện tử"

    def ready(self) -> None:
        # The national portal's "electronic result" flag (dossiers.national_sync asks through dossiers.sync_flags).
        from motcua.dossiers import sync_flags
        from motcua.dossiers.panels import register

        from .panels import dossier_result_panel
        from .selectors import has_electronic_result

        # The staff dossier page (dossiers, a layer below) shows the electronic result, or the link to issue it.
        register("results", dossier_result_panel, order=40)

        sync_flags.register(sync_flags.ELECTRONIC_RESULT, has_electronic_result)
