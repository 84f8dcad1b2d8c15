from django.utils.translation import gettext_noop

from motcua.core.roles import Role

NAV_ITEMS = [
    (gettext_noop("Kết nối"), "integrations:outbox", (Role.ADMINISTRATOR,)),
]
