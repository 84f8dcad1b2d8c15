"""A procedure fetched by its national code from the national procedure database (the fake national portal,
serving the national catalogue shipped in catalog/data), compared with our version, and applied as a new
version through a publication decision: the catalog's own versions and decisions, nothing else."""

import gzip
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from motcua.catalog import national_procedure as national
from motcua.catalog.models import DecisionItem, Procedure, ProcedureVersion, PublicationDecision
from motcua.catalog.national_procedure import national_procedure_apply, national_procedure_diff
from motcua.core.errors import ConflictError, NotFoundError, ValidationFailed
from motcua.core.models import Agency, AuditLog, Unit
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM
from motcua.integrations.fakes.national_catalog import DEFAULT_FILE
from motcua.integrations.tests.conftest import portal  # noqa: F401 - the fake national portal fixture

pytestmark = pytest.mark.django_db

CODE = "1.009664"


def _shipped(code: str) -> dict:
    """The line of the shipped national catalogue for `code` (the last one wins, as in the fake)."""
    found = None
    with gzip.open(DEFAULT_FILE, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                if record["code"].strip() == code:
                    found = record
    return found


def _national(**changes) -> dict:
    record = {
        "MaTTHC": CODE,
        "TenTTHC": "Thủ tục cấp Giấy chứng nhận đăng ký đầu tư",
        "MaLinhVuc": "DT",
        "TenLinhVuc": "Đầu tư tại Việt Nam",
        "CoQuanThucHien": ["Ban Quản lý Khu kinh tế tỉnh"],
        "CoQuanCongBo": "UBND tỉnh",
        "DoiTuongThucHien": [],
        "ThoiHanGiaiQuyet": {"SoLuong": 15, "DonVi": "ngày làm việc"},
        "KenhThucHien": ["TrucTiep", "TrucTuyen"],
        "PhiLePhi": [{"TenPhi": "Lệ phí", "MucPhi": 0}],
        "ThanhPhanHoSo": [
            {"TenGiayTo": "Văn bản đề nghị", "SoBanChinh": 1, "SoBanSao": 0, "BatBuoc": True, "TenMauDon": "Mẫu A.I.1"}
        ],
        "TrinhTuThucHien": None,
        "CanCuPhapLy": None,
        "KetQuaThucHien": None,
        "YeuCauDieuKien": None,
    }
    record.update(changes)
    return record


def _apply(diff, **extra):
    values = {"number": "15/QĐ-UBND", "signed_on": date(2026, 12, 1), "effective_on": date(2026, 12, 10)}
    values.update(extra)
    return national_procedure_apply(actor=SYSTEM, code=diff.code, expected_fingerprint=diff.fingerprint, **values)


def test_the_diff_names_each_change_and_applying_publishes_a_new_version_through_a_decision(portal, make_procedure):  # noqa: F811
    ours = make_procedure(code=CODE)  # legal 15, committed 12, one paper, a zero fee, counter and online
    fees = [{"TenPhi": "Lệ phí cấp giấy chứng nhận", "MucPhi": 100000, "MoTa": "nộp khi nhận kết quả"}]
    papers = [
        {"TenGiayTo": "Văn bản đề nghị", "SoBanChinh": 1, "SoBanSao": 0, "BatBuoc": True, "TenMauDon": "Mẫu A.I.1"},
        {"TenGiayTo": "Bản sao giấy tờ pháp lý của nhà đầu tư", "SoBanChinh": 0, "SoBanSao": 1, "BatBuoc": True},
    ]
    steps = [{"ThuTu": 1, "NoiDung": "Nộp hồ sơ"}, {"ThuTu": 2, "NoiDung": "Nhận kết quả"}]
    portal.control(
        procedures=[
            _national(
                ThoiHanGiaiQuyet={"SoLuong": 14, "DonVi": "ngày làm việc"},
                KenhThucHien=["TrucTiep", "TrucTuyen", "BuuChinh"],
                PhiLePhi=fees,
                ThanhPhanHoSo=papers,
                TrinhTuThucHien=steps,
            )
        ]
    )
    diff = national_procedure_diff(code=CODE, fetched_by=SYSTEM)
    assert diff.current == ours and not diff.is_new
    by_key = {c.key: c for c in diff.changes}
    # Both at province level (UBND tỉnh), same name, field and online channel: not listed.
    assert set(by_key) == {"legal_time", "channel_postal", "fees", "components", "steps_text", "implementing_body"}
    assert by_key["legal_time"].ours == ["15 ngày làm việc"] and by_key["legal_time"].national == ["14 ngày làm việc"]
    assert by_key["components"].added == ["Bản sao giấy tờ pháp lý của nhà đầu tư — 0 bản chính, 1 bản sao, bắt buộc"]
    assert by_key["components"].removed == []
    assert by_key["fees"].removed == ["Lệ phí: 0 đồng"]
    assert by_key["fees"].added == ["Lệ phí cấp giấy chứng nhận: 100.000 đồng — nộp khi nhận kết quả"]
    assert by_key["steps_text"].added == ["Bước 1: Nộp hồ sơ", "Bước 2: Nhận kết quả"]
    # Shown only: nothing written by looking.
    assert ours.procedure.versions.count() == 1 and not PublicationDecision.objects.filter(number="15/QĐ-UBND").exists()

    decision = _apply(diff)
    assert decision.applied_at is not None and decision.agency == ours.agency
    item = decision.items.get()
    assert item.action == DecisionItem.Action.AMENDED and item.procedure == ours.procedure
    new = item.version
    ours.refresh_from_db()
    assert ours.status == "retired" and ours.valid_to == date(2026, 12, 10)
    assert new.status == "in_force" and new.valid_from == date(2026, 12, 10) and new.number == 2
    assert new.legal_time == Decimal(14) and new.committed_time == ours.committed_time  # the agency's commitment stays
    assert new.channel_postal and new.channel_online and new.channel_counter
    assert [(f.name, f.amount_vnd, f.note) for f in new.fees.all()] == [(f["TenPhi"], f["MucPhi"], f["MoTa"]) for f in fees]
    assert [(c.name, c.copies) for c in new.components.all()] == [(p["TenGiayTo"], p["SoBanSao"]) for p in papers]
    assert new.steps_text == "Bước 1: Nộp hồ sơ\nBước 2: Nhận kết quả"
    # The internal process is the agency's: copied unchanged.
    assert [(s.name, s.unit_id, s.duration) for s in new.steps.all()] == [
        (s.name, s.unit_id, s.duration) for s in ours.steps.all()
    ]
    assert new.source.startswith(national.SOURCE_PREFIX)
    entry = AuditLog.objects.get(action="catalog.national_sync")
    assert entry.changes["decision"] == "15/QĐ-UBND" and set(entry.changes["fields"]) == set(by_key)
    # Applied: the same record again differs in nothing.
    assert national_procedure_diff(code=CODE, fetched_by=SYSTEM).changes == []


def test_the_shipped_national_record_changes_what_it_holds_and_never_wipes_times_papers_or_fees(portal, make_procedure):  # noqa: F811
    ours = make_procedure(code=CODE, implementing_body="Ban Quản lý Khu kinh tế tỉnh")
    shipped = _shipped(CODE)
    diff = national_procedure_diff(code=CODE, fetched_by=SYSTEM)
    assert diff.record["TenTTHC"] == shipped["name"].strip() and diff.record["ThoiHanGiaiQuyet"] is None
    assert "Thành phần hồ sơ" in diff.not_carried and "Phí, lệ phí" in diff.not_carried
    by_key = {c.key: c for c in diff.changes}
    assert by_key["implementing_body"].national == ["; ".join(shipped["departments"])]
    assert not {"legal_time", "components", "fees", "channel_online"} & set(by_key)
    _apply(diff)
    new = ProcedureVersion.objects.get(procedure=ours.procedure, status="in_force")
    assert new.number == 2 and new.implementing_body == "; ".join(shipped["departments"])
    assert new.legal_time == ours.legal_time and new.fees.count() == 1 and new.components.count() == 1


def test_only_the_chosen_sections_are_applied(portal, make_procedure):  # noqa: F811
    ours = make_procedure(code=CODE)
    portal.control(
        procedures=[
            _national(
                ThoiHanGiaiQuyet={"SoLuong": 10, "DonVi": "ngày"},
                CapThucHien=["Cấp Bộ"],
                PhiLePhi=[{"TenPhi": "Lệ phí", "MucPhi": 50000}],
            )
        ]
    )
    diff = national_procedure_diff(code=CODE, fetched_by=SYSTEM)
    assert {"legal_time", "government_level", "fees", "implementing_body"} <= {c.key for c in diff.changes}
    with pytest.raises(ValidationFailed) as raised:
        _apply(diff, sections=[])
    assert "sections" in raised.value.fields
    _apply(diff, sections=["fees", "implementing_body"])
    new = ProcedureVersion.objects.get(procedure=ours.procedure, status="in_force")
    assert [f.amount_vnd for f in new.fees.all()] == [50000] and new.implementing_body == "Ban Quản lý Khu kinh tế tỉnh"
    assert (new.legal_time, new.time_unit, new.government_level) == (ours.legal_time, ours.time_unit, ours.government_level)
    left = {c.key for c in national_procedure_diff(code=CODE, fetched_by=SYSTEM).changes}
    assert left == {"legal_time", "government_level"}


def test_a_code_we_do_not_have_is_published_new_for_the_acting_agency(portal, agency, field):  # noqa: F811
    record = _national(MaTTHC="2.002222", TenTTHC="Thủ tục thử nghiệm công bố mới")
    portal.control(procedures=[record])
    diff = national_procedure_diff(code="2.002222", fetched_by=SYSTEM, agency=agency)
    assert diff.is_new and diff.procedure is None
    decision = _apply(diff, agency=agency)
    item = decision.items.get()
    assert item.action == DecisionItem.Action.NEW and item.version.agency == agency and item.version.status == "in_force"
    assert item.version.field == field  # matched by code


def test_an_unknown_code_is_a_clear_404_on_the_service_the_page_and_the_command(portal, client, agency):  # noqa: F811
    with pytest.raises(NotFoundError) as raised:
        national_procedure_diff(code="9.999999", fetched_by=SYSTEM)
    assert "9.999999" in raised.value.message and "quốc gia" in raised.value.message
    leader = make_staff("ld", Role.LEADER, unit=agency.units.first())
    client.force_login(leader)
    page = client.get(reverse("catalog:national-sync"), {"ma": "9.999999"})
    assert page.status_code == 404 and raised.value.message in page.content.decode()
    with pytest.raises(CommandError, match="9.999999"):
        call_command("sync_national_procedure", "9.999999")


def test_a_record_changed_after_the_diff_is_not_applied(portal, make_procedure):  # noqa: F811
    ours = make_procedure(code=CODE)
    portal.control(procedures=[_national(ThoiHanGiaiQuyet={"SoLuong": 14, "DonVi": "ngày làm việc"})])
    diff = national_procedure_diff(code=CODE, fetched_by=SYSTEM)
    portal.control(procedures=[_national(ThoiHanGiaiQuyet={"SoLuong": 13, "DonVi": "ngày làm việc"})])
    with pytest.raises(ConflictError):
        _apply(diff)
    assert ours.procedure.versions.count() == 1 and not PublicationDecision.objects.filter(number="15/QĐ-UBND").exists()


def test_a_national_time_below_our_commitment_is_refused_naming_it_and_changes_nothing(portal, make_procedure):  # noqa: F811
    ours = make_procedure(code=CODE)  # committed 12
    portal.control(procedures=[_national(ThoiHanGiaiQuyet={"SoLuong": 10, "DonVi": "ngày làm việc"})])
    diff = national_procedure_diff(code=CODE, fetched_by=SYSTEM)
    with pytest.raises(ValidationFailed) as raised:
        _apply(diff)
    assert "committed_time" in raised.value.fields
    assert ours.procedure.versions.count() == 1 and not PublicationDecision.objects.filter(number="15/QĐ-UBND").exists()


def test_the_page_lets_the_agencys_leader_apply_and_no_one_else(portal, client, agency, make_procedure):  # noqa: F811
    ours = make_procedure(code=CODE)
    portal.control(procedures=[_national(ThoiHanGiaiQuyet={"SoLuong": 14, "DonVi": "ngày làm việc"})])
    url = reverse("catalog:national-sync")
    other = Agency.objects.create(name="Sở Kế hoạch và Đầu tư", short_name="SKHDT", code="H15.10")
    other_leader = make_staff("ld2", Role.LEADER, unit=Unit.objects.create(agency=other, name="Văn phòng", short_name="VP2"))
    specialist = make_staff("cv", Role.SPECIALIST, unit=agency.units.first())
    leader = make_staff("ld", Role.LEADER, unit=agency.units.first())

    client.force_login(specialist)
    assert client.get(url, {"ma": CODE}).status_code == 403
    client.force_login(other_leader)
    assert client.get(url, {"ma": CODE}).status_code == 404  # another agency's procedure: not even shown
    diff = national_procedure_diff(code=CODE, fetched_by=SYSTEM)
    form = {
        "code": CODE,
        "fingerprint": diff.fingerprint,
        "number": "16/QĐ-UBND",
        "signed_on": "2026-12-01",
        "effective_on": "2026-12-10",
        "sections": [c.key for c in diff.changes],
    }
    assert client.post(url, form).status_code == 404
    assert ours.procedure.versions.count() == 1

    client.force_login(leader)
    page = client.get(url, {"ma": CODE})
    text = page.content.decode()
    assert page.status_code == 200 and "Thời hạn giải quyết theo quy định" in text and diff.fingerprint in text
    response = client.post(url, form)
    decision = PublicationDecision.objects.get(number="16/QĐ-UBND")
    assert response.status_code == 302 and response["Location"] == reverse("catalog:decision", args=[decision.pk])
    assert Procedure.objects.get(code=CODE).versions.get(status="in_force").legal_time == Decimal(14)
    again = client.post(url, {**form, "number": "17/QĐ-UBND"})
    assert again.status_code == 400 and "giống CSDL quốc gia" in again.content.decode()


def test_the_command_prints_the_diff_and_applies_only_when_asked(portal, make_procedure, capsys):  # noqa: F811
    ours = make_procedure(code=CODE)
    portal.control(procedures=[_national(ThoiHanGiaiQuyet={"SoLuong": 14, "DonVi": "ngày làm việc"})])
    call_command("sync_national_procedure", CODE)
    out = capsys.readouterr().out
    assert "Thời hạn giải quyết theo quy định" in out and "quốc gia: 14" in out
    assert ours.procedure.versions.count() == 1
    call_command("sync_national_procedure", CODE, "--apply", "--decision-number", "18/QĐ-UBND", "--signed-on", "2026-12-01")
    assert "18/QĐ-UBND" in capsys.readouterr().out
    assert ours.procedure.versions.get(status="in_force").legal_time == Decimal(14)
