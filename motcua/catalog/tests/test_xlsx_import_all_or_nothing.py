"""XLSX import: a file with errors changes nothing and gives a row-by-row report; a good file creates
procedures and new versions; exporting and importing the same catalog changes nothing."""

import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from motcua.catalog import selectors, services
from motcua.catalog.models import Procedure, ProcedureVersion, PublicationDecision
from motcua.catalog.transfer import ImportRejected, json_export, json_import, xlsx_export, xlsx_import
from motcua.catalog.transfer.xlsx_columns import SHEET
from motcua.core.models import AuditLog
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM


def _book(rows):
    content = xlsx_export.template_xlsx()
    wb = load_workbook(io.BytesIO(content))
    ws = wb[SHEET]
    headers = [c.value for c in ws[1]]
    for row in rows:
        ws.append([row.get(h, "") for h in headers])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


GOOD = {
    "Mã thủ tục": "1.009665",
    "Tên thủ tục": "Thủ tục cấp lại và hiệu đính thông tin trên Giấy chứng nhận đăng ký đầu tư",
    "Mã lĩnh vực": "DT",
    "Đơn vị thời gian": "ngày làm việc",
    "Thời hạn theo quy định": 5,
    "Thời hạn cam kết": "3,5",
    "Mức độ DVC trực tuyến": 4,
    "DVC trực tuyến (NĐ 42/2022)": "Toàn trình",
    "Nộp trực tuyến": "Có",
    "Nộp qua bưu chính": "Có",
    "Căn cứ pháp lý": "Luật Đầu tư 61/2020/QH14\nNĐ 31/2021/NĐ-CP",
    "Thành phần hồ sơ": "Văn bản đề nghị | 1 | 0 | Có | Mẫu A.I.14\nBản sao giấy tờ pháp lý | 0 | 1 | Có",
    "Phí, lệ phí": "Lệ phí | 0 | Không thu",
    "Quy trình nội bộ": "Tiếp nhận | MC | 0,5\nThẩm định | QLĐT | 2\nKý duyệt | VP | 0,5\nTrả kết quả | MC | 0,5",
}


@pytest.mark.django_db
def test_a_file_with_errors_changes_nothing_and_reports_each_row(agency, field, make_procedure):
    make_procedure(code="1.009664")
    before = (ProcedureVersion.objects.count(), AuditLog.objects.count())
    bad_steps = {**GOOD, "Mã thủ tục": "1.009666", "Quy trình nội bộ": "Tiếp nhận | MC | 1\nThẩm định | QLĐT | 5"}
    bad_level = {**GOOD, "Mã thủ tục": "1.009667", "Mức độ DVC trực tuyến": 7, "Nộp trực tuyến": "có lẽ"}
    no_field = {**GOOD, "Mã thủ tục": "1.009668", "Mã lĩnh vực": "MOI"}
    duplicate = {**GOOD}
    with pytest.raises(ImportRejected) as exc:
        xlsx_import.import_xlsx(
            actor=SYSTEM,
            file=_book([GOOD, bad_steps, bad_level, no_field, duplicate]),
            agency=agency,
            valid_from=date(2021, 6, 1),
        )
    errors = exc.value.errors
    by_row = {}
    for row, column, message in errors:
        by_row.setdefault(row, []).append((column, message))
    assert 2 not in by_row  # the good row has no error…
    assert any(c == "Quy trình nội bộ" and "vượt quá thời hạn cam kết" in m for c, m in by_row[3])
    assert {c for c, _ in by_row[4]} == {"Mức độ DVC trực tuyến", "Nộp trực tuyến"}
    assert by_row[5] == [("Tên lĩnh vực", "Mã lĩnh vực chưa có trong danh mục; cần ghi tên lĩnh vực.")]
    assert by_row[6] == [("Mã thủ tục", "Mã thủ tục trùng với dòng 2.")]
    # …but nothing was written, not even the good row
    assert (ProcedureVersion.objects.count(), AuditLog.objects.count()) == before
    assert not Procedure.objects.filter(code="1.009665").exists()


@pytest.mark.django_db
def test_a_good_file_creates_and_versions_and_a_round_trip_changes_nothing(agency, field, make_procedure):
    make_procedure(code="1.009664", name="Thủ tục cấp Giấy chứng nhận đăng ký đầu tư")
    exported = load_workbook(io.BytesIO(xlsx_export.export_xlsx(on=date(2021, 1, 1))))
    ws = exported[SHEET]
    headers = [c.value for c in ws[1]]
    old_row = dict(zip(headers, [c.value for c in ws[2]], strict=True))
    changed = {**old_row, "Thời hạn cam kết": "10", "Quy trình nội bộ": "Tiếp nhận | MC | 1\nThẩm định | QLĐT | 8\nTrả | MC | 1"}
    result = xlsx_import.import_xlsx(actor=SYSTEM, file=_book([GOOD, changed]), agency=agency, valid_from=date(2021, 6, 1))
    assert result == {"created": 1, "updated": 1, "unchanged": 0}
    new = selectors.procedure_version_in_force(code="1.009665", on=date(2021, 6, 1))
    assert new.committed_time == 3.5 and [s.unit.short_name for s in new.steps.order_by("order")] == ["MC", "QLĐT", "VP", "MC"]
    assert selectors.procedure_version_in_force(code="1.009664", on=date(2021, 5, 31)).committed_time == 12
    assert selectors.procedure_version_in_force(code="1.009664", on=date(2021, 6, 1)).committed_time == 10

    again = io.BytesIO(xlsx_export.export_xlsx(on=date(2021, 6, 1)))
    assert xlsx_import.import_xlsx(actor=SYSTEM, file=again, agency=agency, valid_from=date(2021, 7, 1)) == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
    }


@pytest.mark.django_db
def test_json_export_loads_into_an_empty_catalog_with_history(agency, field, make_procedure):
    v1 = make_procedure(code="1.009664")
    v2 = services.procedure_version_create(actor=SYSTEM, procedure=v1.procedure, data={"legal_time": 20})
    services.procedure_publish(actor=SYSTEM, version=v2, valid_from=date(2021, 6, 1))
    payload = json.loads(json_export.export_json_bytes())
    PublicationDecision.objects.all().delete()
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    counts = json_import.import_json(actor=SYSTEM, payload=payload)
    assert counts["versions"] == 2 and counts["decisions"] == 1
    assert selectors.procedure_version_in_force(code="1.009664", on=date(2021, 5, 1)).legal_time == 15
    assert selectors.procedure_version_in_force(code="1.009664", on=date(2021, 6, 1)).legal_time == 20
    assert selectors.procedure_version_in_force(code="1.009664", on=date(2021, 6, 1)).steps.count() == 4
    assert json_import.import_json(actor=SYSTEM, payload=payload)["versions"] == 0


@pytest.mark.django_db
def test_the_import_page_shows_the_row_report_and_only_editors_may_import(client, agency, field):
    bad = {**GOOD, "Quy trình nội bộ": "Tiếp nhận | MC | 1\nThẩm định | KHONGCO | 1"}
    upload = lambda: SimpleUploadedFile("dm.xlsx", _book([GOOD, bad]).getvalue())  # noqa: E731
    client.force_login(make_staff("cv", Role.SPECIALIST, unit=agency.units.first()))
    assert client.get(reverse("catalog:export-xlsx")).status_code == 200
    assert client.post(reverse("catalog:transfer"), {"file": upload(), "valid_from": "2021-06-01"}).status_code == 403
    client.force_login(make_staff("ld", Role.LEADER, unit=agency.units.first()))
    body = client.post(reverse("catalog:transfer"), {"file": upload(), "valid_from": "2021-06-01"}).content.decode()
    assert "danh mục không thay đổi" in body and "không có đơn vị viết tắt “KHONGCO”" in body
    assert not Procedure.objects.exists()
