from motcua.core.roles import Role

_STAFF = (Role.CLERK, Role.LEADER, Role.SPECIALIST)

NAV_ITEMS = [
    ("Văn bản đến", "documents:incoming_list", _STAFF),
    ("Văn bản đi", "documents:outgoing_list", _STAFF),
    ("Thống kê văn bản", "documents:dashboard", _STAFF),
]
