from django.utils.translation import gettext_noop

from motcua.core.roles import Role

NAV_ITEMS = [
    (
        gettext_noop("Rà soát TTHC"),
        "review:index",
        (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK, Role.PROVINCE_SUPERVISOR),
    ),
]
