from django.utils.translation import gettext_noop

from motcua.core.roles import Role

NAV_ITEMS = [
    (gettext_noop("Tìm trong hồ sơ"), "digitisation:search", (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER)),
]
