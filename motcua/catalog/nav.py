NAV_ITEMS = [
    ("Danh mục TTHC", "catalog:dashboard", ()),
    ("Quyết định công bố", "catalog:decisions", ()),
]
