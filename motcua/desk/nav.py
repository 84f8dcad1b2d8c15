from motcua.core.roles import Role

NAV_ITEMS = [
    ("Việc cần xử lý", "desk:worklist", (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER)),
    ("Tình hình các đơn vị", "desk:unit-load", (Role.LEADER,)),
    ("Sổ theo dõi hồ sơ", "desk:book", (Role.ONE_STOP_OFFICER, Role.LEADER)),
    ("Thống kê hồ sơ", "desk:statistics", (Role.LEADER, Role.ONE_STOP_OFFICER, Role.INSPECTOR)),
]
