from django.utils.translation import gettext_noop

from motcua.core.roles import Role

NAV_ITEMS = [
    (gettext_noop("Danh mục TTHC"), "catalog:dashboard", ()),
    (gettext_noop("Quyết định công bố"), "catalog:decisions", ()),
    (gettext_noop("Đồng bộ CSDL quốc gia"), "catalog:national-sync", (Role.ADMINISTRATOR, Role.LEADER)),
]
