from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ một cửa"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import panels, postal_views

        panels.register("postal", postal_views.panel, order=50)  # postal orders and a failed delivery's choices
