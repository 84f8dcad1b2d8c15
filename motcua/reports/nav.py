from django.utils.translation import gettext_noop

from motcua.core.roles import Role

NAV_ITEMS = [
    (gettext_noop("Báo cáo CCHC"), "reports:cchc-index", (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK)),
    (
        gettext_noop("Báo cáo định kỳ TTHC"),
        "reports:periodic-index",
        (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK, Role.PROVINCE_SUPERVISOR),
    ),
    (
        gettext_noop("Chỉ số 766"),
        "reports:index766",
        (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK, Role.PROVINCE_SUPERVISOR),
    ),
    (
        gettext_noop("Số hóa, dùng lại giấy tờ"),
        "reports:digitisation",
        (Role.LEADER, Role.SPECIALIST, Role.INSPECTOR, Role.CLERK, Role.PROVINCE_SUPERVISOR),
    ),
]
