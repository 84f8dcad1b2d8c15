from django.utils.translation import gettext_noop

from motcua.core.roles import Role

_STAFF = (Role.CLERK, Role.LEADER, Role.SPECIALIST)

NAV_ITEMS = [
    (gettext_noop("Văn bản đến"), "documents:incoming_list", _STAFF),
    (gettext_noop("Văn bản đi"), "documents:outgoing_list", _STAFF),
    (gettext_noop("Thống kê văn bản"), "documents:dashboard", _STAFF),
]
