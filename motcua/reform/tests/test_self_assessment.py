"""Self-assessment: the criteria tree of a year is imported from XLSX (maximum points per criterion),
scores stay within the maximum with evidence, and totals are summed per area."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook

from motcua.core.errors import ConflictError, ValidationFailed
from motcua.core.transitions import SYSTEM
from motcua.reform import selectors, services

pytestmark = pytest.mark.django_db


def xlsx(rows) -> BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã", "Tiêu chí", "Điểm tối đa", "Lĩnh vực"])
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


ROWS = [
    ["1", "Công tác chỉ đạo, điều hành CCHC", 6, "direction"],
    ["1.1", "Kế hoạch CCHC năm", 3.5, None],
    ["1.2", "Kiểm tra CCHC", 2.5, None],
    ["2", "Cải cách TTHC", 10, "procedure"],
    ["2.1", "Công khai TTHC", 4, None],
    ["2.2", "Cắt giảm thời gian", 6, None],
    ["2.2.1", "Từ 20% trở lên với mọi TTHC", 6, None],
]


def test_import_from_xlsx_builds_the_tree(agency):
    rows = services.criteria_rows_from_xlsx(xlsx(ROWS))
    cset = services.criteria_set_import(actor=SYSTEM, year=2021, name="Bộ tiêu chí 2021", rows=rows)
    by_code = {c.code: c for c in cset.criteria.all()}
    assert by_code["2.2.1"].parent == by_code["2.2"] and by_code["2.2"].parent == by_code["2"]
    assert by_code["1.1"].max_points == Decimal("3.5") and by_code["1.1"].area == "direction"
    with pytest.raises(ConflictError):
        services.criteria_set_import(actor=SYSTEM, year=2021, name="Bộ tiêu chí 2021", rows=rows)
    # another year, another tree
    services.criteria_set_import(actor=SYSTEM, year=2022, name="Bộ tiêu chí 2021", rows=rows[:3])


def test_parent_maximum_must_equal_the_sum_of_its_children(agency):
    bad = [list(r) for r in ROWS]
    bad[0][2] = 7
    with pytest.raises(ValidationFailed) as err:
        services.criteria_set_import(actor=SYSTEM, year=2021, name="Sai", rows=services.criteria_rows_from_xlsx(xlsx(bad)))
    assert "tiêu chí con" in str(err.value.fields)


def test_scores_within_maximum_with_evidence_and_totals_per_area(agency):
    cset = services.criteria_set_import(
        actor=SYSTEM, year=2021, name="Bộ tiêu chí 2021", rows=services.criteria_rows_from_xlsx(xlsx(ROWS))
    )
    c = {x.code: x for x in cset.criteria.all()}
    with pytest.raises(ValidationFailed):
        services.self_score_set(actor=SYSTEM, criterion=c["1.1"], agency=agency, score=Decimal("4"), evidence="KH 08/KH-BQL")
    with pytest.raises(ValidationFailed):
        services.self_score_set(actor=SYSTEM, criterion=c["1.1"], agency=agency, score=Decimal("3"), evidence=" ")
    with pytest.raises(ValidationFailed):  # only leaves are scored
        services.self_score_set(actor=SYSTEM, criterion=c["2.2"], agency=agency, score=Decimal("3"), evidence="x")
    services.self_score_set(actor=SYSTEM, criterion=c["1.1"], agency=agency, score=Decimal("3.5"), evidence="KH 08/KH-BQL")
    services.self_score_set(actor=SYSTEM, criterion=c["1.2"], agency=agency, score=Decimal("1"), evidence="Báo cáo kiểm tra")
    services.self_score_set(actor=SYSTEM, criterion=c["2.2.1"], agency=agency, score=Decimal("4.5"), evidence="36/46 TTHC")
    result = selectors.self_assessment(criteria_set=cset, agency=agency)
    areas = {a["area"]: (a["max"], a["score"]) for a in result["areas"]}
    assert areas == {"direction": (Decimal(6), Decimal("4.5")), "procedure": (Decimal(10), Decimal("4.5"))}
    assert (result["max"], result["score"], result["scored"], result["leaves"]) == (Decimal(16), Decimal(9), 3, 4)
    # re-scoring replaces the score
    services.self_score_set(actor=SYSTEM, criterion=c["1.2"], agency=agency, score=Decimal("2.5"), evidence="Báo cáo kiểm tra")
    assert selectors.self_assessment(criteria_set=cset, agency=agency)["score"] == Decimal("10.5")
