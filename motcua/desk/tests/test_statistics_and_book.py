"""The statistics table and the tracking book (BM.06) equal an independent recomputation from the
records — here, from each dossier's timeline (DossierEvent), not from the fields the selectors read —
including carried-over, paused (at the end of the period) and otherwise closed dossiers; the XLSX
files hold the same figures."""

from collections import defaultdict
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from motcua.catalog.models import Field
from motcua.desk import exports
from motcua.desk.selectors.book import tracking_book
from motcua.desk.selectors.statistics import STAT_KEYS, statistics_table
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, aware, make_version
from motcua.dossiers.transitions import (
    dossier_accept,
    dossier_decide,
    dossier_extend,
    dossier_receive_supplement,
    dossier_refuse,
    dossier_request_supplement,
    dossier_require_payment,
    dossier_withdraw,
)

from .helpers import receive_as

pytestmark = pytest.mark.django_db

START, END = date(2026, 4, 1), date(2026, 4, 30)
START_DT, END_DT = aware(2026, 4, 1, 0, 0), aware(2026, 5, 1, 0, 0)
NOW = aware(2026, 5, 15, 10, 0)
TERMINAL = {"decided", "refused", "withdrawn", "stopped"}
PAUSED = {"supplement_requested", "payment_required"}


@pytest.fixture
def scene():
    w = World()  # committed time 10 working days
    p1 = w.version
    p2 = make_version(w.agency, units=w.units)
    p3 = make_version(w.agency, units=w.units)
    building, _ = Field.objects.get_or_create(code="XD", defaults={"name": "Xây dựng"})
    type(p3).objects.filter(pk=p3.pk).update(field=building)
    p3.refresh_from_db()
    # The desk holds the reception step: it asks for additions and payment there (a step is acted on by its unit).
    o, s, ld = w.officer, w.officer, w.leader
    d = {}

    def rx(key, version, at, channel="counter"):
        d[key] = receive_as(w, version, at=at, channel=channel)
        return d[key]

    # carried over from March
    rx("c1", p1, aware(2026, 3, 20, 9))
    dossier_decide(dossier=d["c1"], actor=ld, outcome="approved", at=aware(2026, 4, 10, 9))
    rx("c2", p1, aware(2026, 3, 25, 9))  # still open, past its date
    rx("c3", p3, aware(2026, 3, 26, 9))
    dossier_request_supplement(dossier=d["c3"], actor=s, items=["Bản vẽ"], at=aware(2026, 4, 3, 9))  # paused at the end
    rx("c4", p3, aware(2026, 3, 27, 9))
    dossier_request_supplement(dossier=d["c4"], actor=s, items=["Bản vẽ"], at=aware(2026, 4, 1, 9))
    dossier_receive_supplement(dossier=d["c4"], actor=o, at=aware(2026, 4, 3, 9))
    dossier_decide(dossier=d["c4"], actor=ld, outcome="approved", at=aware(2026, 4, 20, 9))
    # new in April
    rx("n1", p1, aware(2026, 4, 5, 20), channel="online")
    dossier_accept(dossier=d["n1"], actor=o, at=aware(2026, 4, 6, 8))
    dossier_decide(dossier=d["n1"], actor=ld, outcome="approved", at=aware(2026, 4, 8, 9))
    rx("n2", p2, aware(2026, 4, 28, 9), channel="postal")  # open, within its date
    rx("n3", p2, aware(2026, 4, 15, 9))
    dossier_withdraw(dossier=d["n3"], actor=o, reason="Công dân rút", at=aware(2026, 4, 20, 9))
    rx("n4", p3, aware(2026, 4, 16, 9))
    dossier_require_payment(dossier=d["n4"], actor=s, amount_vnd=500000, at=aware(2026, 4, 20, 9))
    rx("n5", p1, aware(2026, 4, 29, 9))
    rx("n6", p1, aware(2026, 4, 2, 9))
    dossier_decide(dossier=d["n6"], actor=ld, outcome="approved", at=aware(2026, 4, 29, 9))  # late
    rx("n7", p3, aware(2026, 4, 20, 9))
    dossier_request_supplement(dossier=d["n7"], actor=s, items=["Bản vẽ"], at=aware(2026, 4, 28, 9))
    dossier_receive_supplement(dossier=d["n7"], actor=o, at=aware(2026, 5, 4, 9))  # resumed after the period
    rx("n8", p2, aware(2026, 4, 1, 9))
    dossier_extend(dossier=d["n8"], actor=ld, new_due_at=aware(2026, 4, 30, 17), reason="Lấy ý kiến sở", at=aware(2026, 4, 8, 9))
    dossier_decide(dossier=d["n8"], actor=ld, outcome="approved", at=aware(2026, 4, 22, 9))
    rx("n9", p1, aware(2026, 4, 3, 9))
    dossier_refuse(dossier=d["n9"], actor=o, reason="Không thuộc thẩm quyền", at=aware(2026, 4, 6, 9))
    rx("n10", p1, aware(2026, 4, 6, 9))
    for day in (7, 9):
        dossier_request_supplement(dossier=d["n10"], actor=s, items=["Bổ sung"], at=aware(2026, 4, day, 9))
        dossier_receive_supplement(dossier=d["n10"], actor=o, at=aware(2026, 4, day + 1, 9))
    dossier_decide(dossier=d["n10"], actor=ld, outcome="approved", at=aware(2026, 4, 14, 9))
    # outside the table
    rx("x1", p1, aware(2026, 3, 10, 9))
    dossier_decide(dossier=d["x1"], actor=ld, outcome="approved", at=aware(2026, 3, 20, 9))
    rx("x2", p1, aware(2026, 5, 5, 9))
    rx("x3", p1, aware(2026, 4, 28, 9), channel="online")  # never accepted
    rx("x4", p1, aware(2026, 4, 29, 9), channel="online")
    dossier_refuse(dossier=d["x4"], actor=o, reason="Thiếu hồ sơ", at=aware(2026, 4, 29, 10))
    other = World()
    receive_as(other, other.version, at=aware(2026, 4, 10, 9))
    return w, d, other


def bounds(start: date, end: date):
    return aware(start.year, start.month, start.day, 0, 0), aware(end.year, end.month, end.day, 0, 0) + timedelta(days=1)


def recompute(agency, start: date = START, end: date = END) -> dict:
    """Per (field, procedure): the table's figures replayed from the timeline of each dossier."""
    START_DT, END_DT = bounds(start, end)  # noqa: N806
    as_of = min(END_DT, NOW)
    table = defaultdict(lambda: defaultdict(int))
    qs = Dossier.objects.select_related("procedure_version").prefetch_related("events")
    if agency is not None:
        qs = qs.filter(agency=agency)
    for dossier in qs:
        events = sorted(dossier.events.all(), key=lambda e: (e.at, e.id))
        accepted = next((e.at for e in events if e.status_to == "accepted"), None)
        ended = next((e for e in events if e.status_to in TERMINAL), None)
        if accepted is None or accepted >= END_DT or (ended is not None and ended.at < START_DT):
            continue
        row = table[(dossier.procedure_version.field_id, dossier.procedure_version.procedure_id)]
        if accepted < START_DT:
            row["carried_over"] += 1
        else:
            row["new_total"] += 1
            row[f"new_{dossier.channel}"] += 1
        if ended is not None and ended.at < END_DT:
            if ended.status_to == "decided":
                row["finished_total"] += 1
                due, done = timezone.localtime(dossier.due_at), timezone.localtime(ended.at)
                verdict = "late" if done > due else ("early" if done.date() < due.date() else "on_time")
                row[f"finished_{verdict}"] += 1
                supplements = sum(1 for e in events if e.action == "request_supplement")
                if verdict == "late" or supplements > 1:
                    row["finished_late_766"] += 1
            else:
                row["closed_other"] += 1
            continue
        status_at_end = [e.status_to for e in events if e.at < END_DT][-1]
        if status_at_end in PAUSED:
            row["paused"] += 1
        elif dossier.due_at < as_of:
            row["processing_late"] += 1
        else:
            row["processing_within"] += 1
    for row in table.values():
        row["received_total"] = row["carried_over"] + row["new_total"]
        row["processing_total"] = row["processing_within"] + row["processing_late"]
    return {key: {k: row[k] for k in STAT_KEYS} for key, row in table.items()}


def test_statistics_table_equals_the_recomputation(scene):
    w, d, _ = scene
    table = statistics_table(agency=w.agency, start=START, end=END, group_by=("field", "procedure"), now=NOW)
    got = {r.key: r.values for r in table.rows}
    assert got == recompute(w.agency)
    t = table.total
    # the same figures by hand, from the scenario
    assert (t["carried_over"], t["new_total"], t["new_counter"], t["new_online"], t["new_postal"]) == (4, 10, 8, 1, 1)
    assert t["finished_total"] == 6  # c1 c4 n1 n6 n8 n10
    assert (t["paused"], t["processing_within"], t["processing_late"], t["closed_other"]) == (3, 2, 1, 2)
    assert t["finished_late_766"] == t["finished_late"] + 1  # n10: asked to supplement twice, finished early
    assert t["received_total"] == t["finished_total"] + t["processing_total"] + t["paused"] + t["closed_other"]
    assert {r.labels["field"] for r in table.rows} == {"Đầu tư tại Việt Nam", "Xây dựng"}


def test_statistics_by_field_and_by_agency(scene):
    w, d, other = scene
    by_field = statistics_table(agency=w.agency, start=START, end=END, group_by=("field",), now=NOW)
    per_field = defaultdict(lambda: defaultdict(int))
    for (field_id, _), values in recompute(w.agency).items():
        for k, v in values.items():
            per_field[field_id][k] += v
    assert {r.key[0]: r.values for r in by_field.rows} == {k: dict(v) for k, v in per_field.items()}
    by_agency = statistics_table(agency=None, start=START, end=END, group_by=("agency",), now=NOW)
    rows = {r.key[0]: r.values for r in by_agency.rows}
    assert rows[w.agency.pk]["received_total"] == 14
    assert rows[other.agency.pk]["new_total"] == 1 and rows[other.agency.pk]["received_total"] == 1


PERIODS = [
    (date(2026, 4, 1), date(2026, 4, 10)),
    (date(2026, 4, 3), date(2026, 4, 3)),
    (date(2026, 5, 1), date(2026, 5, 15)),
    (date(2026, 3, 1), date(2026, 5, 31)),
]


def test_other_periods_equal_the_recomputation(scene):
    """Other boundaries: a pause that ends inside the period, a one-day period, a period still running at
    `now` (lateness counted as of now), a long one."""
    w, d, _ = scene
    for start, end in PERIODS:
        table = statistics_table(agency=w.agency, start=start, end=end, now=NOW)
        assert {r.key: r.values for r in table.rows} == recompute(w.agency, start, end), (start, end)
        t = table.total
        assert t["received_total"] == t["finished_total"] + t["processing_total"] + t["paused"] + t["closed_other"]


def test_may_carries_over_what_april_left_open(scene):
    w, d, _ = scene
    april = statistics_table(agency=w.agency, start=START, end=END, now=NOW).total
    may = statistics_table(agency=w.agency, start=date(2026, 5, 1), end=date(2026, 5, 31), now=NOW).total
    assert may["carried_over"] == april["processing_total"] + april["paused"] == 6


def book_expected(agency, field_name) -> list[str]:
    rows = []
    for dossier in Dossier.objects.filter(agency=agency).prefetch_related("events").select_related("procedure_version__field"):
        accepted = next(
            (e.at for e in sorted(dossier.events.all(), key=lambda e: (e.at, e.id)) if e.status_to == "accepted"), None
        )
        if accepted is not None and START_DT <= accepted < END_DT and dossier.procedure_version.field.name == field_name:
            rows.append((accepted, dossier.code))
    return [code for _, code in sorted(rows)]


def test_tracking_book_equals_the_recomputation(scene):
    w, d, _ = scene
    sections = {s.field_name: s for s in tracking_book(agency=w.agency, start=START, end=END)}
    assert set(sections) == {"Đầu tư tại Việt Nam", "Xây dựng"}
    for name, section in sections.items():
        assert [r.dossier.code for r in section.rows] == book_expected(w.agency, name)
        assert [r.seq for r in section.rows] == list(range(1, len(section.rows) + 1))
    invest = [r.dossier.code for r in sections["Đầu tư tại Việt Nam"].rows]
    assert invest == [d[k].code for k in ("n8", "n6", "n9", "n1", "n10", "n3", "n2", "n5")]
    assert [r.dossier.code for r in sections["Xây dựng"].rows] == [d["n4"].code, d["n7"].code]
    n8 = next(r for r in sections["Đầu tư tại Việt Nam"].rows if r.dossier.code == d["n8"].code)
    assert n8.appointment == aware(2026, 4, 15, 17, 0) and n8.new_appointment == aware(2026, 4, 30, 17, 0)
    assert n8.dossier.finished_at == aware(2026, 4, 22, 9) and n8.dossier.timeliness == "early"
    n10 = next(r for r in sections["Đầu tư tại Việt Nam"].rows if r.dossier.code == d["n10"].code)
    assert n10.paused_times == 2 and n10.new_appointment is None
    only = tracking_book(agency=w.agency, start=START, end=END, field_id=sections["Xây dựng"].field_id)
    assert [s.field_name for s in only] == ["Xây dựng"]


def test_xlsx_files_hold_the_same_figures(scene):
    w, d, _ = scene
    sections = tracking_book(agency=w.agency, start=START, end=END)
    wb = load_workbook(BytesIO(exports.book_xlsx(sections, agency_name=w.agency.name, start=START, end=END)))
    assert wb.sheetnames == [s.field_name for s in sections]
    for section in sections:
        ws = wb[section.field_name]
        assert ws["A1"].value == "SỔ THEO DÕI HỒ SƠ (Mẫu số 06)"
        header = next(r for r in range(1, 10) if ws.cell(row=r, column=2).value == "Mã hồ sơ")
        codes = [ws.cell(row=header + i, column=2).value for i in range(1, len(section.rows) + 1)]
        assert codes == book_expected(w.agency, section.field_name)
        first = section.rows[0].dossier
        assert ws.cell(row=header + 1, column=6).value == timezone.localtime(first.accepted_at).replace(tzinfo=None)
        assert ws.cell(row=header + 1, column=6).number_format == "DD/MM/YYYY HH:MM"
    table = statistics_table(agency=w.agency, start=START, end=END, now=NOW)
    labels = {"field": "Lĩnh vực", "procedure": "Thủ tục hành chính"}
    ws = load_workbook(BytesIO(exports.statistics_xlsx(table, agency_name=w.agency.name, group_labels=labels))).active
    last = ws.max_row
    assert ws.cell(row=last, column=1).value == "Tổng cộng"
    got = [ws.cell(row=last, column=3 + i).value for i in range(len(STAT_KEYS))]
    assert got == [table.total[k] for k in STAT_KEYS]
    assert dict(zip(STAT_KEYS, got, strict=True))["received_total"] == 14
    assert timedelta(0) <= NOW - table.as_of
