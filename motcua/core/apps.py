from django import forms
from django.apps import AppConfig
from django.core import checks
from django.db.models import fields
from django.utils.translation import gettext_lazy


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = "Hệ thống"

    def ready(self):
        # Imported here, not at the top: they import models, which are not loaded yet when Django imports this module.
        from . import authentication  # noqa: F401 - connects the signals that clear remembered API tokens
        from .checks import plain_insert_models
        from .validators import install_date_range

        checks.register(plain_insert_models)  # models written by core.sql's plain INSERTs

        install_date_range()  # every date entered in a form or the API lies between 1900 and 2100
        _vietnamese_empty_choice()


def _vietnamese_empty_choice():
    """Django's empty choice is "---------" (select boxes of ModelChoiceField and of model fields with
    blank=True): show "— Chọn —" instead, in every form and the admin, without repeating it per field."""
    label = gettext_lazy("— Chọn —")
    fields.BLANK_CHOICE_DASH[:] = [("", label)]  # the list model fields' get_choices() uses by default
    forms.ModelChoiceField.__init__.__kwdefaults__["empty_label"] = label
