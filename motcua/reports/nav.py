from django.utils.translation import gettext_noop

from motcua.core.roles import Role

NAV_ITEMS = [
    (gettext_noop("Báo cáo CCHC"), "reports:cchc-index", (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK)),
]
