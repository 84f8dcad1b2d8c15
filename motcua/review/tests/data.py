"""Generated records with answers known by construction (not read back from the code under test): dossiers of
one procedure in March–June 2021 accepted and decided at the start of an office span, so that their office
time is a count of weekdays × 7.5 h (+ 4 h when decided at 13:30), pauses of whole hours, supplement requests
naming papers, refusals with reasons, PAKN and ratings; plus records that must not count (another procedure,
another agency, outside the year)."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from motcua.dossiers.models import Channel, Dossier, Outcome, Pause, Status, SupplementRequest, Timeliness
from motcua.dossiers.tests.factories import make_agency, make_units, make_version
from motcua.feedback.models import Category, Feedback, SatisfactionRating

DAY = 7.5 * 3600  # 07:30–11:30 and 13:30–17:00 (the settings' defaults)
PAPERS = ["Bản sao giấy chứng nhận đăng ký doanh nghiệp", "Văn bản đề nghị (mẫu mới)", "Bản vẽ mặt bằng", "Giấy ủy quyền"]
REASONS = ["Không thuộc thẩm quyền giải quyết", "Hồ sơ không đủ điều kiện theo quy định"]
CRITERIA = [
    "total_time",
    "time_per_agency",
    "contacts",
    "agencies_contacted",
    "reception_return",
    "procedure_publicity",
    "staff_attitude",
    "feedback_handling",
    "online_quality",
]


def at(d: date, hh: int, mm: int) -> datetime:
    return timezone.make_aware(datetime(d.year, d.month, d.day, hh, mm))


def weekdays_between(a: date, b: date) -> int:
    """Weekdays in [a, b): March–June 2021 has no public holiday on a weekday except 30/4 and 3/5 (handled by
    the generator never spanning them)."""
    n, d = 0, a
    while d < b:
        n += d.weekday() < 5
        d += timedelta(days=1)
    return n


@dataclass
class Expected:
    received: int = 0
    online: int = 0
    finished: int = 0
    late: int = 0
    times: list[float] = field(default_factory=list)
    supplement_dossiers: int = 0
    papers: dict[str, int] = field(default_factory=dict)
    refused: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    pakn: int = 0
    subjects: dict[str, int] = field(default_factory=dict)
    ratings: list[int] = field(default_factory=list)


_seq = iter(range(1, 10**6))


def _dossier(agency, version, *, channel=Channel.COUNTER, **kw) -> Dossier:
    n = next(_seq)
    return Dossier.objects.create(
        code=f"T{agency.pk}-{n:05d}",
        agency=agency,
        procedure_version=version,
        channel=channel,
        applicant_name=f"Người nộp {n}",
        **kw,
    )


def decided(agency, version, *, accepted_at: datetime, finished_at: datetime, late: bool, **kw) -> Dossier:
    """A dossier received and accepted at `accepted_at`, decided at `finished_at`, late or on time (its due date a
    day before or after)."""
    return _dossier(
        agency,
        version,
        status=Status.DECIDED,
        received_at=accepted_at,
        accepted_at=accepted_at,
        finished_at=finished_at,
        due_at=finished_at + timedelta(days=-1 if late else 1),
        original_due_at=finished_at,
        timeliness=Timeliness.LATE if late else Timeliness.ON_TIME,
        **kw,
    )


def supplemented(dossier: Dossier, *, at: datetime, hours: int, items: list[str]) -> SupplementRequest:
    """The dossier paused `hours` office hours from `at` for a supplement of `items`."""
    pause = Pause.objects.create(
        dossier=dossier,
        reason=Pause.Reason.SUPPLEMENT,
        started_at=at,
        ended_at=at + timedelta(hours=hours),
        resume_status=Status.PROCESSING,
        working_seconds=hours * 3600,
    )
    return SupplementRequest.objects.create(dossier=dossier, pause=pause, items=items, requested_at=at)


def build(seed: int = 7):
    rnd = random.Random(seed)
    agency = make_agency()
    units = make_units(agency)
    version = make_version(agency, units=units, committed="10", legal="15", valid_from=date(2020, 1, 1))
    other = make_version(agency, units=units)  # another procedure of the same agency
    exp = Expected()
    # Weeks of March, May (after the 30/4–3/5 holidays) and June 2021, Mondays.
    mondays = [
        date(2021, 3, 1),
        date(2021, 3, 8),
        date(2021, 3, 15),
        date(2021, 3, 22),
        date(2021, 5, 10),
        date(2021, 5, 17),
        date(2021, 6, 7),
    ]
    for i in range(23):
        start = mondays[i % len(mondays)] + timedelta(days=rnd.randrange(0, 3))
        finish_day = start + timedelta(days=rnd.randrange(1, 12))
        while finish_day.weekday() >= 5:
            finish_day += timedelta(days=1)
        afternoon = rnd.random() < 0.4
        finished_at = at(finish_day, 13, 30) if afternoon else at(finish_day, 7, 30)
        office = weekdays_between(start, finish_day) * DAY + (4 * 3600 if afternoon else 0)
        pause_hours = rnd.choice([0, 0, 2, 5, 9])
        pause_hours = min(pause_hours, int(office // 3600))
        late = rnd.random() < 0.3
        channel = Channel.ONLINE if rnd.random() < 0.5 else Channel.COUNTER
        outcome = Outcome.REJECTED if i % 7 == 3 else Outcome.APPROVED
        d = decided(
            agency,
            version,
            accepted_at=at(start, 7, 30),
            finished_at=finished_at,
            late=late,
            channel=channel,
            outcome=outcome,
            outcome_note=REASONS[i % 2] + ("  " if i % 3 == 0 else "") if outcome == Outcome.REJECTED else "",
            supplement_count=1 if pause_hours else 0,
        )
        exp.received += 1
        exp.online += channel == Channel.ONLINE
        exp.finished += 1
        exp.late += late
        exp.times.append((office - pause_hours * 3600) / DAY)
        if outcome == Outcome.REJECTED:
            exp.rejected += 1
            exp.reasons[REASONS[i % 2]] = exp.reasons.get(REASONS[i % 2], 0) + 1
        if pause_hours:
            asked = rnd.sample(PAPERS, rnd.randrange(1, 3))
            # The same paper typed twice in one request (with extra spaces) counts once.
            supplemented(d, at=at(start, 7, 30), hours=pause_hours, items=asked + [f" {asked[0]} "])
            exp.supplement_dossiers += 1
            for p in asked:
                exp.papers[p] = exp.papers.get(p, 0) + 1
        if rnd.random() < 0.6:
            scores = {c: rnd.randrange(0, 3) for c in CRITERIA}
            total = sum(scores.values())
            SatisfactionRating.objects.create(
                dossier=d,
                agency=agency,
                overall="khong_hai_long" if total < 9 else "hai_long",
                submitted_at=finished_at + timedelta(days=1),
                **scores,
            )
            exp.ratings.append(total)
    # Refused at reception (no processing time), one of them online.
    for i in range(3):
        _dossier(
            agency,
            version,
            channel=Channel.ONLINE if i == 0 else Channel.COUNTER,
            status=Status.REFUSED,
            received_at=at(date(2021, 4, 5 + i), 8, 0),
            finished_at=at(date(2021, 4, 5 + i), 9, 0),
            outcome_note=REASONS[1],
        )
        exp.received += 1
        exp.online += i == 0
        exp.refused += 1
        exp.reasons[REASONS[1]] = exp.reasons.get(REASONS[1], 0) + 1
    # Still processing: received, no processing time.
    _dossier(
        agency,
        version,
        status=Status.PROCESSING,
        received_at=at(date(2021, 11, 2), 8, 0),
        accepted_at=at(date(2021, 11, 2), 8, 0),
    )
    exp.received += 1
    # PAKN about the procedure: two subjects by title, one without a title (grouped by its category).
    for title in ["Thời gian giải quyết kéo dài", "Thời gian giải quyết kéo dài", "Yêu cầu giấy tờ không có trong quy định", ""]:
        _feedback(agency, version.procedure, title, at(date(2021, 8, 2), 9, 0))
        exp.pakn += 1
        key = title or Category.PROCEDURE.label
        exp.subjects[key] = exp.subjects.get(key, 0) + 1
    # Must not count: other procedure, other year, other agency.
    _dossier(
        agency, other, status=Status.PROCESSING, received_at=at(date(2021, 3, 2), 8, 0), accepted_at=at(date(2021, 3, 2), 8, 0)
    )
    _dossier(
        agency,
        version,
        status=Status.PROCESSING,
        received_at=at(date(2020, 12, 31), 16, 0),
        accepted_at=at(date(2020, 12, 31), 16, 0),
    )
    _dossier(
        agency, version, status=Status.PROCESSING, received_at=at(date(2022, 1, 3), 8, 0), accepted_at=at(date(2022, 1, 3), 8, 0)
    )
    _feedback(agency, version.procedure, "Năm sau", at(date(2022, 1, 4), 9, 0))
    _feedback(agency, other.procedure, "Thủ tục khác", at(date(2021, 5, 4), 9, 0))
    second = make_agency()
    second_version = make_version(second, code=version.procedure.code + "-B")
    _dossier(second, second_version, status=Status.PROCESSING, received_at=at(date(2021, 3, 2), 8, 0))
    return agency, version, other, exp


def _feedback(agency, procedure, title, received_at) -> Feedback:
    n = next(_seq)
    return Feedback.objects.create(
        code=f"PAKN-T-{n:05d}",
        agency=agency,
        category=Category.PROCEDURE,
        procedure=procedure,
        title=title,
        content="Nội dung phản ánh",
        submitter_email="nguoidan@example.vn",
        received_at=received_at,
        clock_started_at=received_at,
        refuse_due=received_at,
        more_info_due=received_at,
        resolve_due=received_at,
    )


def linear_percentile(values: list[float], p: float) -> float:
    """Written from the definition: rank r = (n − 1)·p (from 0), interpolate between floor(r) and ceil(r)."""
    xs = sorted(values)
    r = (len(xs) - 1) * p
    lo = int(r)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (r - lo)
