from django.utils.translation import gettext_noop

NAV_ITEMS = [
    (gettext_noop("Danh mục TTHC"), "catalog:dashboard", ()),
    (gettext_noop("Quyết định công bố"), "catalog:decisions", ()),
]
