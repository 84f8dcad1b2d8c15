"""Contract test against the fake national portal: every dossier event is queued in the outbox in the
transaction of the change, delivered in order per dossier, validated by the portal's schema, and every
national status code 1-10 arrives."""

import pytest

from motcua.dossiers.tests.factories import World
from motcua.integrations import schemas
from motcua.integrations.models import IntegrationMessage

from .support import LIFECYCLE_CODES, drain, ended_dossiers, full_lifecycle

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_full_lifecycle_arrives_in_order_with_every_status_code(portal):
    world = World()
    dossier = full_lifecycle(world)
    queued = list(IntegrationMessage.objects.filter(key=dossier.code).order_by("sequence"))
    assert [m.payload["TrangThaiHoSo"] for m in queued] == LIFECYCLE_CODES
    assert [m.sequence for m in queued] == list(range(1, len(LIFECYCLE_CODES) + 1))
    assert all(m.status == IntegrationMessage.Status.QUEUED for m in queued)
    assert portal.received == []  # nothing is sent inside the transaction: the worker sends

    refused, withdrawn, stopped = ended_dossiers(world)
    done = drain()
    assert done["delivered"] == len(LIFECYCLE_CODES) + 6 and done["dead"] == 0 and portal.rejected == []

    arrived = [e for e in portal.received if e["dossier_code"] == dossier.code]
    assert [e["status_code"] for e in arrived] == LIFECYCLE_CODES
    assert [e["sequence"] for e in arrived] == list(range(1, len(LIFECYCLE_CODES) + 1))
    assert not any(e["out_of_order"] for e in portal.received)
    every_code = {e["status_code"] for e in portal.received}
    assert every_code == set(range(1, 11))
    assert {e["dossier_code"]: e["status_code"] for e in portal.received if e["sequence"] == 2} == {
        dossier.code: 2,
        refused.code: 3,
        withdrawn.code: 7,
        stopped.code: 8,
    }
    assert IntegrationMessage.objects.exclude(status=IntegrationMessage.Status.DELIVERED).count() == 0
    # One token served the whole run (cached by the transport).
    assert portal.tokens_issued == 1


def test_the_message_carries_the_process_history_and_the_index_flags(portal):
    world = World()
    dossier = full_lifecycle(world)
    last = IntegrationMessage.objects.filter(key=dossier.code).order_by("-sequence").first()
    payload = last.payload
    assert schemas.errors("dvcqg_dossier_sync", payload) == []
    assert payload["MaHoSo"] == dossier.code and payload["MaTTHC"] == world.code and payload["MaCoQuan"] == world.agency.code
    assert payload["KenhThucHien"] == 2 and payload["NopTrucTuyen"] is True
    assert payload["ThanhToanTrucTuyen"] is False  # confirmed by hand at the desk (payments: no gateway notice)
    assert payload["CoThanhPhanSoHoa"] is False and payload["KetQuaDienTu"] is False
    assert payload["DaXacThucDinhDanh"] is False
    assert payload["SoLanBoSung"] == 1 and payload["NgayTra"] is not None
    steps = payload["QuaTrinhXuLy"]
    assert [s["ThuTu"] for s in steps] == list(range(1, len(steps) + 1)) and len(steps) >= 2
    assert steps[0]["NoiDungXuLy"] == "Tiếp nhận hồ sơ" and steps[0]["TienDo"] in (1, 2, 3)
    assert all(s["MaDonVi"] == world.agency.code for s in steps)
    assert any(s["PhongBanXuLy"] == "Phòng Quản lý đầu tư" for s in steps)
    assert all(s["ThoiDiemChuyen"] is not None for s in steps[:-1])
    # The intake's message already has the first step, written in the same statement as the message.
    first = IntegrationMessage.objects.get(key=dossier.code, sequence=2)  # accepted: the reception step opens
    assert len(first.payload["QuaTrinhXuLy"]) == 1


def test_nothing_is_queued_while_the_portal_is_not_configured(settings):
    settings.NATIONAL_PORTAL_URL = ""
    full_lifecycle(World())
    assert IntegrationMessage.objects.count() == 0


def test_a_change_that_rolls_back_queues_nothing(portal):
    from django.db import transaction

    world = World()
    with pytest.raises(RuntimeError), transaction.atomic():
        full_lifecycle(world)
        raise RuntimeError("rolled back")
    assert IntegrationMessage.objects.count() == 0


def test_a_dossier_with_digitised_papers_is_flagged_from_its_intake_on(portal):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.core.testing import pdf_bytes
    from motcua.dossiers.tests.factories import receive
    from motcua.dossiers.transitions import dossier_forward

    world = World()
    scan = SimpleUploadedFile("to-khai.pdf", pdf_bytes(1, "to khai"), content_type="application/pdf")
    dossier = receive(world, channel="counter", files=[{"file": scan, "digitised": True}])
    plain = receive(world, channel="counter")
    dossier_forward(dossier=dossier, actor=world.boss)
    flags = {(m.key, m.sequence): m.payload["CoThanhPhanSoHoa"] for m in IntegrationMessage.objects.all()}
    assert flags == {(dossier.code, 1): True, (dossier.code, 2): True, (plain.code, 1): False}
