"""New online submissions are in the one-stop officer's default worklist tab; the staff home page shows
what waits, what is due soon and what is overdue, counted in the user's agency only."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.core.transitions import SYSTEM
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, receive

pytestmark = pytest.mark.django_db


def _count(html: str, key: str) -> int:
    match = re.search(rf'class="count-{key}">(?:<a href="[^"]*">)?<strong>(\d+)</strong>', html)
    assert match, html
    return int(match.group(1))


def test_new_online_submission_is_in_the_officers_default_tab(client):
    world = World()
    online = receive(world, channel="online", actor=SYSTEM)
    client.force_login(world.officer)
    page = client.get("/mot-cua/viec/")
    assert page.status_code == 200
    assert online.code in page.content.decode()
    # A specialist's default tab stays their own steps.
    client.force_login(world.specialist)
    assert online.code not in client.get("/mot-cua/viec/").content.decode()


def test_home_page_counts_waiting_due_soon_and_overdue_of_the_users_agency(client):
    world, other = World(), World()
    now = timezone.now()
    receive(world, channel="online", actor=SYSTEM)
    receive(world, channel="online", actor=SYSTEM)
    soon = receive(world)
    late = receive(world)
    receive(world)  # due in ten working days: neither soon nor late
    Dossier.objects.filter(pk=soon.pk).update(due_at=now + timedelta(hours=1))
    Dossier.objects.filter(pk=late.pk).update(due_at=now - timedelta(hours=1))
    # the other agency's dossiers are not counted
    receive(other, channel="online", actor=SYSTEM)
    other_late = receive(other)
    Dossier.objects.filter(pk=other_late.pk).update(due_at=now - timedelta(days=3))
    for user in (world.officer, world.specialist, world.leader):
        client.force_login(user)
        html = client.get("/staff/").content.decode()
        assert (_count(html, "waiting"), _count(html, "due_soon"), _count(html, "overdue")) == (2, 1, 1), user
    client.force_login(other.officer)
    html = client.get("/staff/").content.decode()
    assert (_count(html, "waiting"), _count(html, "due_soon"), _count(html, "overdue")) == (1, 0, 1)


def test_home_counts_link_to_lists_showing_the_same_dossiers(client):
    world = World()
    online = receive(world, channel="online", actor=SYSTEM)
    late = receive(world)
    Dossier.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    client.force_login(world.officer)
    html = client.get("/staff/").content.decode()
    waiting_url = re.search(r'class="count-waiting"><a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    overdue_url = re.search(r'class="count-overdue"><a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    waiting = client.get(waiting_url).content.decode()
    assert online.code in waiting and late.code not in waiting
    overdue = client.get(overdue_url).content.decode()
    assert late.code in overdue and online.code not in overdue


def test_staff_without_desk_roles_see_no_dossier_counts(client):
    world = World()
    client.force_login(world.clerk)
    page = client.get("/staff/")
    assert page.status_code == 200 and "count-waiting" not in page.content.decode()
