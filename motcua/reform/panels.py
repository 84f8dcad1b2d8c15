"""Sections of the CCHC dashboard (/cchc/) contributed by the apps above reform (review: the simplification
results of the latest review plan), which reform may not import (pyproject.toml, layers). An app registers a
renderer from its AppConfig.ready(); the dashboard calls each with the request and the agency the user reads
(already scoped), and shows what they return: HTML rendered by a template (autoescaped) or ""."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from motcua.core.models import Agency

Renderer = Callable[[HttpRequest, Agency], str]
_SECTIONS: dict[str, tuple[int, Renderer]] = {}


def register(name: str, render: Renderer, *, order: int = 100) -> None:
    """Register (or replace: ready() may run twice in tests) the section `name`."""
    _SECTIONS[name] = (order, render)


def render_sections(request: HttpRequest, agency: Agency) -> list[SafeString]:
    out = []
    for _name, (_order, render) in sorted(_SECTIONS.items(), key=lambda kv: (kv[1][0], kv[0])):
        html = render(request, agency)
        if html:
            out.append(mark_safe(html))  # noqa: S308 - rendered by a template (autoescaped) in the registering app
    return out
