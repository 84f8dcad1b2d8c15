"""Every public page has the same header menu, with the PAKN link (home, catalog, online submission,
lookup, PAKN pages alike)."""

import re

import pytest

from motcua.dossiers.tests.factories import World

pytestmark = pytest.mark.django_db

LINKS = ["/thu-tuc/", "/nop-truc-tuyen/", "/tra-cuu/", "/phan-anh-kien-nghi/"]


def _nav(html: str) -> str:
    match = re.search(r'<nav class="top-nav"[^>]*>(.*?)</nav>', html, re.S)
    assert match, html[:500]
    return " ".join(match.group(1).split())


def test_every_public_page_has_the_same_menu(client):
    world = World()
    pages = ["/", "/thu-tuc/", f"/thu-tuc/{world.code}/", "/nop-truc-tuyen/", "/tra-cuu/", "/phan-anh-kien-nghi/"]
    menus = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        menus[url] = _nav(response.content.decode())
    assert len(set(menus.values())) == 1, menus
    menu = menus["/"]
    for link in LINKS:
        assert f'href="{link}"' in menu, menu
    assert "Phản ánh, kiến nghị" in menu
