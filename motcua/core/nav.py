"""Staff navigation. Each app may declare NAV_ITEMS in its own `nav.py`:
a list of (label, url name, tuple of roles — empty for every staff user)."""

import importlib
from functools import lru_cache

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from .roles import Role, user_has_role

NAV_ITEMS = [
    (gettext_noop("Trang chủ"), "core:home", ()),
    (gettext_noop("Quản trị"), "admin:index", (Role.ADMINISTRATOR,)),
]


@lru_cache(maxsize=1)
def _all_items() -> tuple:
    items = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("motcua."):
            continue
        try:
            module = importlib.import_module(f"{app}.nav")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.nav":
                raise  # a nav.py whose own import is broken fails loudly, not as a missing menu
            continue
        items.extend(getattr(module, "NAV_ITEMS", []))
    return tuple(items)


def staff_menu(user) -> list[dict]:
    menu = []
    for label, url_name, roles in _all_items():
        if roles and not user_has_role(user, *roles):
            continue
        menu.append({"label": gettext(label), "url": reverse(url_name)})  # a renamed page fails here, not as a missing item
    return menu
