"""The national portal learns that a dossier has an electronic result: results answers dossiers.sync_flags, so
once one is issued the dossier's next message carries KetQuaDienTu true, though the result is handed over at
the counter. Contract test against the fake national portal (integrations' `portal` fixture)."""

import pytest
from django.utils import timezone

from motcua.dossiers import sync_flags
from motcua.dossiers.models import Delivery
from motcua.dossiers.tests.factories import World
from motcua.dossiers.transitions import dossier_return_result
from motcua.integrations.models import IntegrationMessage
from motcua.integrations.tests.conftest import portal  # noqa: F401 (the fake national portal fixture)
from motcua.integrations.tests.support import drain
from motcua.results.models import ElectronicResult
from motcua.results.selectors import has_electronic_result

from .conftest import decided

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_issued_result_reaches_the_portal_as_an_electronic_result(portal):  # noqa: F811
    assert sync_flags._ANSWERS[sync_flags.ELECTRONIC_RESULT] is has_electronic_result  # ResultsConfig.ready()
    world = World()
    dossier = decided(world)
    assert dossier.result_delivery != Delivery.ONLINE
    drain()
    assert portal.state[dossier.code]["message"]["KetQuaDienTu"] is False  # decided, no result issued yet

    # The row result_issue writes (its signing is tested elsewhere): the flag only asks whether one exists.
    ElectronicResult.objects.create(
        dossier=dossier,
        agency=world.agency,
        year=2026,
        number=1,
        label="1/2026/KQĐT",
        token="t" * 43,
        file="results/2026/x.pdf",
        sha256="0" * 64,
        source_sha256="0" * 64,
        procedure_name="Thủ tục thử",
        issued_at=timezone.now(),
        issued_by=world.boss,
    )
    dossier_return_result(dossier=dossier, actor=world.boss)
    done = drain()
    assert done["dead"] == 0 and portal.rejected == []
    held = portal.state[dossier.code]["message"]
    assert held["event"]["action"] == "return_result" and held["TrangThaiHoSo"] == 10 and held["KetQuaDienTu"] is True
    flags = [m.payload["KetQuaDienTu"] for m in IntegrationMessage.objects.filter(key=dossier.code).order_by("sequence")]
    assert flags[-1] is True and not any(flags[:-1])
