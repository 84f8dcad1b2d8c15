from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = "Hệ thống"

    def ready(self):
        from . import authentication  # noqa: F401 - connects the signals that clear remembered API tokens
