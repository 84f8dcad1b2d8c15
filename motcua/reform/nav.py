from motcua.core.roles import Role

NAV_ITEMS = [
    ("Cải cách hành chính", "reform:index", (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK)),
]
