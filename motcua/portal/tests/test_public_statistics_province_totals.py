"""The portal's public statistics page gives the province's totals (every agency below the province
office, rolled up) and one row per agency, each equal to a count of the dossiers; a bad year falls back
to this year."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.core.models import Agency, AgencyLevel
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, receive
from motcua.dossiers.transitions import dossier_decide

pytestmark = pytest.mark.django_db


def _figure(html: str, ident: str) -> int:
    return int(re.search(rf'id="{ident}">(\d+)<', html).group(1))


def test_the_province_totals_roll_up_every_agency(client):
    root = Agency.objects.create(
        name="Văn phòng Ủy ban nhân dân tỉnh", short_name="VPUBND", code="H15", level=AgencyLevel.PROVINCE
    )
    board, dept, commune = World(), World(), World()
    Agency.objects.filter(pk__in=[board.agency.pk, dept.agency.pk]).update(parent=root)
    Agency.objects.filter(pk=commune.agency.pk).update(parent=dept.agency, level=AgencyLevel.COMMUNE)
    outsider = World()  # an agency outside the province: not counted
    now = timezone.now()
    start = max(now - timedelta(hours=2), now.replace(month=1, day=1, hour=0, minute=0, second=1))
    for world, n in ((board, 2), (dept, 1), (commune, 3), (outsider, 4)):
        for _ in range(n):
            receive(world, at=start)
    decided = Dossier.objects.filter(agency=board.agency).first()
    dossier_decide(dossier=decided, actor=board.leader, outcome="approved", at=start + timedelta(minutes=30))
    html = client.get("/thong-ke/").content.decode()
    assert (
        _figure(html, "total-received")
        == Dossier.objects.filter(agency__in=[board.agency, dept.agency, commune.agency]).count()
        == 6
    )
    assert _figure(html, "total-finished") == 1
    for world, n in ((board, 2), (dept, 1), (commune, 3)):
        assert re.search(rf"{re.escape(world.agency.name)}</td><td>{n}</td>", html)
    assert outsider.agency.name not in html
    assert "Toàn tỉnh" in html


def test_a_bad_year_is_this_year(client):
    response = client.get("/thong-ke/", {"nam": "abc"})
    assert response.status_code == 200
    assert f'<option value="{timezone.localdate().year}" selected>' in response.content.decode()
    assert client.get("/thong-ke/", {"nam": "1900"}).status_code == 200


def test_the_statistics_page_leads_to_the_public_766_index(client):
    html = client.get("/thong-ke/").content.decode()
    assert 'href="/cong-khai/chi-so-766/"' in html
    assert client.get("/cong-khai/chi-so-766/").status_code == 200
