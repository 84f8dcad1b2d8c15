from motcua.core.roles import Role

NAV_ITEMS = [
    ("Tiếp nhận hồ sơ", "dossiers:intake", (Role.ONE_STOP_OFFICER,)),
    ("Hồ sơ", "dossiers:list", (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER)),
]
