"""Bulk generator of realistic past dossiers (for benchmarks, demos and report testing).

Each dossier's life is planned as the calls the desk would have made to the services — the intake,
acceptance, hand-overs, requests for supplements and payment and their answers, an extension, the
decision and the return, or a refusal, withdrawal or stop — each at an office moment, the system acting
(`core.transitions.SYSTEM`). The rows those calls write are computed here, with the same rules
(`deadlines`, the calendar's office time, the services' field values), and written in batches: COPY on
PostgreSQL, bulk_create elsewhere. Written: the dossier (code from the daily sequence, which is advanced
past the generated numbers; search text; lookup secret's hash), its steps (BM.05), pauses, supplement
requests, extension, timeline events, and one audit entry per call, continuing the hash chain under the
audit head's lock with the one hash function (`core.audit_hash.audit_entry_hash`).

Not written: messages to applicants (the services queue them in the outbox; a past dossier must not mail
its applicant years later), files. `Generator(keep_plans=True)` keeps every call (`Plan.acts`), and
`tests/test_generator_matches_services.py` makes the same calls through the services and compares every
row both wrote.
"""

from __future__ import annotations

import json
import random
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from motcua.catalog.models import ProcedureVersion, ProcessStep, TimeUnit
from motcua.core import context
from motcua.core.audit_hash import audit_entry_hash
from motcua.core.models import Agency, AuditHead, AuditLog, Unit, User
from motcua.core.transitions import SYSTEM
from motcua.workcalendar.selectors import Calendar, office_spans

from . import deadlines, summaries
from .intake import dossier_code
from .lookup_secret import lookup_secret_hash
from .models import (
    ApplicantKind,
    Channel,
    DailySequence,
    Delivery,
    Dossier,
    DossierEvent,
    DossierStep,
    Extension,
    Outcome,
    Pause,
    Status,
    SupplementRequest,
)
from .search import dossier_search_text

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Xuân", "Thu", "Hoài", "Gia"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hoa",
    "Hùng",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Trung",
    "Tú",
    "Việt",
    "Yến",
]
COMPANY_KINDS = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Doanh nghiệp tư nhân"]
COMPANY_NAMES = [
    "Hải Hà",
    "Phú Thịnh",
    "An Phát",
    "Việt Hưng",
    "Đông Á",
    "Sao Mai",
    "Hoàng Long",
    "Tân Cảng",
    "Minh Phát",
    "Thái Bình Dương",
    "Kim Sơn",
    "Nam Việt",
    "Đại Dương",
    "Bình Minh",
    "Trường Thành",
]
STREETS = ["Trần Phú", "Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Lý Thường Kiệt", "Quang Trung", "Hùng Vương", "Điện Biên Phủ"]
SUPPLEMENT_ITEMS = [
    "Bản sao giấy chứng nhận đăng ký doanh nghiệp",
    "Hợp đồng thuê đất",
    "Bản vẽ mặt bằng",
    "Văn bản ủy quyền",
    "Báo cáo tài chính hai năm gần nhất",
    "Giấy xác nhận nộp thuế",
]
REFUSAL = "Hồ sơ không thuộc thẩm quyền giải quyết"
REJECTION = "Không đáp ứng điều kiện theo quy định"
WITHDRAWAL = "Theo đề nghị của người nộp"
STOPPING = "Dừng xử lý theo quy định"
EXTENSION = "Cần lấy ý kiến của cơ quan liên quan"
VN = dt_timezone(timedelta(hours=7))  # Asia/Ho_Chi_Minh has had no DST since 1975: a fixed offset is exact and fast
ACTOR_REPR = SYSTEM.describe()  # the audit entry's actor: the system (no user id)


@dataclass(frozen=True)
class Mix:
    """How often each path is taken (probabilities). The defaults resemble a year of a provincial desk."""

    online: float = 0.35
    postal: float = 0.10
    refuse: float = 0.03  # of online dossiers, at reception
    two_supplements: float = 0.02
    one_supplement: float = 0.10
    payment: float = 0.03
    extend: float = 0.02
    early: float = 0.62
    on_time: float = 0.28  # the rest: late
    withdraw: float = 0.015
    stop: float = 0.005
    reject: float = 0.03


@dataclass
class VersionInfo:
    version: ProcedureVersion
    code: str  # the procedure's code (what the intake is given)
    # (process step id, name, office seconds, unit id, its own agency id, its unit's agency id), in order
    steps: list[tuple[int, str, int, int | None, int | None, int | None]]
    cutoff: time | None


@dataclass
class Act:
    """One service call: `action` ("receive" or a dossiers.machine.Action value) at `at`, with the
    service's keyword arguments besides the dossier, the actor and the moment."""

    at: datetime
    action: str
    args: dict[str, Any]


@dataclass
class Plan:
    """One generated dossier: the calls made (in order) and the rows they wrote (the dossier's key and
    code filled in when the batch is numbered)."""

    order: int
    acts: list[Act] = field(default_factory=list)
    id: int = 0
    code: str = ""
    row: dict[str, Any] = field(default_factory=dict)
    steps: list[list] = field(default_factory=list)
    pauses: list[list] = field(default_factory=list)
    supplements: list[list] = field(default_factory=list)
    extensions: list[list] = field(default_factory=list)
    events: list[list] = field(default_factory=list)
    audits: list[tuple[datetime, str, dict]] = field(default_factory=list)


class WorkDays:
    """Precomputed working days over a range: the calendar's office-time arithmetic without its per-call
    day loops (the same moments as Calendar.add_working_seconds and working_seconds_between)."""

    def __init__(self, cal: Calendar, start: date, end: date):
        self.days: list[date] = []
        day = start
        while day <= end:
            if cal.is_working_day(day):
                self.days.append(day)
            day += timedelta(days=1)
        self.index = {d: i for i, d in enumerate(self.days)}
        spans = office_spans()
        self.spans = [(a, b, a.hour * 3600 + a.minute * 60, b.hour * 3600 + b.minute * 60) for a, b in spans]
        self.day_seconds = sum(s[3] - s[2] for s in self.spans)
        self.close = spans[-1][1]

    def at_or_after(self, day: date) -> int:
        return bisect_left(self.days, day)

    def moment(self, i: int, offset: int) -> datetime:
        """The moment `offset` office seconds into working day number i (a span's start at its boundary)."""
        day = self.days[min(i, len(self.days) - 1)]
        for start, _end, begin, end in self.spans:
            if offset < end - begin:
                return datetime.combine(day, start, VN) + timedelta(seconds=offset)
            offset -= end - begin
        return datetime.combine(day, self.close, VN)

    def close_of(self, i: int) -> datetime:
        return datetime.combine(self.days[min(i, len(self.days) - 1)], self.close, VN)

    def offset(self, moment: datetime) -> int:
        """Office seconds from the first day's opening to `moment` (time outside office hours counts as the
        next office moment: a night, a weekend or the lunch break adds nothing)."""
        local = moment.astimezone(VN)
        i = bisect_left(self.days, local.date())
        if i >= len(self.days) or self.days[i] != local.date():
            return i * self.day_seconds
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        into = 0
        for _start, _end, begin, end in self.spans:
            into += min(max(seconds - begin, 0), end - begin)
        return i * self.day_seconds + into

    def at_offset(self, offset: int) -> datetime:
        """The office moment `offset` office seconds after the first day's opening (inverse of offset)."""
        i, rest = divmod(int(offset), self.day_seconds)
        if rest == 0 and i > 0:  # the close of the previous working day, not the next opening
            return self.close_of(i - 1)
        return self.moment(i, rest)

    def add(self, start: datetime, seconds: int) -> datetime:
        """Calendar.add_working_seconds: the moment `seconds` of office time after `start`, ending a span at its
        close rather than at the next opening; in `start`'s time zone when it stays in start's span, as there."""
        local = start.astimezone(VN)
        if local.date() in self.index:
            now = local.hour * 3600 + local.minute * 60 + local.second
            for _a, _b, begin, end in self.spans:
                if begin < now < end and now + seconds <= end:
                    return start + timedelta(seconds=seconds)
        off = self.offset(start) + seconds
        i, rest = divmod(off, self.day_seconds)
        if seconds > 0 and rest == 0:
            i, rest = i - 1, self.day_seconds
        day = self.days[i]
        for a, _b, begin, end in self.spans:
            length = end - begin
            if rest < length or (seconds > 0 and rest == length):
                return datetime.combine(day, a, VN) + timedelta(seconds=rest)
            rest -= length
        return datetime.combine(day, self.close, VN)

    def between(self, start: datetime, end: datetime) -> int:
        """Calendar.working_seconds_between."""
        return max(self.offset(end) - self.offset(start), 0)

    def days_between(self, start: date, end: date) -> int:
        """Calendar.working_days_between for start <= end: working days in (start, end]."""
        return bisect_right(self.days, end) - bisect_right(self.days, start)


def _citizen_id(rng: random.Random, birth: date) -> str:
    century_digit = (birth.year // 100 - 19) * 2 + rng.randint(0, 1)
    return f"{rng.randint(1, 96):03d}{century_digit}{birth.year % 100:02d}{rng.randint(0, 999999):06d}"


def _applicant(rng: random.Random) -> dict:
    """Applicant field values, as dossiers.validators.applicant_clean gives them for `applicant_input`."""
    street = f"Số {rng.randint(1, 300)} đường {rng.choice(STREETS)}"
    phone = f"09{rng.randint(10000000, 99999999)}"
    values = {
        "applicant_birth_date": None,
        "applicant_id_number": "",
        "applicant_tax_code": "",
        "applicant_representative": "",
        "authorised_name": "",
        "authorised_id_number": "",
        "authorised_phone": "",
    }
    if rng.random() < 0.68:
        birth = date(rng.randint(1955, 2003), rng.randint(1, 12), rng.randint(1, 28))
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        values.update(
            {
                "applicant_kind": ApplicantKind.INDIVIDUAL,
                "applicant_name": name,
                "applicant_birth_date": birth,
                "applicant_id_number": _citizen_id(rng, birth),
                "applicant_address": street,
                "applicant_phone": phone,
                "applicant_email": f"nguoinop{rng.randint(1, 10**6)}@example.vn" if rng.random() < 0.6 else "",
            }
        )
        return values
    tax = f"{rng.choice(['01', '02', '03', '04', '22', '31', '46', '79'])}{rng.randint(0, 99999999):08d}"
    if rng.random() < 0.1:
        tax += f"-{rng.randint(1, 20):03d}"
    rep = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    values.update(
        {
            "applicant_kind": ApplicantKind.ORGANISATION,
            "applicant_name": f"{rng.choice(COMPANY_KINDS)} {rng.choice(COMPANY_NAMES)} {rng.randint(1, 999)}",
            "applicant_tax_code": tax,
            "applicant_representative": rep,
            "applicant_address": f"Lô {rng.randint(1, 90)}, Khu công nghiệp",
            "applicant_phone": phone,
            "applicant_email": f"lienhe{rng.randint(1, 10**6)}@congty.example.vn",
        }
    )
    return values


def applicant_input(values: dict) -> dict:
    """The intake's applicant (API shape) for applicant field values."""
    birth = values["applicant_birth_date"]
    return {
        "kind": values["applicant_kind"],
        "full_name": values["applicant_name"],
        "id_number": values["applicant_id_number"],
        "birth_date": birth.isoformat() if birth else None,
        "tax_code": values["applicant_tax_code"],
        "representative": values["applicant_representative"],
        "address": values["applicant_address"],
        "phone": values["applicant_phone"],
        "email": values["applicant_email"],
    }


def _versions(agency: Agency) -> list[VersionInfo]:
    versions = list(
        ProcedureVersion.objects.filter(
            models.Q(agency=agency) | models.Q(agency__isnull=True),
            status__in=[ProcedureVersion.Status.IN_FORCE, ProcedureVersion.Status.RETIRED],
        )
        .exclude(legal_time__isnull=True, committed_time__isnull=True)
        .select_related("procedure")
    )
    unit_agency = dict(Unit.objects.values_list("pk", "agency_id"))
    steps = defaultdict(list)
    for st in ProcessStep.objects.filter(version__in=versions).order_by("version_id", "order"):
        steps[st.version_id].append(st)
    day_seconds = deadlines.working_day_seconds()
    infos = []
    for v in versions:
        unit = 3600 if v.time_unit == TimeUnit.WORKING_HOURS else day_seconds
        rows = [
            (
                st.pk,
                st.name,
                int(Decimal(st.duration) * unit),
                st.unit_id,
                st.agency_id,
                unit_agency[st.unit_id] if st.unit_id else None,
            )
            for st in steps.get(v.pk, [])
        ]
        infos.append(VersionInfo(v, v.procedure.code, rows, deadlines.reception_cutoff(v, agency)))
    return infos


class Life:
    """One dossier's rows as the services write them, call by call (the mirror of dossiers.intake and
    dossiers.transitions with the system acting). Datetimes the services read back from the database are
    in UTC there, which shows in the ISO text of event data: `_reload` does the same."""

    def __init__(self, gen: Generator, plan: Plan, info: VersionInfo):
        self.gen, self.plan, self.info = gen, plan, info
        self.row = plan.row
        self.open_step: list | None = None
        self.step_index = -1  # the open step's place in the version's process
        self.open_pause: list | None = None

    # -- the parts every call shares (dossiers.writes) ------------------------------------------------

    def _reload(self) -> None:
        row = self.row
        if row["due_at"] is not None:
            row["due_at"] = row["due_at"].astimezone(UTC)

    def _finish(self, act: Act, status_from: str, note: str = "", data: dict | None = None) -> None:
        row, plan = self.row, self.plan
        row["updated_at"] = act.at
        plan.acts.append(act)
        status = row["status"]
        plan.events.append([act.at, act.action, None, status_from, status, note, json.dumps(data or {})])
        plan.audits.append((act.at, f"dossier.{act.action}", {"status": [status_from, status], **(data or {})}))

    def _start_step(self, at: datetime, step: tuple | None, *, first: bool, assignee: User | None = None) -> None:
        gen, row = self.gen, self.row
        if step is not None:
            ps_id, name, seconds, unit_id, own_agency, unit_agency = step
            due = gen.wd.add(at, seconds)
        else:
            ps_id, name, unit_id, own_agency, unit_agency, due = None, "Tiếp nhận hồ sơ", None, None, None, row["due_at"]
        # The step's agency (dossiers.writes): reception is the deciding agency's unless the process step
        # names its own; a later step's is the chosen unit's, else the process step's own, else its unit's.
        if first:
            agency_id = own_agency or row["agency_id"]
        elif assignee is not None and assignee.unit_id:
            unit_id, agency_id = assignee.unit_id, gen.unit_agency[assignee.unit_id]
        else:
            agency_id = own_agency or unit_agency or row["agency_id"]
        if row["due_at"] is not None and due is not None and due > row["due_at"]:
            due = row["due_at"]
        uid = assignee.pk if assignee is not None else None
        self.open_step = [len(self.plan.steps) + 1, ps_id, name, unit_id, agency_id, uid, None, uid, at, due, None, ""]
        self.plan.steps.append(self.open_step)

    def _close_step(self, at: datetime) -> None:
        step = self.open_step
        if step is not None:
            step[10] = at
            step[11] = self.gen.classify(at, step[9])
            self.open_step = None

    def _appointment(self, at: datetime) -> None:
        row = self.row
        row["accepted_at"] = at
        row["due_at"] = row["original_due_at"] = self.gen.appointment(self.info, at)

    def _pause(self, at: datetime, reason: str) -> None:
        self.open_pause = [reason, at, None, self.row["status"], 0]
        self.plan.pauses.append(self.open_pause)

    def _resume(self, at: datetime) -> int:
        pause, row, wd = self.open_pause, self.row, self.gen.wd
        seconds = wd.between(pause[1], at)
        pause[2], pause[4] = at, seconds
        if seconds and row["due_at"] is not None:
            row["due_at"] = wd.add(row["due_at"], seconds)
            if self.open_step is not None:
                self.open_step[9] = wd.add(self.open_step[9], seconds)
        row["status"] = pause[3]
        self.open_pause = None
        return seconds

    # -- the calls ---------------------------------------------------------------------------------

    def receive(
        self, at: datetime, *, channel: str, applicant: dict, delivery: str, postal_tracking: str, return_address: str
    ) -> None:
        row = self.row
        row.update(
            agency_id=self.gen.agency.pk,
            procedure_version_id=self.info.version.pk,
            channel=channel,
            status=Status.SUBMITTED,
            received_at=at,
            created_at=at,
            result_delivery=delivery,
            postal_tracking=postal_tracking,
            return_address=return_address,
            due_at=None,
            **applicant,
        )
        row["search_text"] = dossier_search_text(**applicant, procedure_name=self.info.version.name)
        if channel != Channel.ONLINE:
            row["status"] = Status.ACCEPTED
            self._appointment(at)
            self._start_step(at, self.info.steps[0] if self.info.steps else None, first=True)
            self.step_index = 0
        self._finish(
            Act(
                at,
                "receive",
                {
                    "procedure_code": self.info.code,
                    "channel": channel,
                    "applicant": applicant_input(applicant),
                    "result_delivery": delivery,
                    "postal_tracking": postal_tracking,
                    "return_address": return_address,
                },
            ),
            "",
            data={"channel": channel, "procedure": self.info.code},
        )

    def accept(self, at: datetime) -> None:
        self._reload()
        self.row["status"] = Status.ACCEPTED
        self._appointment(at)
        self._start_step(at, self.info.steps[0] if self.info.steps else None, first=True)
        self.step_index = 0
        self._finish(Act(at, "accept", {}), Status.SUBMITTED, data={"due_at": self.row["due_at"].isoformat()})

    def refuse(self, at: datetime, reason: str) -> None:
        self._reload()
        before = self.row["status"]
        self._close_step(at)
        self.row.update(status=Status.REFUSED, finished_at=at, outcome_note=reason.strip())
        self._finish(Act(at, "refuse", {"reason": reason}), before, note=reason)

    def request_supplement(self, at: datetime, items: list[str]) -> None:
        self._reload()
        row = self.row
        before = row["status"]
        self._pause(at, Pause.Reason.SUPPLEMENT)
        self.plan.supplements.append([len(self.plan.pauses) - 1, json.dumps(items, ensure_ascii=False), at, None])
        row["status"] = Status.SUPPLEMENT_REQUESTED
        row["supplement_count"] = row.get("supplement_count", 0) + 1
        self._finish(Act(at, "request_supplement", {"items": items}), before, data={"items": items})

    def receive_supplement(self, at: datetime) -> None:
        self._reload()
        before = self.row["status"]
        seconds = self._resume(at)
        for supplement in self.plan.supplements:
            if supplement[3] is None:
                supplement[3] = at
        due = self.row["due_at"]
        self._finish(
            Act(at, "receive_supplement", {}),
            before,
            data={"paused_seconds": seconds, "due_at": due.isoformat() if due else None},
        )

    def require_payment(self, at: datetime, amount: int) -> None:
        self._reload()
        before = self.row["status"]
        self._pause(at, Pause.Reason.PAYMENT)
        self.row["status"] = Status.PAYMENT_REQUIRED
        self._finish(Act(at, "require_payment", {"amount_vnd": amount}), before, data={"amount_vnd": amount})

    def confirm_payment(self, at: datetime) -> None:
        self._reload()
        before = self.row["status"]
        seconds = self._resume(at)
        self._finish(Act(at, "confirm_payment", {}), before, data={"paused_seconds": seconds})

    def forward(self, at: datetime, to_user: User | None) -> None:
        """To the process step after the open one."""
        self._reload()
        before = self.row["status"]
        self._close_step(at)
        self.step_index += 1
        self._start_step(at, self.info.steps[self.step_index], first=False, assignee=to_user)
        self.row["status"] = Status.PROCESSING
        new = self.open_step
        self._finish(Act(at, "forward", {"to_user": to_user}), before, data={"step": new[0], "unit": new[3], "assignee": new[5]})

    def extend(self, at: datetime, new_due: datetime, reason: str) -> None:
        self._reload()
        row = self.row
        old = row["due_at"]
        self.plan.extensions.append([reason.strip(), old, new_due, at])
        row.update(due_at=new_due, extended=True)
        self._finish(
            Act(at, "extend", {"new_due_at": new_due, "reason": reason}),
            row["status"],
            note=reason,
            data={"previous_due_at": old.isoformat(), "new_due_at": new_due.isoformat()},
        )

    def decide(self, at: datetime, outcome: str, note: str) -> None:
        self._reload()
        row = self.row
        before = row["status"]
        self._close_step(at)
        row.update(
            status=Status.DECIDED,
            outcome=outcome,
            outcome_note=note,
            finished_at=at,
            timeliness=self.gen.classify(at, row["due_at"]),
        )
        self._finish(
            Act(at, "decide", {"outcome": outcome, "note": note}),
            before,
            note=note,
            data={"outcome": outcome, "timeliness": row["timeliness"]},
        )

    def return_result(self, at: datetime, postal_tracking: str) -> None:
        self._reload()
        row = self.row
        before = row["status"]
        row.update(status=Status.RETURNED, returned_at=at)
        if postal_tracking:
            row["postal_tracking"] = postal_tracking.strip()
        self._finish(
            Act(at, "return_result", {"postal_tracking": postal_tracking}), before, data={"delivery": row["result_delivery"]}
        )

    def close_out(self, at: datetime, action: str, status: str, reason: str) -> None:
        """Withdraw or stop: an open pause ends without moving the due date, the open step closes."""
        self._reload()
        row = self.row
        before = row["status"]
        if self.open_pause is not None:
            self.open_pause[2] = at
            self.open_pause = None
        self._close_step(at)
        row.update(status=status, finished_at=at, outcome_note=reason)
        self._finish(Act(at, action, {"reason": reason}), before, note=reason)


class Generator:
    def __init__(
        self,
        *,
        agency: Agency,
        count: int,
        years: list[int],
        seed: int = 2021,
        now: datetime | None = None,
        events: bool = True,
        batch: int = 20000,
        stdout=None,
        since: date | None = None,
        mix: Mix | None = None,
        keep_plans: bool = False,
    ):
        self.since = since
        self.agency, self.count, self.years, self.events, self.batch = agency, count, sorted(years), events, batch
        self.mix = mix or Mix()
        self.rng = random.Random(seed)
        self.now = (now or timezone.now()).astimezone(VN)
        self.stdout = stdout
        self.cal = Calendar()
        self.versions = _versions(agency)
        if not self.versions:
            raise ValueError("Chưa có thủ tục (có thời hạn) của cơ quan: hãy nạp danh mục thủ tục trước (seed_demo).")
        start = date(self.years[0], 1, 1)
        self.wd = WorkDays(
            self.cal, start - timedelta(days=10), max(date(self.years[-1], 12, 31), self.now.date()) + timedelta(days=400)
        )
        self.unit_agency: dict[int, int] = dict(Unit.objects.values_list("pk", "agency_id"))
        self.staff_by_unit: dict[int | None, list[User]] = defaultdict(list)
        for user in User.objects.filter(unit__agency=agency, is_active=True).order_by("pk"):
            self.staff_by_unit[user.unit_id].append(user)
        self._appointments: dict[tuple, datetime] = {}
        self.tz = timezone.get_current_timezone()
        self._by_day: dict[date, list[VersionInfo]] = {}
        self.vendor = connection.vendor
        self.keep_plans = keep_plans
        self.plans: list[Plan] = []

    # -- time helpers ----------------------------------------------------------------------------

    def appointment(self, info: VersionInfo, at: datetime) -> datetime:
        """deadlines.appointment, remembered per period (unit and length) and counted day: for periods in
        days it depends on nothing else."""
        v = info.version
        if v.time_unit == TimeUnit.WORKING_HOURS:
            return deadlines.appointment(self.cal, version=v, agency=self.agency, start=at)
        local = at.astimezone(self.tz)
        day = local.date()
        if day not in self.wd.index or (info.cutoff is not None and local.time() >= info.cutoff):
            day = self.wd.days[bisect_right(self.wd.days, day)]
        key = (v.time_unit, v.effective_time, day)
        due = self._appointments.get(key)
        if due is None:
            due = self._appointments[key] = deadlines.appointment(self.cal, version=v, agency=self.agency, start=at).astimezone(
                VN
            )
        return due

    def _versions_on(self, day: date) -> list[VersionInfo]:
        """Versions in force that day (all versions when none was: old years before the catalogue)."""
        found = self._by_day.get(day)
        if found is None:
            found = [
                i
                for i in self.versions
                if (i.version.valid_from is None or i.version.valid_from <= day)
                and (i.version.valid_to is None or day < i.version.valid_to)
            ] or self.versions
            self._by_day[day] = found
        return found

    def classify(self, finished: datetime, due: datetime | None) -> str:
        """deadlines.classify without the per-call timezone lookup (same rule)."""
        if due is None:
            return ""
        if finished > due:
            return "late"
        if finished.astimezone(self.tz).date() < due.astimezone(self.tz).date():
            return "early"
        return "on_time"

    def _shift(self, due: datetime, days: int) -> datetime:
        i = self.wd.index.get(due.astimezone(VN).date())
        if i is None:
            return due + timedelta(days=days)
        return datetime.combine(self.wd.days[i + days], due.astimezone(VN).timetz())

    def _idx(self, moment: datetime) -> int:
        return self.wd.at_or_after(moment.astimezone(VN).date())

    def _later(self, moment: datetime, days: int) -> datetime:
        """A random office moment after `moment`, within `days` further working days."""
        hi = self.wd.close_of(self._idx(moment) + days)
        return self._random_moment(self.wd.at_offset(self.wd.offset(moment) + 600), hi)  # 10 office minutes at least

    def _after(self, moment: datetime, seconds: int) -> datetime:
        return self.wd.at_offset(self.wd.offset(moment) + seconds)

    def _random_moment(self, lo: datetime, hi: datetime) -> datetime:
        """A random office moment after lo and at most hi (lo when the window has no office time)."""
        a, b = self.wd.offset(lo), self.wd.offset(hi)
        if b <= a:
            return lo
        return self.wd.at_offset(self.rng.randint(a + 1, b))

    # -- one dossier --------------------------------------------------------------------------------

    def _receptions(self) -> list[datetime]:
        lo = self.wd.at_or_after(self.since or date(self.years[0], 1, 1))
        hi = self.wd.at_or_after(date(self.years[-1] + 1, 1, 1)) - 1
        if self.since is not None:
            hi = min(hi, self.wd.at_or_after(self.now.date()))
        moments = []
        for _ in range(self.count):
            m = self.wd.moment(self.rng.randint(lo, hi), self.rng.randrange(self.wd.day_seconds))
            if m >= self.now:  # an office moment of the 30 working days before today
                today = self.wd.at_or_after(self.now.date())
                m = self.wd.moment(
                    self.rng.randint(max(today - 30, 0), max(today - 1, 0)), self.rng.randrange(self.wd.day_seconds)
                )
            moments.append(m)
        moments.sort()
        return moments

    def _simulate(self, plan: Plan, received: datetime) -> None:
        """Plan the dossier's calls and make them on its Life, in time order, up to now."""
        rng, now, mix, wd = self.rng, self.now, self.mix, self.wd
        info = rng.choice(self._versions_on(received.date()))
        v = info.version
        r = rng.random()
        channel = Channel.ONLINE if r < mix.online else (Channel.POSTAL if r < mix.online + mix.postal else Channel.COUNTER)
        if channel == Channel.ONLINE and not v.channel_online or channel == Channel.POSTAL and not v.channel_postal:
            channel = Channel.COUNTER
        if channel == Channel.ONLINE and rng.random() < 0.3:  # sent in the evening
            received = received.replace(hour=rng.randint(18, 22), minute=rng.randint(0, 59))
            if received >= now:
                received = now - timedelta(hours=1)
        applicant = _applicant(rng)
        delivery = rng.choices([Delivery.COUNTER, Delivery.POST, Delivery.ONLINE], [0.7, 0.15, 0.15])[0]
        postal = f"EB{rng.randint(10**8, 10**9 - 1)}VN" if channel == Channel.POSTAL else ""
        plan.row["lookup_secret_hash"] = lookup_secret_hash(f"{rng.getrandbits(32):08X}")
        life = Life(self, plan, info)
        life.receive(
            received,
            channel=channel,
            applicant=applicant,
            delivery=delivery,
            postal_tracking=postal,
            return_address=applicant["applicant_address"] if channel == Channel.POSTAL else "",
        )

        # Acceptance (online dossiers wait for the desk, a few office hours).
        if channel == Channel.ONLINE:
            accepted = self._later(received, 2)
            if rng.random() < mix.refuse:
                life.refuse(max(min(accepted, now), received), REFUSAL)
                return
            if accepted > now:
                return
            life.accept(accepted)
        else:
            accepted = received
        due0 = plan.row["due_at"]

        # Pauses (whole working days), the extension, the finishing moment: early, on time or late.
        p = rng.random()
        if p < mix.two_supplements:
            pause_days = [("supplement", rng.randint(1, 5)), ("supplement", rng.randint(1, 5))]
        elif p < mix.two_supplements + mix.one_supplement:
            pause_days = [("supplement", rng.randint(1, 8))]
        elif p < mix.two_supplements + mix.one_supplement + mix.payment:
            pause_days = [("payment", rng.randint(1, 3))]
        else:
            pause_days = []
        due = self._shift(due0, sum(k for _, k in pause_days))
        extend_at = None
        if rng.random() < mix.extend and self._idx(due) - self._idx(accepted) > 1:
            extend_at = self._random_moment(accepted, self._shift(due, -1))
            extend_days = rng.randint(3, 10)
            limit = self._shift(due, extend_days)
        else:
            limit = due
        outcome_r = rng.random()
        ai, li = self._idx(accepted), self._idx(limit)
        if outcome_r < mix.early and li - 1 > ai:
            finished = wd.moment(rng.randint(ai + 1, li - 1), rng.randrange(wd.day_seconds))
        elif outcome_r < mix.early + mix.on_time:
            finished = self._random_moment(max(accepted, datetime.combine(limit.astimezone(VN).date(), time(7, 30), VN)), limit)
        else:
            finished = wd.moment(li + rng.randint(1, 12), rng.randrange(wd.day_seconds))
        finished = max(finished, self._after(accepted, 1800))  # 30 office minutes at least
        # Place the pauses inside [accepted, finished].
        pauses = []
        cursor = accepted
        for reason, k in pause_days:
            start_i, end_cap = self._idx(cursor), self._idx(finished) - k
            if end_cap <= start_i:
                break
            start = wd.moment(rng.randint(start_i, end_cap), rng.randrange(wd.day_seconds))
            if start <= cursor:
                start = self._after(cursor, 300)
            end = datetime.combine(wd.days[self._idx(start) + k], start.timetz())
            pauses.append((reason, start, end))
            cursor = end
        if pauses and pauses[-1][2] >= finished:
            finished = self._after(pauses[-1][2], 1800)
        returned = self._later(finished, 2)
        end_kind = rng.random()
        if end_kind < mix.withdraw:
            ending = ("withdraw", self._random_moment(accepted, finished))
        elif end_kind < mix.withdraw + mix.stop:
            ending = ("stop", self._random_moment(accepted, finished))
        else:
            ending = ("decide", finished)

        # The calls in time order: hand-overs spread over the office time of [accepted, finished] by the
        # steps' shares (not inside a pause), the pauses' two ends, the extension, the end.
        calls: list[tuple[datetime, int, str, Any]] = []
        for reason, start, end in pauses:
            calls.append((start, 1, "pause", reason))
            calls.append((end, 2, "resume", reason))
        steps = info.steps
        total = sum(s[2] for s in steps) or 1
        a_off, period = wd.offset(accepted), max(wd.offset(finished) - wd.offset(accepted), 0)
        cum = 0
        for n in range(1, len(steps)):
            cum += steps[n - 1][2]
            at = max(wd.at_offset(a_off + period * cum // total), self._after(accepted, 60 * n))
            for _reason, start, end in pauses:
                if start <= at <= end:
                    at = self._after(end, 60 * n)
            if at < finished:
                calls.append((at, 3, "forward", None))
        if extend_at is not None:
            calls.append((extend_at, 0, "extend", extend_days))
        calls.sort(key=lambda c: (c[0], c[1]))
        end_at = ending[1]
        for at, _rank, kind, arg in calls:
            if at >= end_at or at > now:
                break
            if kind == "pause":
                if arg == "supplement":
                    life.request_supplement(at, [rng.choice(SUPPLEMENT_ITEMS)])
                else:
                    life.require_payment(at, rng.choice([200_000, 500_000, 1_000_000, 3_000_000]))
            elif kind == "resume":
                (life.receive_supplement if arg == "supplement" else life.confirm_payment)(at)
            elif kind == "forward":
                if life.open_pause is None and life.step_index + 1 < len(steps):
                    unit_id = steps[life.step_index + 1][3]
                    staff = self.staff_by_unit.get(unit_id) if unit_id is not None else None
                    life.forward(at, rng.choice(staff) if staff else None)
            else:
                due_now = plan.row["due_at"]
                at_day, due_day = at.astimezone(self.tz).date(), due_now.astimezone(self.tz).date()
                if (
                    life.open_pause is None
                    and not plan.row["extended"]
                    and at_day <= due_day
                    and wd.days_between(at_day, due_day) >= 1
                ):  # the services' conditions (dossier_extend)
                    life.extend(at, self._shift(due_now, arg), EXTENSION)
        if end_at > now:
            return
        if ending[0] == "withdraw":
            life.close_out(end_at, "withdraw", Status.WITHDRAWN, WITHDRAWAL)
        elif ending[0] == "stop":
            life.close_out(end_at, "stop", Status.STOPPED, STOPPING)
        else:
            rejected = rng.random() < mix.reject
            life.decide(end_at, Outcome.REJECTED if rejected else Outcome.APPROVED, REJECTION if rejected else "")
            if returned <= now:
                tracking = ""
                if delivery == Delivery.POST:
                    tracking = postal or f"EB{rng.randint(10**8, 10**9 - 1)}VN"
                life.return_result(returned, tracking)

    # -- writing ------------------------------------------------------------------------------------

    def _copy(self, model, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                raw = cursor.cursor
                sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
                with raw.copy(sql) as copy:
                    for r in rows:
                        copy.write_row(r)
        else:
            # The values as given (bulk_create would replace auto_now ones by the present moment), each
            # prepared by its field; JSON columns come as JSON text already.
            fields = {f.column: f for f in model._meta.concrete_fields}
            prepared = [fields[c] for c in columns]
            sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
            with connection.cursor() as cursor:
                cursor.executemany(
                    sql,
                    [
                        [
                            v if v is None or isinstance(f, models.JSONField) else f.get_db_prep_save(v, connection)
                            for f, v in zip(prepared, r, strict=True)
                        ]
                        for r in rows
                    ],
                )

    def run(self) -> int:
        receptions = self._receptions()
        next_id = (Dossier.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1
        sequences: dict[date, int] = dict(DailySequence.objects.filter(agency=self.agency).values_list("date", "last"))
        dossier_fields = list(Dossier._meta.concrete_fields)
        columns = [f.column for f in dossier_fields]
        defaults = {f.attname: (f.get_default() if f.has_default() else ("" if not f.null else None)) for f in dossier_fields}
        for f in dossier_fields:
            if isinstance(f, models.FileField):
                defaults[f.attname] = ""
        done = 0
        for offset in range(0, len(receptions), self.batch):
            plans = []
            for n, received in enumerate(receptions[offset : offset + self.batch]):
                plan = Plan(order=n)
                plan.row = dict(defaults)
                self._simulate(plan, received)
                plans.append(plan)
            # The calls of the batch in time order (the services would have made them so): dossiers are
            # numbered and keyed in the order of their intakes, the audit chain follows the calls.
            calls = sorted(
                ((act.at, plan.order, k, plan) for plan in plans for k, act in enumerate(plan.acts)), key=lambda c: c[:3]
            )
            for _at, _order, k, plan in calls:
                if k == 0:
                    day = plan.row["received_at"].astimezone(self.tz).date()
                    number = sequences[day] = sequences.get(day, 0) + 1
                    plan.id, plan.code = next_id, dossier_code(self.agency, day, number)
                    plan.row.update(id=next_id, code=plan.code)
                    next_id += 1
            with transaction.atomic():
                self._write(plans, calls, dossier_fields, columns)
            if self.keep_plans:
                self.plans += plans
            done += len(plans)
            if self.stdout is not None:
                self.stdout.write(f"  {done:,}/{len(receptions):,} hồ sơ")
        self._finish(sequences)
        return done

    def _write(self, plans: list[Plan], calls: list, dossier_fields: list, columns: list[str]) -> None:
        self._copy(Dossier, columns, [tuple(p.row[f.attname] for f in dossier_fields) for p in plans])
        self._advance_id_sequence()
        self._copy(
            DossierStep,
            [
                "dossier_id",
                "seq",
                "process_step_id",
                "name",
                "unit_id",
                "agency_id",
                "assignee_id",
                "giver_id",
                "receiver_id",
                "received_at",
                "due_at",
                "handed_over_at",
                "timeliness",
                "note",
            ],
            [(p.id, *s, "") for p in plans for s in p.steps],
        )
        if any(p.pauses for p in plans):
            self._write_pauses(plans)
        self._copy(
            Extension,
            ["dossier_id", "reason", "previous_due_at", "new_due_at", "created_at", "requested_by_id"],
            [(p.id, *e, None) for p in plans for e in p.extensions],
        )
        if not self.events:
            return
        self._copy(
            DossierEvent,
            ["dossier_id", "at", "action", "actor_id", "status_from", "status_to", "note", "data"],
            [(p.id, *e) for p in plans for e in p.events],
        )
        self._write_audit(calls)

    def _write_pauses(self, plans: list[Plan]) -> None:
        """Pauses, then their supplement requests (which refer to them): the pauses' keys are read back."""
        rows = [(p.id, *pause) for p in plans for pause in p.pauses]
        first = (Pause.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1
        ids = iter(range(first, first + len(rows)))
        self._copy(
            Pause,
            ["id", "dossier_id", "reason", "started_at", "ended_at", "resume_status", "working_seconds"],
            [(pk, *r) for pk, r in zip(range(first, first + len(rows)), rows, strict=True)],
        )
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('dossiers_pause', 'id'), (SELECT MAX(id) FROM dossiers_pause))"
                )
        supplements = []
        for p in plans:
            pause_ids = [next(ids) for _ in p.pauses]
            for index, items, requested, answered in p.supplements:
                supplements.append((p.id, pause_ids[index], items, "", None, requested, answered))
        self._copy(
            SupplementRequest,
            ["dossier_id", "pause_id", "items", "note", "requested_by_id", "requested_at", "answered_at"],
            supplements,
        )

    def _write_audit(self, calls: list) -> None:
        """One entry per call, chained after the head (locked until the batch commits) with the one hash
        function; the head moves to the last entry."""
        ctx = context.current()
        head = AuditHead.objects.select_for_update().get_or_create(id=1)[0]
        prev = head.last_hash
        rows = []
        for at, _order, k, plan in calls:
            at_, action, changes = plan.audits[k]
            entry = dict(
                at=at_,
                actor_id=None,
                actor_repr=ACTOR_REPR,
                action=action,
                object_type="dossiers.dossier",
                object_id=str(plan.id),
                object_repr=plan.code,
                changes=changes,
                request_id=ctx.request_id,
                ip=ctx.ip,
            )
            digest = audit_entry_hash(prev_hash=prev, **entry)
            rows.append(
                (
                    at,
                    None,
                    ACTOR_REPR,
                    action,
                    "dossiers.dossier",
                    entry["object_id"],
                    plan.code,
                    json.dumps(changes, ensure_ascii=False),
                    ctx.request_id,
                    ctx.ip,
                    prev,
                    digest,
                )
            )
            prev = digest
        self._copy(
            AuditLog,
            [
                "at",
                "actor_id",
                "actor_repr",
                "action",
                "object_type",
                "object_id",
                "object_repr",
                "changes",
                "request_id",
                "ip",
                "prev_hash",
                "hash",
            ],
            rows,
        )
        AuditHead.objects.filter(id=1).update(last_hash=prev, count=models.F("count") + len(rows))

    def _finish(self, sequences: dict[date, int]) -> None:
        """Advance the daily sequences past the generated numbers."""
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO dossiers_dailysequence (agency_id, date, last) VALUES (%s, %s, %s) "
                    "ON CONFLICT (agency_id, date) DO UPDATE SET last = CASE WHEN excluded.last > dossiers_dailysequence.last "
                    "THEN excluded.last ELSE dossiers_dailysequence.last END",
                    [(self.agency.pk, day.isoformat(), last) for day, last in sequences.items()],
                )
            if self.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE dossiers_dossier")

    def _advance_id_sequence(self) -> None:
        """Dossier ids are given explicitly (steps, pauses and events refer to them): move the id sequence
        past them in each batch's transaction, so intakes after (or after a failed run) never collide."""
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('dossiers_dossier', 'id'), (SELECT MAX(id) FROM dossiers_dossier))"
                )


def generate_dossiers(
    *,
    agency: Agency,
    count: int,
    years: list[int],
    seed: int = 2021,
    now: datetime | None = None,
    events: bool = True,
    batch: int = 20000,
    stdout=None,
    since: date | None = None,
) -> int:
    """Generate `count` dossiers received in `years` (or from `since` until now)."""
    n = Generator(
        agency=agency, count=count, years=years, seed=seed, now=now, events=events, batch=batch, stdout=stdout, since=since
    ).run()
    # The rows carry their simulated moments (updated_at in the past): the agency's monthly summaries are recomputed.
    summaries.forget(agency_ids=[agency.pk])
    return n
