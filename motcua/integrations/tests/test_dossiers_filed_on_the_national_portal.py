"""Dossiers filed on the national portal are pulled, validated and received as online dossiers of the
procedure's agency, with their files; each is acknowledged back (accepted with our code); a repeat (the portal
sending the same dossier twice) is ignored; a dossier for an unknown procedure, or for another agency's
procedure, is refused back with the reason and recorded, never lost."""

import base64

import pytest
from django.core.management import call_command

from motcua.core.models import AuditLog
from motcua.core.testing import pdf_bytes
from motcua.dossiers.models import Dossier
from motcua.dossiers.national_inbound import pull
from motcua.dossiers.tests.factories import World
from motcua.integrations.models import InboundMessage, IntegrationMessage

from .support import drain

pytestmark = pytest.mark.django_db(transaction=True)


def _filed(national_id, procedure, agency, **extra):
    return {
        "MaHoSoQG": national_id,
        "MaTTHC": procedure,
        "MaCoQuan": agency,
        "NgayNop": "20261207090000",
        "ChuHoSo": {"LoaiDoiTuong": 1, "HoTen": "Trần Thị Bình", "SoDinhDanh": "001190012345", "SoDienThoai": "0987654321"},
        **extra,
    }


def test_a_filed_dossier_is_received_acknowledged_and_its_repeat_ignored(portal):
    world = World()
    scan = base64.b64encode(pdf_bytes(1, "don")).decode()
    portal.control(
        inbound=[
            _filed(
                "G22.99-0001", world.code, world.agency.code, TepDinhKem=[{"TenTep": "don.pdf", "NoiDung": scan, "SoHoa": True}]
            )
        ],
        duplicate_callbacks=True,
    )
    assert pull() == {"accepted": 1, "refused": 0, "duplicate": 1, "unanswerable": 0}
    dossier = Dossier.objects.get()
    assert dossier.channel == "online" and dossier.status == "submitted" and dossier.agency == world.agency
    assert dossier.applicant_name == "Trần Thị Bình" and dossier.files.count() == 1 and dossier.files.get().digitised
    record = InboundMessage.objects.get()
    assert record.status == "accepted" and record.local_key == dossier.code and record.agency == world.agency
    assert "NoiDung" not in str(record.payload)  # the files are kept as files, not in the message log
    drain()
    acks = [e for e in portal.received if e["kind"] == "ack"]
    assert acks == [acks[0]] and acks[0]["national_id"] == "G22.99-0001" and acks[0]["result"] == "accepted"
    assert acks[0]["dossier_code"] == dossier.code
    # The new dossier's own status (1, submitted) is synced like any other.
    assert [(e["dossier_code"], e["status_code"]) for e in portal.received if e["kind"] == "sync"] == [(dossier.code, 1)]
    # Acknowledged: the portal stops offering it; pulled again, nothing new.
    assert pull() == {"accepted": 0, "refused": 0, "duplicate": 0, "unanswerable": 0}
    assert Dossier.objects.count() == 1


def test_dossiers_offered_out_of_order_and_twice_are_each_received_once_with_their_filing_times(portal):
    world = World()
    filed = [_filed(f"G22.99-01{i:02d}", world.code, world.agency.code, NgayNop=f"2026120709{i:02d}00") for i in range(4)]
    portal.control(inbound=filed, out_of_order=True, duplicate_callbacks=True)
    assert pull() == {"accepted": 4, "refused": 0, "duplicate": 4, "unanswerable": 0}
    received = {r.external_id: r.local_key for r in InboundMessage.objects.all()}
    assert set(received) == {f["MaHoSoQG"] for f in filed}
    times = {d.code: d.received_at for d in Dossier.objects.all()}
    assert len(times) == 4
    # Each dossier keeps the time it was filed nationally, whatever order the portal offered them in.
    ordered = [received[f["MaHoSoQG"]] for f in filed]
    assert [times[c] for c in ordered] == sorted(times.values())
    drain()
    acks = sorted(e["national_id"] for e in portal.received if e["kind"] == "ack")
    assert acks == sorted(f["MaHoSoQG"] for f in filed)


def test_an_unknown_procedure_is_refused_back_with_the_reason(portal, capsys):
    world = World()
    portal.control(inbound=[_filed("G22.99-0002", "9.999999", world.agency.code)])
    call_command("pull_national_portal")
    assert "từ chối 1" in capsys.readouterr().out
    assert Dossier.objects.count() == 0
    record = InboundMessage.objects.get()
    assert record.status == "refused" and record.reason and record.payload["MaTTHC"] == "9.999999"
    assert record.agency == world.agency  # addressed to one of ours: its administrators see the refusal
    assert AuditLog.objects.filter(action="integration.inbound_refused", object_id=str(record.pk)).exists()
    drain()
    (ack,) = [e for e in portal.received if e["kind"] == "ack"]
    assert ack["result"] == "refused" and ack["reason"] == record.reason and ack["national_id"] == "G22.99-0002"
    assert IntegrationMessage.objects.get(key="inbound:G22.99-0002").status == "delivered"


def test_another_agencys_procedure_and_invalid_data_are_refused_back(portal):
    world, other = World(), World()
    bad_id = _filed("G22.99-0004", world.code, world.agency.code)
    bad_id["ChuHoSo"]["SoDinhDanh"] = "12"
    portal.control(inbound=[_filed("G22.99-0003", other.code, world.agency.code), bad_id])
    assert pull()["refused"] == 2
    reasons = dict(InboundMessage.objects.values_list("external_id", "reason"))
    assert other.agency.code in reasons["G22.99-0003"]
    assert "id_number" in reasons["G22.99-0004"]
    assert Dossier.objects.count() == 0
    drain()
    assert sorted(e["result"] for e in portal.received if e["kind"] == "ack") == ["refused", "refused"]
