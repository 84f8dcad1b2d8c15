"""Role × action matrix over every page and API endpoint that declares its roles.

Pages protected with `role_required(...)` and API views using `HasRole(...)` are discovered from the
URL configuration, so the matrix grows with every app: anonymous → login page (pages) or 401/403 (API);
a user holding none of the roles → 403; a user holding one of them → not refused."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from motcua.core.roles import Role
from motcua.core.testing import make_staff

pytestmark = pytest.mark.django_db


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def _page_cases():
    for route, view in _walk(get_resolver().url_patterns):
        roles = getattr(view, "required_roles", None)
        if roles is None or "<" in route or route.startswith("api/"):
            continue
        yield pytest.param("/" + route.lstrip("^").rstrip("$"), tuple(roles), id=route)


def _api_cases():
    for route, view in _walk(get_resolver().url_patterns):
        cls = getattr(view, "cls", None)
        if cls is None or "<" in route or "(?P" in route:
            continue
        role_perms = [p for p in getattr(cls, "permission_classes", []) if p.__name__.startswith("HasRole_")]
        if not role_perms:
            continue
        yield pytest.param("/" + route.lstrip("^").rstrip("$"), role_perms[0], id=route)


PAGE_CASES = list(_page_cases())


def test_the_matrix_covers_pages():
    assert any(case.values[0] == "/staff/" for case in PAGE_CASES)


@pytest.mark.parametrize(("url", "roles"), PAGE_CASES)
def test_anonymous_user_is_sent_to_the_login_page(client, url, roles):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


@pytest.mark.parametrize(("url", "roles"), PAGE_CASES)
def test_user_without_the_role_gets_403_and_with_it_gets_in(client, url, roles):
    if not roles:
        pytest.skip("trang dành cho mọi cán bộ")
    others = [r for r in Role if r not in roles and r != Role.ADMINISTRATOR]
    outsider = make_staff("outsider", *others[:1])
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    insider = make_staff("insider", roles[0])
    client.force_login(insider)
    assert client.get(url).status_code != 403


@pytest.mark.parametrize(("url", "perm"), list(_api_cases()))
def test_api_refuses_anonymous_and_users_without_the_role(client, url, perm):
    assert client.get(url).status_code in (401, 403)
    holders = [r for r in Role if r != Role.ADMINISTRATOR]
    refused = []
    for role in holders:
        user = make_staff(f"u-{role}", role)
        client.force_login(user)
        if client.get(url).status_code == 403:
            refused.append(role)
    assert refused, f"{url}: mọi vai trò đều được phép — kiểm tra quyền"
