from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "motcua.papers"
    label = "papers"
    verbose_name = "Kho dữ liệu của tổ chức, cá nhân"

    def ready(self) -> None:
        # The staff dossier page (dossiers, a layer below) shows the applicant's store for this dossier.
        from motcua.dossiers.panels import register

        from .panels import dossier_papers_panel

        register("papers", dossier_papers_panel, order=20)
