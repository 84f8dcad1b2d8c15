from django.utils.translation import gettext_noop

from motcua.core.roles import Role

NAV_ITEMS = [
    (gettext_noop("Việc cần xử lý"), "desk:worklist", (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER)),
    (gettext_noop("Tình hình các đơn vị"), "desk:unit-load", (Role.LEADER,)),
    (gettext_noop("Sổ theo dõi hồ sơ"), "desk:book", (Role.ONE_STOP_OFFICER, Role.LEADER)),
    (gettext_noop("Thống kê hồ sơ"), "desk:statistics", (Role.LEADER, Role.ONE_STOP_OFFICER, Role.INSPECTOR)),
]
