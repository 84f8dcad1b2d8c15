import io
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.dossiers import demo
from motcua.dossiers.models import Dossier

from .factories import World, make_agency

pytestmark = pytest.mark.django_db


def test_demo_skips_quietly_without_a_catalogue():
    out = io.StringIO()
    demo.seed(agency=make_agency(), stdout=out)
    assert not Dossier.objects.exists()
    assert "bỏ qua" in out.getvalue()


def test_demo_seeds_2021_once(monkeypatch):
    monkeypatch.setattr(demo, "COUNT_2021", 40)
    monkeypatch.setattr(demo, "COUNT_RECENT", 10)
    world = World()
    demo.seed(agency=world.agency)
    assert Dossier.objects.filter(received_at__year=2021).count() == 40
    assert Dossier.objects.count() == 50
    since = timezone.localdate() - timedelta(days=demo.RECENT_DAYS)
    recent = Dossier.objects.exclude(received_at__year=2021)
    assert all(since <= timezone.localdate(d.received_at) <= timezone.localdate() for d in recent)
    demo.seed(agency=world.agency)
    assert Dossier.objects.count() == 50
