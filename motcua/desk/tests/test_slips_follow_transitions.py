"""Each transition's slip can be stored right after it (slips_issue_after), and the dossier page's
template tag lists the slips available."""

from pathlib import Path

import pytest
from django.template import Context, Template

from motcua.core.transitions import SYSTEM
from motcua.desk.models import DossierSlip
from motcua.desk.services import slips_issue_after
from motcua.desk.tests.test_slips_render import text_of
from motcua.dossiers.tests.factories import World, aware, receive
from motcua.dossiers.transitions import dossier_request_supplement

pytestmark = pytest.mark.django_db


def test_transitions_store_their_slips():
    w = World()
    online = receive(w, channel="online", at=aware(2026, 4, 20, 9))
    assert slips_issue_after(dossier=online, action="receive", actor=SYSTEM) is None  # not accepted yet: no receipt
    d = receive(w, at=aware(2026, 4, 20, 9))
    receipt = slips_issue_after(dossier=d, action="receive", actor=w.officer)
    assert receipt.kind == "bm01"
    # the private lookup code exists only on the dossier returned by the reception: printed on that receipt
    assert d.lookup_secret and d.lookup_secret in text_of(Path(receipt.file.path))
    d = dossier_request_supplement(dossier=d, actor=w.officer, items=["Bản vẽ"], at=aware(2026, 4, 21, 9))
    assert slips_issue_after(dossier=d, action="request_supplement", actor=w.officer).kind == "bm02"
    assert slips_issue_after(dossier=d, action="withdraw", actor=w.officer) is None
    assert sorted(DossierSlip.objects.filter(dossier=d).values_list("kind", flat=True)) == ["bm01", "bm02"]
    html = Template("{% load desk_tags %}{% slip_links d %}").render(Context({"d": d}))
    assert f"/mot-cua/ho-so/{d.code}/phieu/bm02.pdf" in html and "bm04.pdf" not in html
