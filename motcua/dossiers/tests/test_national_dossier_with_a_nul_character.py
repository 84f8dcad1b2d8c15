"""A dossier from the national portal holding a NUL character (which PostgreSQL cannot store nor compare) is
refused back with the reason, as is one whose attachment the schema refuses, and neither stops the dossiers pulled
after it; one whose national ID holds NUL cannot be answered and is only counted."""

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.national_inbound import pull
from motcua.dossiers.tests.factories import World
from motcua.integrations.models import InboundMessage
from motcua.integrations.tests.conftest import portal  # noqa: F401 - the fake national portal fixture
from motcua.integrations.tests.support import drain
from motcua.integrations.tests.test_dossiers_filed_on_the_national_portal import _filed

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_dossier_with_nul_is_refused_back_and_the_next_one_is_still_received(portal):  # noqa: F811
    world = World()
    poisoned = _filed("G22.99-0201", world.code, world.agency.code + "\x00")
    poisoned["ChuHoSo"]["HoTen"] = "Trần\x00 Thị Bình"
    no_content = _filed("G22.99-0202", world.code, world.agency.code, TepDinhKem=[{"TenTep": "don.pdf"}, "x"])
    # Into the fake's inbox directly: its /_control refuses what does not match the schema (a real portal may not).
    portal.inbox.extend(
        [
            _filed("G22.99\x00-0200", world.code, world.agency.code),
            poisoned,
            no_content,
            _filed("G22.99-0203", world.code, world.agency.code),
        ]
    )
    assert pull() == {"accepted": 1, "refused": 2, "duplicate": 0, "unanswerable": 1}
    refused = InboundMessage.objects.get(external_id="G22.99-0201")
    assert refused.status == "refused" and "NUL" in refused.reason
    assert "\x00" not in str(refused.payload) and "\x00" not in refused.reason
    assert InboundMessage.objects.get(external_id="G22.99-0202").status == "refused"
    accepted = InboundMessage.objects.get(external_id="G22.99-0203")
    assert accepted.status == "accepted" and Dossier.objects.get().code == accepted.local_key
    drain()
    answers = {e["national_id"]: e["result"] for e in portal.received if e["kind"] == "ack"}
    assert answers == {"G22.99-0201": "refused", "G22.99-0202": "refused", "G22.99-0203": "accepted"}
