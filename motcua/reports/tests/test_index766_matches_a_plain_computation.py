"""The Decision 766 index recomputed independently from the raw records — plain Python over every row,
no engine code — equals the engine's, indicator by indicator, on generated data whose answers were worked
out by hand (index766_data): the threshold rule (rate × max ÷ threshold, capped at the max), supplements
counted late (more than one request), paused time deducted (the deadline moved by the pauses' office time,
recomputed here from the pause moments) and the PAKN stage deadlines across Tết 2026 (recomputed here by
walking the working days)."""

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.utils import timezone

from motcua.catalog.models import DecisionItem, ProcedureVersion
from motcua.core.models import Agency
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile, Extension, Pause, SupplementRequest
from motcua.feedback.models import Feedback, SatisfactionRating
from motcua.papers.models import PaperReuse
from motcua.payments.models import Payment
from motcua.reports.index766.engine import compute
from motcua.reports.index766.models import IndexIndicator, IndexVersion
from motcua.reports.index766.periods import parse_period
from motcua.workcalendar.selectors import Calendar, office_spans

from .index766_data import KNOWN_A, KNOWN_B, NOW, PERIOD, build

pytestmark = pytest.mark.django_db

CAL = Calendar()
PAKN_DAYS = {"refuse": 2, "more_info": 5, "resolve": 15, "publish": 2}


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def close_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, office_spans()[-1][1]))


def plain_working_day_deadline(received: datetime, days: int) -> datetime:
    """Day of receipt not counted; a reception on a day off counts from the next working day; the deadline
    is the close of office hours of the `days`-th working day after it (no reception cut-off configured)."""
    day = local(received).date()
    while not CAL.is_working_day(day):
        day += timedelta(days=1)
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if CAL.is_working_day(day):
            counted += 1
    return close_of(day)


def tree(root: Agency) -> set[int]:
    ids, grew = {root.pk}, True
    rows = list(Agency.objects.values_list("pk", "parent_id"))
    while grew:
        more = {pk for pk, parent in rows if parent in ids} - ids
        grew = bool(more)
        ids |= more
    return ids


def plain_index(agency: Agency, period_key: str, now: datetime) -> dict[str, tuple[int, int]]:
    """(earned, total) of every indicator, from the raw rows, without the engine."""
    p = parse_period(period_key)
    lo, hi = p.lo, p.hi
    ref = min(now, hi)
    ids = tree(agency)
    inside = lambda moment: moment is not None and lo <= moment < hi  # noqa: E731
    dossiers = [d for d in Dossier.objects.select_related("procedure_version") if d.agency_id in ids]
    pauses, supplements, files = defaultdict(list), defaultdict(int), defaultdict(list)
    for pause in Pause.objects.all():
        pauses[pause.dossier_id].append(pause)
    for s in SupplementRequest.objects.all():
        supplements[s.dossier_id] += 1
    for f in DossierFile.objects.all():
        files[f.dossier_id].append(f)
    assert not Extension.objects.exists()  # the plain deadline below does not model BM.04 extensions

    def deadline(d: Dossier) -> datetime:
        """The appointment moved by the office time of every pause that ended (recomputed from its moments)."""
        paused = sum(CAL.working_seconds_between(x.started_at, x.ended_at) for x in pauses[d.pk] if x.ended_at)
        return CAL.add_working_seconds(d.original_due_at, paused)

    def offers_online(v: ProcedureVersion) -> bool:
        return v.online_class in ("full", "partial") or (v.online_level or 0) >= 3

    finished = [d for d in dossiers if d.status in ("decided", "returned") and inside(d.finished_at)]
    accepted = [d for d in dossiers if inside(d.accepted_at)]
    running = [
        d
        for d in dossiers
        if d.accepted_at is not None
        and d.accepted_at < ref
        and (d.finished_at is None or d.finished_at >= ref)
        and not any(x.started_at < ref and (x.ended_at is None or x.ended_at >= ref) for x in pauses[d.pk])
    ]
    on_time = [d for d in finished if d.finished_at <= deadline(d) and supplements[d.pk] <= 1]
    electronic = [d for d in finished if d.result_file or any(f.kind == "result" for f in files[d.pk])]
    digitised = [d for d in electronic if any(f.kind in ("component", "supplement") and f.digitised for f in files[d.pk])]
    online_base = [d for d in accepted if offers_online(d.procedure_version)]
    # Online payment: the decided dossiers asked to pay (a require_payment event each), earned when every
    # requirement has a payment the gateway confirmed (status paid); cash confirmed at the desk has none.
    requirements = defaultdict(list)
    for e in DossierEvent.objects.filter(action="require_payment"):
        requirements[e.dossier_id].append(e.pk)
    paid_requirements = {p.requirement_id for p in Payment.objects.all() if p.status == "paid"}
    with_fee = [d for d in finished if requirements[d.pk]]
    paid_online = [d for d in with_fee if all(r in paid_requirements for r in requirements[d.pk])]
    reused = {r.dossier_id for r in PaperReuse.objects.all()}  # the store's reuse records (papers)

    versions = [
        v
        for v in ProcedureVersion.objects.exclude(status="draft")
        if v.agency_id in ids and v.valid_from <= p.end and (v.valid_to is None or v.valid_to > p.end)
    ]
    published_procedures = {
        i.procedure_id
        for i in DecisionItem.objects.select_related("decision")
        if i.decision.applied_at is not None and i.action in ("new", "amended", "replaced")
    }

    items = [f for f in Feedback.objects.all() if f.agency_id in ids]
    steps = []  # (done_at, plain deadline) of every PAKN step taken in the period
    for f in items:
        if inside(f.refused_at):
            steps.append((f.refused_at, plain_working_day_deadline(f.received_at, PAKN_DAYS["refuse"])))
        if inside(f.more_info_requested_at):
            steps.append((f.more_info_requested_at, plain_working_day_deadline(f.received_at, PAKN_DAYS["more_info"])))
        if inside(f.answered_at):
            clock = f.more_info_received_at or f.received_at
            steps.append((f.answered_at, plain_working_day_deadline(clock, PAKN_DAYS["resolve"])))
        if inside(f.published_at):
            steps.append((f.published_at, plain_working_day_deadline(f.answered_at, PAKN_DAYS["publish"])))
    answered = [f for f in items if inside(f.answered_at)]
    ratings = [r for r in SatisfactionRating.objects.all() if r.agency_id in ids and inside(r.submitted_at)]

    return {
        "procedures_published": (sum(v.procedure_id in published_procedures for v in versions), len(versions)),
        "progress_public": (sum(bool(d.lookup_secret_hash) for d in accepted), len(accepted)),
        "pakn_answers_published": (sum(f.published_at is not None for f in answered), len(answered)),
        "dossiers_on_time": (len(on_time), len(finished)),
        "open_within_deadline": (sum(d.due_at is None or deadline(d) >= ref for d in running), len(running)),
        "procedures_online": (sum(offers_online(v) for v in versions), len(versions)),
        "dossiers_online": (sum(d.channel == "online" for d in online_base), len(online_base)),
        "online_payment": (len(paid_online), len(with_fee)),
        "dossiers_digitised": (len(digitised), len(finished)),
        "results_electronic": (len(electronic), len(finished)),
        "data_reused": (sum(d.pk in reused for d in accepted), len(accepted)),
        "pakn_on_time": (sum(done <= due for done, due in steps), len(steps)),
        "ratings_satisfied": (sum(r.overall in ("rat_hai_long", "hai_long") for r in ratings), len(ratings)),
    }


def plain_score(earned: int, total: int, max_points: Decimal, threshold: Decimal) -> Decimal:
    """The threshold rule with exact fractions: rate × max ÷ threshold below it, the max at or above it."""
    if not total:
        return Decimal(0)
    rate = Fraction(earned * 100, total)
    points = min(Fraction(max_points), rate * Fraction(max_points) / Fraction(threshold))
    return (Decimal(points.numerator) / Decimal(points.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def engine_counts(result: dict) -> dict[str, tuple[int, int]]:
    return {i["code"]: (i["earned"], i["records"]) for g in result["groups"] for i in g["indicators"]}


@pytest.fixture
def data():
    return build()


def test_every_indicator_equals_the_plain_computation_and_the_known_answers(data):
    for agency, known in ((data.a.agency, KNOWN_A), (data.b.agency, KNOWN_B)):
        result = compute(agency=agency, period=parse_period(PERIOD), now=NOW)
        plain = plain_index(agency, PERIOD, NOW)
        assert engine_counts(result) == plain == known, agency.short_name

        weights = {i.code: i for i in IndexIndicator.objects.filter(group__version=IndexVersion.objects.get())}
        total = Decimal(0)
        for group in result["groups"]:
            group_total = Decimal(0)
            for ind in group["indicators"]:
                w = weights[ind["code"]]
                expected = plain_score(*plain[ind["code"]], w.max_points, w.threshold_percent)
                assert Decimal(str(ind["score"])) == expected, ind["code"]
                assert ind["maximum"] == float(w.max_points) and ind["threshold"] == float(w.threshold_percent)
                group_total += expected
            assert Decimal(str(group["score"])) == group_total
            total += group_total
        assert Decimal(str(result["total"])) == total


def test_hand_worked_scores_of_agency_a(data):
    """The figures a reader can check on paper (weights of the 2022 seed)."""
    result = compute(agency=data.a.agency, period=parse_period(PERIOD), now=NOW)
    scores = {i["code"]: i["score"] for g in result["groups"] for i in g["indicators"]}
    assert scores["procedures_online"] == 5.63  # 75 % < threshold 80 %: 75 × 6 ÷ 80 = 5.625
    assert scores["dossiers_online"] == 4.0  # 25 % < threshold 50 %: 25 × 8 ÷ 50
    assert scores["dossiers_on_time"] == 7.0  # 3 of 6 × 14
    assert scores["progress_public"] == 6.0  # 100 %: the max
    assert scores["online_payment"] == 5.33  # 2 of 3 paid online, threshold 100 %: 66.67 × 8 ÷ 100
    assert scores["data_reused"] == 0.0  # none of the 9 accepted reused a stored paper
    assert [g["maximum"] for g in result["groups"]] == [18, 20, 22, 22, 18]
    assert result["total"] == 47.46 and result["maximum"] == 100


def test_above_the_threshold_the_score_is_capped_at_the_max(data):
    """dossiers_online (threshold 50 %) for B alone: 1 of 1 online = 100 % → 8 points, not 16."""
    result = compute(agency=data.b.agency, period=parse_period(PERIOD), now=NOW)
    ind = next(i for g in result["groups"] for i in g["indicators"] if i["code"] == "dossiers_online")
    assert (ind["value"], ind["score"], ind["maximum"]) == (100.0, 8.0, 8.0)


def test_paused_time_is_deducted_and_a_second_supplement_counts_late(data):
    d3, d4 = data.dossiers["d3"], data.dossiers["d4"]
    assert d3.finished_at > d3.original_due_at  # after the first appointment…
    assert d3.timeliness != "late" and not d3.counts_late_766  # …but within it once the pause is deducted
    assert d4.timeliness == "early" and d4.supplement_count == 2 and d4.counts_late_766
    late = plain_index(data.a.agency, PERIOD, NOW)
    assert late["dossiers_on_time"] == (3, 6)


def test_pakn_deadlines_across_tet_are_the_plain_ones(data):
    """The stored stage deadlines the engine compares against are the plain walk over the working days."""
    f1, f3 = data.feedback["f1"], data.feedback["f3"]
    assert local(f1.refuse_due).date().isoformat() == "2026-02-24"  # Fri 13/2 + 2 working days over Tết
    assert f1.refuse_due == plain_working_day_deadline(f1.received_at, 2)
    assert f3.resolve_due == plain_working_day_deadline(f3.more_info_received_at, 15)
    assert local(f3.resolve_due).date().isoformat() == "2026-03-11"
