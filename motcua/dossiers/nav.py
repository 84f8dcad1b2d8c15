from django.utils.translation import gettext_noop

from motcua.core.roles import Role

NAV_ITEMS = [
    (gettext_noop("Tiếp nhận hồ sơ"), "dossiers:intake", (Role.ONE_STOP_OFFICER,)),
    (gettext_noop("Hồ sơ"), "dossiers:list", (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER)),
]
