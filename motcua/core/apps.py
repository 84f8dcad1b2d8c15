from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = "Hệ thống"

    def ready(self):
        from . import authentication  # noqa: F401 - connects the signals that clear remembered API tokens
        from .validators import install_date_range

        install_date_range()  # every date entered in a form or the API lies between 1900 and 2100
