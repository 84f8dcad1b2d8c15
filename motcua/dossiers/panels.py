"""Panels of the staff dossier page contributed by the apps above dossiers (payments: the payments and receipts),
which dossiers may not import (pyproject.toml, layers). An app registers a renderer from its AppConfig.ready();
the dossier page calls each, in order, after checking that the user may see the dossier (tenancy, roles), and
shows what they return. A renderer only reads: it returns HTML (a template rendered with the request) or ""."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from .models import Dossier

Renderer = Callable[[HttpRequest, Dossier], str]


@dataclass(frozen=True)
class Panel:
    name: str
    render: Renderer
    order: int = 100


_PANELS: dict[str, Panel] = {}


def register(name: str, render: Renderer, *, order: int = 100) -> None:
    """Register (or replace: ready() may run twice in tests) the panel `name`."""
    _PANELS[name] = Panel(name=name, render=render, order=order)


def render_panels(request: HttpRequest, dossier: Dossier) -> list[SafeString]:
    """The registered panels' HTML for a dossier the user may see, empty ones left out."""
    out = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        html = panel.render(request, dossier)
        if html:
            out.append(mark_safe(html))  # noqa: S308 - rendered by a template (autoescaped) in the registering app
    return out
