"""Options several management commands share."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from motcua.core.models import Agency


def agency_option(code: str | None) -> Agency | None:
    """The agency a command's `--agency CODE` names (None when not given); an unknown code is a CommandError."""
    if not code:
        return None
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise CommandError(_("Không có cơ quan mã %(code)s.") % {"code": code})
    return agency
