"""The desk's card on the staff home page (core.views.home_cards): what waits, what is due soon and
what is overdue in the user's agency; waiting and overdue link to the dossier list filtered the same way."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.core.errors import PermissionDeniedError
from motcua.core.roles import Role, user_has_role
from motcua.dossiers.models import Status

from .selectors.access import user_agency
from .selectors.worklists import home_counts


def home_cards(user) -> list[dict]:
    if not user_has_role(user, Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER):
        return []
    try:
        agency = user_agency(user)
    except PermissionDeniedError:  # a user of no agency: no counts
        return []
    counts = home_counts(agency=agency)
    dossiers = reverse("dossiers:list")
    return [
        {
            "title": _("Hồ sơ của %(agency)s") % {"agency": agency.name} if agency else _("Hồ sơ"),
            "counts": [
                {
                    "key": "waiting",
                    "label": _("hồ sơ trực tuyến chờ tiếp nhận"),
                    "value": counts.waiting,
                    "url": f"{dossiers}?{urlencode({'status': Status.SUBMITTED})}",
                },
                {"key": "due_soon", "label": _("hồ sơ sắp đến hạn (trong 2 ngày làm việc)"), "value": counts.due_soon, "url": ""},
                {
                    "key": "overdue",
                    "label": _("hồ sơ quá hạn"),
                    "value": counts.overdue,
                    "url": f"{dossiers}?{urlencode({'overdue': 'on'})}",
                },
            ],
        }
    ]
