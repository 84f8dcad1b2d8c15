from motcua.core.roles import Role

NAV_ITEMS = [
    ("Phản ánh, kiến nghị", "feedback:worklist", (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER)),
]
