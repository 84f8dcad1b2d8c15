"""Each indicator of the Decision 766/QĐ-TTg (2022) index as a named, documented rule over records.

A rule says which records an indicator is a rate over (its `base`: the records behind it) and which of
them earn its points (`earned`); the engine counts both with one aggregate query and scores the rate with
the indicator's weight and threshold from the data (models.IndexIndicator). The same two definitions give
the records that earned or lost the points (the explanation), so a count and its list never disagree.

Rules read the records as they stand now, over the period [start, end] of the slice: a dossier finished in
the period, a procedure in force on its last day, a PAKN step taken in it. Where the data an indicator
needs does not exist yet, the rule says so (`data_source = NONE`) and counts nothing: no figure is invented.
Sub-indicator weights and thresholds are to confirm against the decision (docs/index766.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import DecisionItem, OnlineClass, ProcedureVersion
from motcua.dossiers.models import FINISHED_STATUSES, Dossier, DossierEvent, DossierFile, Pause
from motcua.dossiers.selectors import late_766_q
from motcua.feedback.models import Feedback, Overall, SatisfactionRating
from motcua.papers.selectors import reused_q
from motcua.payments.models import Payment

# Where an indicator's figures come from.
RECORDS = "records"  # computed from the records that exist
PARTIAL = "partial"  # computed from what exists; part of what the decision counts has no record yet
NONE = "none"  # no data source yet: not computed, scores nothing

GROUPS = {
    "transparency": _("Công khai, minh bạch"),
    "timeliness": _("Tiến độ, kết quả giải quyết"),
    "online": _("Dịch vụ công trực tuyến, thanh toán trực tuyến"),
    "digitisation": _("Số hóa hồ sơ, kết quả"),
    "satisfaction": _("Mức độ hài lòng"),
}


@dataclass(frozen=True)
class Slice:
    """What an index is computed over: agencies (the agency and those below it), a period, optionally one
    field or one procedure, and the moment the records are read at."""

    agency_ids: frozenset[int]
    start: date
    end: date
    lo: datetime  # first moment of the period
    hi: datetime  # first moment after it
    now: datetime
    field: str | None = None  # field (lĩnh vực) code
    procedure: str | None = None  # procedure code

    @property
    def ref(self) -> datetime:
        """The moment "at the end of the period" is judged at: its end, or now while it runs."""
        return min(self.now, self.hi)


@dataclass(frozen=True)
class Rule:
    code: str
    group: str
    name: str
    unit: str  # what one counted record is (a dossier, a procedure, a PAKN step, a rating)
    doc: str  # the rule in words (docs/index766.md repeats it)
    source: str  # dossiers | catalog | pakn | ratings | none
    data_source: str = RECORDS
    missing: str = ""  # what has no data source yet (lazy Vietnamese text)
    # (slice) -> {"total": n, "earned": n} in one aggregate query; None for data_source NONE.
    measure: Callable[[Slice], dict[str, int]] | None = field(default=None, repr=False)
    # (slice, earned: bool) -> the records that earned (True) or lost (False) the points.
    records: Callable[[Slice, bool], QuerySet] | None = field(default=None, repr=False)
    # (slice) -> how many records have already lost the point though the measure does not show it yet (a
    # running dossier past its deadline cannot finish on time): what the forecast adds to the total.
    already_lost: Callable[[Slice], int] | None = field(default=None, repr=False)
    # For a rate rule: its base and earned condition (the engine counts the rules sharing a base in one query).
    base: Callable[[Slice], QuerySet] | None = field(default=None, repr=False)
    earned: Callable[[Slice], Q] | None = field(default=None, repr=False)


# ----------------------------------------------------------------------------- the records each rule reads


def _dossiers(s: Slice) -> QuerySet[Dossier]:
    qs = Dossier.objects.filter(agency_id__in=sorted(s.agency_ids))
    if s.field:
        qs = qs.filter(procedure_version__field__code=s.field)
    if s.procedure:
        qs = qs.filter(procedure_version__procedure__code=s.procedure)
    return qs


def finished_in_period(s: Slice) -> QuerySet[Dossier]:
    """Dossiers decided (finished with a result) in the period."""
    return _dossiers(s).filter(status__in=FINISHED_STATUSES, finished_at__gte=s.lo, finished_at__lt=s.hi)


def accepted_in_period(s: Slice) -> QuerySet[Dossier]:
    """Dossiers accepted (received into processing) in the period."""
    return _dossiers(s).filter(accepted_at__gte=s.lo, accepted_at__lt=s.hi)


def running_at_end(s: Slice) -> QuerySet[Dossier]:
    """Dossiers accepted before the end of the period, not closed before it and not paused at it (the clock
    of a paused dossier is stopped: it is neither within nor past its deadline)."""
    paused = Pause.objects.filter(dossier=OuterRef("pk"), started_at__lt=s.ref).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=s.ref)
    )
    return (
        _dossiers(s)
        .filter(accepted_at__lt=s.ref)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=s.ref))
        .annotate(paused_at_end=Exists(paused))
        .filter(paused_at_end=False)
    )


def _fee_requirements():
    """A dossier's fee requirements: its `require_payment` events (an officer's "Yêu cầu thực hiện nghĩa vụ tài
    chính"; each later requirement is another one, paid by its own payment)."""
    return DossierEvent.objects.filter(dossier=OuterRef("pk"), action="require_payment")


def finished_with_fee(s: Slice) -> QuerySet[Dossier]:
    """Dossiers decided in the period that were asked to pay a fee or charge (at least one requirement)."""
    return finished_in_period(s).filter(Exists(_fee_requirements()))


def accepted_online_offered(s: Slice) -> QuerySet[Dossier]:
    """Dossiers accepted in the period of procedures offered online."""
    return accepted_in_period(s).filter(offers_online_q("procedure_version__"))


def versions_in_force(s: Slice) -> QuerySet[ProcedureVersion]:
    """The agencies' procedures in force on the last day of the period (one version per procedure)."""
    on = s.end
    qs = ProcedureVersion.objects.filter(agency_id__in=sorted(s.agency_ids), valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )
    qs = qs.exclude(status=ProcedureVersion.Status.DRAFT)
    if s.field:
        qs = qs.filter(field__code=s.field)
    if s.procedure:
        qs = qs.filter(procedure__code=s.procedure)
    return qs


def _feedback(s: Slice) -> QuerySet[Feedback]:
    qs = Feedback.objects.filter(agency_id__in=sorted(s.agency_ids))
    if s.procedure:
        qs = qs.filter(procedure__code=s.procedure)
    if s.field:
        qs = qs.filter(procedure_id__in=Subquery(ProcedureVersion.objects.filter(field__code=s.field).values("procedure_id")))
    return qs


def _ratings(s: Slice) -> QuerySet[SatisfactionRating]:
    qs = SatisfactionRating.objects.filter(agency_id__in=sorted(s.agency_ids), submitted_at__gte=s.lo, submitted_at__lt=s.hi)
    if s.field:
        qs = qs.filter(dossier__procedure_version__field__code=s.field)
    if s.procedure:
        qs = qs.filter(dossier__procedure_version__procedure__code=s.procedure)
    return qs


# ----------------------------------------------------------------------------- "earned" conditions


def offers_online_q(prefix: str = "") -> Q:
    """A procedure offered as an online public service: Decree 42/2022 full or partial, or old level 3/4."""
    return Q(**{f"{prefix}online_class__in": [OnlineClass.FULL, OnlineClass.PARTIAL]}) | Q(**{f"{prefix}online_level__gte": 3})


def _published_q(s: Slice | None = None) -> Q:
    published = DecisionItem.objects.filter(
        procedure_id=OuterRef("procedure_id"),
        decision__applied_at__isnull=False,
        action__in=[DecisionItem.Action.NEW, DecisionItem.Action.AMENDED, DecisionItem.Action.REPLACED],
    )
    return Q(Exists(published))


def electronic_result_q(s: Slice | None = None) -> Q:
    """The result exists as a file in the system: the dossier's result file or a result file row."""
    return ~Q(result_file="") | Q(Exists(DossierFile.objects.filter(dossier=OuterRef("pk"), kind="result")))


def paid_online_q(s: Slice | None = None) -> Q:
    """Every fee requirement of the dossier was paid online: each has a paid `payments.Payment` (confirmed by the
    gateway's notice). A requirement confirmed by hand at the desk (cash) has none."""
    paid = Payment.objects.filter(requirement=OuterRef("pk"), status=Payment.Status.PAID)
    return ~Q(Exists(_fee_requirements().filter(~Q(Exists(paid)))))


def digitised_q(s: Slice | None = None) -> Q:
    """Decision 766: the dossier's documents are stored as digitised files and its result is electronic."""
    files = DossierFile.objects.filter(dossier=OuterRef("pk"), kind__in=["component", "supplement"], digitised=True)
    return Q(Exists(files)) & electronic_result_q()


# ----------------------------------------------------------------------------- rate rules


def rate(base: Callable[[Slice], QuerySet], earned: Callable[[Slice], Q]):
    """(measure, records) of a rule that is the share of `base` records meeting `earned`."""

    def measure(s: Slice) -> dict[str, int]:
        return base(s).aggregate(total=Count("pk"), earned=Count("pk", filter=earned(s)))

    def records(s: Slice, won: bool) -> QuerySet:
        q = earned(s)
        return base(s).filter(q if won else ~q)

    return measure, records


# PAKN: one counted unit per stage step taken in the period (refuse 2, ask for more 5, resolve 15, publish 2
# working days: the deadlines stored on the row by the feedback app, computed over the working calendar).
PAKN_STAGES = {
    "refuse": ("refused_at", "refuse_due"),
    "more_info": ("more_info_requested_at", "more_info_due"),
    "resolve": ("answered_at", "resolve_due"),
    "publish": ("published_at", "publish_due"),
}


def _taken(s: Slice, done: str) -> Q:
    return Q(**{f"{done}__gte": s.lo, f"{done}__lt": s.hi})


def _pakn_measure(s: Slice) -> dict[str, int]:
    agg = {}
    for stage, (done, due) in PAKN_STAGES.items():
        agg[f"{stage}_taken"] = Count("pk", filter=_taken(s, done))
        agg[f"{stage}_on_time"] = Count("pk", filter=_taken(s, done) & Q(**{f"{done}__lte": F(due)}))
    row = _feedback(s).aggregate(**agg)
    return {
        "total": sum(row[f"{stage}_taken"] for stage in PAKN_STAGES),
        "earned": sum(row[f"{stage}_on_time"] for stage in PAKN_STAGES),
    }


def _pakn_records(s: Slice, won: bool) -> QuerySet[Feedback]:
    """PAKN with a step taken on time in the period (earned) / taken late (lost)."""
    q = Q()
    for done, due in PAKN_STAGES.values():
        judged = Q(**{f"{done}__lte": F(due)}) if won else Q(**{f"{done}__gt": F(due)})
        q |= _taken(s, done) & judged
    return _feedback(s).filter(q)


def _answered(s: Slice) -> QuerySet[Feedback]:
    return _feedback(s).filter(answered_at__gte=s.lo, answered_at__lt=s.hi)


def _overdue_running(s: Slice) -> int:
    """Dossiers running now (not paused) and already past their deadline."""
    return running_at_end(s).filter(due_at__lt=s.ref).count()


def _pakn_overdue(s: Slice) -> int:
    """PAKN steps already late and not yet taken: an open item past its resolve deadline, an answer past its
    publication deadline."""
    row = _feedback(s).aggregate(
        resolve=Count("pk", filter=Q(status__in=["received", "in_progress"], resolve_due__lt=s.ref)),
        publish=Count("pk", filter=Q(status="answered", publish_due__lt=s.ref)),
    )
    return row["resolve"] + row["publish"]


def _rule(
    code, group, name, unit, doc, source, base=None, earned=None, *, data_source=RECORDS, missing="", custom=None, lost=None
):
    measure, records = custom if custom else rate(base, earned) if base is not None else (None, None)
    return Rule(code, group, name, unit, doc, source, data_source, missing, measure, records, lost, base, earned)


RULES: list[Rule] = [
    # 1. Transparency
    _rule(
        "procedures_published",
        "transparency",
        _("TTHC được công bố, công khai"),
        _("thủ tục"),
        "Share of the agency's procedures in force on the last day of the period published by an applied "
        "publication decision (new, amended or replaced).",
        "catalog",
        versions_in_force,
        _published_q,
    ),
    _rule(
        "progress_public",
        "transparency",
        _("Hồ sơ được công khai tiến độ giải quyết"),
        _("hồ sơ"),
        "Share of dossiers accepted in the period whose progress the applicant can follow (a lookup code "
        "issued with the receipt).",
        "dossiers",
        accepted_in_period,
        lambda s: ~Q(lookup_secret_hash=""),
        data_source=PARTIAL,
        missing=_("Đồng bộ trạng thái hồ sơ lên Cổng Dịch vụ công quốc gia: chưa có nguồn dữ liệu."),
    ),
    _rule(
        "pakn_answers_published",
        "transparency",
        _("Kết quả trả lời PAKN được công khai"),
        _("PAKN"),
        "Share of PAKN answered in the period whose answer was published.",
        "pakn",
        _answered,
        lambda s: Q(published_at__isnull=False),
    ),
    # 2. Timeliness and results
    _rule(
        "dossiers_on_time",
        "timeliness",
        _("Hồ sơ giải quyết đúng hạn"),
        _("hồ sơ"),
        "Share of dossiers finished in the period on time: no later than the appointment, paused time "
        "(supplement, financial obligation) deducted; a dossier asked to supplement more than once counts late.",
        "dossiers",
        finished_in_period,
        lambda s: ~late_766_q(),
        lost=_overdue_running,
    ),
    _rule(
        "open_within_deadline",
        "timeliness",
        _("Hồ sơ đang giải quyết còn trong hạn"),
        _("hồ sơ"),
        "Share of dossiers being processed at the end of the period (not paused) that are not past their "
        "deadline at that moment.",
        "dossiers",
        running_at_end,
        lambda s: Q(due_at__isnull=True) | Q(due_at__gte=s.ref),
    ),
    # 3. Online services and payment
    _rule(
        "procedures_online",
        "online",
        _("TTHC cung cấp dịch vụ công trực tuyến"),
        _("thủ tục"),
        "Share of the procedures in force offered online (Decree 42/2022 full or partial, or level 3/4); "
        "full points at the threshold (80 %).",
        "catalog",
        versions_in_force,
        lambda s: offers_online_q(),
    ),
    _rule(
        "dossiers_online",
        "online",
        _("Hồ sơ nộp trực tuyến"),
        _("hồ sơ"),
        "Share of dossiers accepted in the period, of procedures offered online, submitted online; full "
        "points at the threshold (50 %).",
        "dossiers",
        accepted_online_offered,
        lambda s: Q(channel="online"),
    ),
    _rule(
        "online_payment",
        "online",
        _("Thanh toán trực tuyến"),
        _("hồ sơ"),
        "Share of dossiers decided in the period that were asked to pay a fee or charge whose every fee "
        "requirement was paid online (a paid payment confirmed by the gateway); paid in cash at the desk loses it.",
        "dossiers",
        finished_with_fee,
        paid_online_q,
    ),
    # 4. Digitisation
    _rule(
        "dossiers_digitised",
        "digitisation",
        _("Hồ sơ được số hóa"),
        _("hồ sơ"),
        "Share of dossiers finished in the period that are digitised: documents stored as digitised files "
        "and an electronic result.",
        "dossiers",
        finished_in_period,
        digitised_q,
    ),
    _rule(
        "results_electronic",
        "digitisation",
        _("Kết quả giải quyết điện tử"),
        _("hồ sơ"),
        "Share of dossiers finished in the period with an electronic result (a result file in the system).",
        "dossiers",
        finished_in_period,
        electronic_result_q,
        data_source=PARTIAL,
        missing=_("Kết quả điện tử có chữ ký số, lưu vào kho dữ liệu quốc gia: chưa có nguồn dữ liệu."),
    ),
    _rule(
        "data_reused",
        "digitisation",
        _("Khai thác, sử dụng lại dữ liệu số hóa"),
        _("hồ sơ"),
        "Share of dossiers accepted in the period that reused a paper of the applicant's store (a digitised paper "
        "or an electronic result kept by an earlier dossier) instead of a new upload: papers.selectors.reused_q.",
        "dossiers",
        accepted_in_period,
        lambda s: reused_q(),
        data_source=PARTIAL,
        # Not the identity-verified submissions (applicant:oidc): signing in is not reusing data (docs/index766.md).
        missing=_(
            "Khai thác dữ liệu từ Cơ sở dữ liệu quốc gia về dân cư và các cơ sở dữ liệu chuyên ngành: chưa có nguồn dữ liệu."
        ),
    ),
    # 5. Satisfaction
    _rule(
        "pakn_on_time",
        "satisfaction",
        _("PAKN xử lý đúng hạn"),
        _("bước xử lý PAKN"),
        "Share of PAKN steps taken in the period within their deadline: refuse within 2, ask for more within "
        "5, resolve within 15 (counted again from the information received), publish within 2 working days.",
        "pakn",
        custom=(_pakn_measure, _pakn_records),
        lost=_pakn_overdue,
    ),
    _rule(
        "ratings_satisfied",
        "satisfaction",
        _("Người dân, doanh nghiệp hài lòng"),
        _("đánh giá"),
        "Share of satisfaction ratings given in the period that are rất hài lòng or hài lòng.",
        "ratings",
        _ratings,
        lambda s: Q(overall__in=[Overall.VERY_SATISFIED, Overall.SATISFIED]),
    ),
]

RULES_BY_CODE = {r.code: r for r in RULES}
RULE_CHOICES = [(r.code, f"{r.code} — {r.name}") for r in RULES]


# ----------------------------------------------------------------------------- what the monthly summary holds
# (summary.py, docs/index766.md "Summaries"). A rule over one of these bases is additive over calendar months:
# FLOW — its records are the period's events (finished, accepted in it): a period's counts are the sum of its
#        months'; SNAPSHOT — its records are read at the period's end: a period's counts are its last month's.
# Every other rule (the catalogue's, PAKN, ratings) is LIVE: counted from the records on every read, as before.
FLOW, SNAPSHOT = "flow", "snapshot"
SUMMARY_KIND = {
    finished_in_period: FLOW,
    accepted_in_period: FLOW,
    finished_with_fee: FLOW,
    accepted_online_offered: FLOW,
    running_at_end: SNAPSHOT,
}


def summary_kind(rule: Rule) -> str | None:
    """FLOW or SNAPSHOT for a rule the monthly summary holds, None for a LIVE one."""
    return SUMMARY_KIND.get(rule.base) if rule.base is not None else None
