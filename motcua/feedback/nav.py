from django.utils.translation import gettext_noop

from motcua.core.roles import Role

NAV_ITEMS = [
    (gettext_noop("Phản ánh, kiến nghị"), "feedback:worklist", (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER)),
]
