from motcua.core.roles import Role

NAV_ITEMS = [
    ("Báo cáo CCHC", "reports:cchc-index", (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK)),
]
