"""Bulk generator of realistic past dossiers (for benchmarks, demos and report testing).

It does not call the per-row services: it simulates each dossier's life on the working-day calendar
(reception, acceptance, pauses, steps, decision, return), derives its state at `now` from those
moments, and writes the rows in batches — COPY on PostgreSQL, bulk_create elsewhere. Rows are
consistent with what the services would have written: codes from the daily sequence (which is
advanced past the generated numbers), appointments from deadlines.appointment, due dates moved by
pauses, classification by deadlines.classify, one step row per internal step (the open one last).
Simplification: step due moments are the step's share of the dossier's period in wall-clock time.
Timeline events are written for reception, acceptance, decision and return only; no audit entries.
"""

from __future__ import annotations

import hashlib
import json
import random
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils import timezone

from motcua.catalog.models import ProcedureVersion, ProcessStep, TimeUnit
from motcua.core.models import Agency, User
from motcua.workcalendar.selectors import Calendar, office_spans

from . import deadlines
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
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Khánh", "Lan", "Linh", "Long",
         "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tú", "Việt", "Yến"]
COMPANY_KINDS = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Doanh nghiệp tư nhân"]
COMPANY_NAMES = ["Hải Hà", "Phú Thịnh", "An Phát", "Việt Hưng", "Đông Á", "Sao Mai", "Hoàng Long", "Tân Cảng", "Minh Phát",
                 "Thái Bình Dương", "Kim Sơn", "Nam Việt", "Đại Dương", "Bình Minh", "Trường Thành"]
STREETS = ["Trần Phú", "Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Lý Thường Kiệt", "Quang Trung", "Hùng Vương", "Điện Biên Phủ"]
SUPPLEMENT_ITEMS = ["Bản sao giấy chứng nhận đăng ký doanh nghiệp", "Hợp đồng thuê đất", "Bản vẽ mặt bằng",
                    "Văn bản ủy quyền", "Báo cáo tài chính hai năm gần nhất", "Giấy xác nhận nộp thuế"]
VN = dt_timezone(timedelta(hours=7))  # Asia/Ho_Chi_Minh has had no DST since 1975: a fixed offset is exact and fast


@dataclass
class VersionInfo:
    version: ProcedureVersion
    steps: list[tuple[int, str, Decimal, int | None]]  # (process step id, name, duration, unit id)
    total: Decimal
    cutoff: time | None


class WorkDays:
    """Precomputed working days over a range, for fast day arithmetic."""

    def __init__(self, cal: Calendar, start: date, end: date):
        self.days: list[date] = []
        day = start
        while day <= end:
            if cal.is_working_day(day):
                self.days.append(day)
            day += timedelta(days=1)
        self.index = {d: i for i, d in enumerate(self.days)}
        spans = office_spans()
        self.spans = [(a, b, (b.hour * 3600 + b.minute * 60) - (a.hour * 3600 + a.minute * 60)) for a, b in spans]
        self.day_seconds = sum(s[2] for s in self.spans)
        self.close = spans[-1][1]

    def at_or_after(self, day: date) -> int:
        return bisect_left(self.days, day)

    def moment(self, i: int, offset: int) -> datetime:
        """The moment `offset` office seconds into working day number i."""
        day = self.days[min(i, len(self.days) - 1)]
        for start, _end, length in self.spans:
            if offset < length:
                return datetime.combine(day, start, VN) + timedelta(seconds=offset)
            offset -= length
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
        for start, _end, length in self.spans:
            begin = start.hour * 3600 + start.minute * 60
            into += min(max(seconds - begin, 0), length)
        return i * self.day_seconds + into

    def at_offset(self, offset: int) -> datetime:
        """The office moment `offset` office seconds after the first day's opening (inverse of offset)."""
        i, rest = divmod(int(offset), self.day_seconds)
        if rest == 0 and i > 0:  # the close of the previous working day, not the next opening
            return self.close_of(i - 1)
        return self.moment(i, rest)


def _citizen_id(rng: random.Random, birth: date) -> str:
    century_digit = (birth.year // 100 - 19) * 2 + rng.randint(0, 1)
    return f"{rng.randint(1, 96):03d}{century_digit}{birth.year % 100:02d}{rng.randint(0, 999999):06d}"


def _applicant(rng: random.Random) -> dict:
    street = f"Số {rng.randint(1, 300)} đường {rng.choice(STREETS)}"
    phone = f"09{rng.randint(10000000, 99999999)}"
    if rng.random() < 0.68:
        birth = date(rng.randint(1955, 2003), rng.randint(1, 12), rng.randint(1, 28))
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        return {"applicant_kind": ApplicantKind.INDIVIDUAL, "applicant_name": name, "applicant_birth_date": birth,
                "applicant_id_number": _citizen_id(rng, birth), "applicant_address": street, "applicant_phone": phone,
                "applicant_email": f"nguoinop{rng.randint(1, 10**6)}@example.vn" if rng.random() < 0.6 else ""}
    tax = f"{rng.choice(['01', '02', '03', '04', '22', '31', '46', '79'])}{rng.randint(0, 99999999):08d}"
    if rng.random() < 0.1:
        tax += f"-{rng.randint(1, 20):03d}"
    rep = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return {"applicant_kind": ApplicantKind.ORGANISATION,
            "applicant_name": f"{rng.choice(COMPANY_KINDS)} {rng.choice(COMPANY_NAMES)} {rng.randint(1, 999)}",
            "applicant_tax_code": tax, "applicant_representative": rep, "applicant_address": f"Lô {rng.randint(1, 90)}, Khu công nghiệp",
            "applicant_phone": phone, "applicant_email": f"lienhe{rng.randint(1, 10**6)}@congty.example.vn"}


def _versions(agency: Agency) -> list[VersionInfo]:
    versions = list(ProcedureVersion.objects.filter(
        models.Q(agency=agency) | models.Q(agency__isnull=True),
        status__in=[ProcedureVersion.Status.IN_FORCE, ProcedureVersion.Status.RETIRED],
    ).exclude(legal_time__isnull=True, committed_time__isnull=True).select_related("procedure"))
    steps = defaultdict(list)
    for st in ProcessStep.objects.filter(version__in=versions).order_by("version_id", "order"):
        steps[st.version_id].append((st.pk, st.name, st.duration, st.unit_id))
    infos = []
    for v in versions:
        s = steps.get(v.pk) or [(None, "Xử lý hồ sơ", Decimal(1), None)]
        infos.append(VersionInfo(v, s, sum(x[2] for x in s) or Decimal(1), deadlines.reception_cutoff(v, agency)))
    return infos


class Generator:
    def __init__(self, *, agency: Agency, count: int, years: list[int], seed: int = 2021, now: datetime | None = None,
                 events: bool = True, batch: int = 20000, stdout=None, since: date | None = None):
        self.since = since
        self.agency, self.count, self.years, self.events, self.batch = agency, count, sorted(years), events, batch
        self.rng = random.Random(seed)
        self.now = (now or timezone.now()).astimezone(VN)
        self.stdout = stdout
        self.cal = Calendar()
        self.versions = _versions(agency)
        if not self.versions:
            raise ValueError("Chưa có thủ tục (có thời hạn) của cơ quan: hãy nạp danh mục thủ tục trước (seed_demo).")
        start = date(self.years[0], 1, 1)
        self.wd = WorkDays(self.cal, start - timedelta(days=10), max(date(self.years[-1], 12, 31), self.now.date()) + timedelta(days=400))
        self.staff_by_unit: dict[int | None, list[int]] = defaultdict(list)
        for uid, unit_id in User.objects.filter(unit__agency=agency, is_active=True).values_list("pk", "unit_id"):
            self.staff_by_unit[unit_id].append(uid)
        self._appointments: dict[tuple[int, date], datetime] = {}
        self.tz = timezone.get_current_timezone()
        self._by_day: dict[date, list[VersionInfo]] = {}
        self.vendor = connection.vendor

    # -- time helpers ----------------------------------------------------------------------------

    def _appointment(self, info: VersionInfo, at: datetime) -> datetime:
        v = info.version
        if v.time_unit == TimeUnit.WORKING_HOURS:
            return deadlines.appointment(self.cal, version=v, agency=self.agency, start=at)
        local = at.astimezone(self.tz)
        day = local.date()
        if day not in self.wd.index or (info.cutoff is not None and local.time() >= info.cutoff):
            day = self.wd.days[bisect_right(self.wd.days, day)]
        key = (v.pk, day)
        due = self._appointments.get(key)
        if due is None:
            due = self._appointments[key] = deadlines.appointment(self.cal, version=v, agency=self.agency, start=at).astimezone(VN)
        return due

    def _versions_on(self, day: date) -> list[VersionInfo]:
        """Versions in force that day (all versions when none was: old years before the catalogue)."""
        found = self._by_day.get(day)
        if found is None:
            found = [i for i in self.versions if (i.version.valid_from is None or i.version.valid_from <= day)
                     and (i.version.valid_to is None or day < i.version.valid_to)] or self.versions
            self._by_day[day] = found
        return found

    def _classify(self, finished: datetime, due: datetime) -> str:
        """deadlines.classify without the per-call timezone lookup (same rule)."""
        if finished > due:
            return "late"
        if finished.astimezone(self.tz).date() < due.astimezone(self.tz).date():
            return "early"
        return "on_time"

    def _shift(self, due: datetime, days: int) -> datetime:
        i = self.wd.index.get(due.date())
        if i is None:
            return due + timedelta(days=days)
        return datetime.combine(self.wd.days[i + days], due.timetz())

    def _idx(self, moment: datetime) -> int:
        return self.wd.at_or_after(moment.date())

    def _later(self, moment: datetime, days: int) -> datetime:
        """A random office moment after `moment`, within `days` further working days."""
        hi = self.wd.close_of(self._idx(moment) + days)
        return self._random_moment(self.wd.at_offset(self.wd.offset(moment) + 600), hi)  # 10 office minutes at least

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
                m = self.wd.moment(self.rng.randint(max(today - 30, 0), max(today - 1, 0)), self.rng.randrange(self.wd.day_seconds))
            moments.append(m)
        moments.sort()
        return moments

    def _simulate(self, dossier_id: int, received: datetime, code: str) -> tuple[dict, list, list, list, list, list]:
        rng, now = self.rng, self.now
        info = rng.choice(self._versions_on(received.date()))
        v = info.version
        r = rng.random()
        channel = Channel.COUNTER if r < 0.55 else (Channel.ONLINE if r < 0.9 else Channel.POSTAL)
        if channel == Channel.ONLINE and not v.channel_online or channel == Channel.POSTAL and not v.channel_postal:
            channel = Channel.COUNTER
        if channel == Channel.ONLINE and rng.random() < 0.3:
            received = received.replace(hour=rng.randint(18, 22), minute=rng.randint(0, 59))
            if received >= now:
                received = now - timedelta(hours=1)
        row = {"id": dossier_id, "code": code, "agency_id": self.agency.pk, "procedure_version_id": v.pk,
               "channel": channel, "received_at": received, "created_at": received, "updated_at": received,
               "lookup_secret_hash": hashlib.sha256(f"{code}{rng.random()}".encode()).hexdigest(),
               **_applicant(rng)}
        delivery = rng.choices([Delivery.COUNTER, Delivery.POST, Delivery.ONLINE], [0.7, 0.15, 0.15])[0]
        row["result_delivery"] = delivery
        if channel == Channel.POSTAL:
            row["postal_tracking"] = f"EB{rng.randint(10**8, 10**9 - 1)}VN"
            row["return_address"] = row["applicant_address"]
        steps, pauses, supplements, extensions, events = [], [], [], [], []
        events.append((dossier_id, received, "receive", "", Status.SUBMITTED if channel == Channel.ONLINE else Status.ACCEPTED))

        # Acceptance (online dossiers wait for the desk, a few office hours).
        if channel == Channel.ONLINE:
            accepted = self._later(received, 2)
            if rng.random() < 0.03:  # refused at reception
                refused_at = min(accepted, now)
                row.update(status=Status.REFUSED, finished_at=refused_at, outcome_note="Hồ sơ không thuộc thẩm quyền giải quyết")
                events.append((dossier_id, refused_at, "refuse", Status.SUBMITTED, Status.REFUSED))
                return row, steps, pauses, supplements, extensions, events
            if accepted > now:
                row.update(status=Status.SUBMITTED)
                return row, steps, pauses, supplements, extensions, events
            events.append((dossier_id, accepted, "accept", Status.SUBMITTED, Status.ACCEPTED))
        else:
            accepted = received
        due0 = self._appointment(info, accepted)
        row.update(accepted_at=accepted, original_due_at=due0)

        # Pauses (whole working days, same office time at both ends).
        pause_days = []
        p = rng.random()
        if p < 0.02:
            pause_days = [("supplement", rng.randint(1, 5)), ("supplement", rng.randint(1, 5))]
        elif p < 0.12:
            pause_days = [("supplement", rng.randint(1, 8))]
        elif p < 0.15:
            pause_days = [("payment", rng.randint(1, 3))]
        total_pause = sum(k for _, k in pause_days)
        due = self._shift(due0, total_pause)
        # Extension for some slow dossiers.
        extended = rng.random() < 0.02
        if extended:
            new_due = self._shift(due, rng.randint(3, 10))
            ext_at = self._random_moment(accepted, self._shift(due, -1)) if self._idx(due) - self._idx(accepted) > 1 else None
            if ext_at is None:
                extended = False
        # Finishing moment: early, on time or late.
        outcome_r = rng.random()
        ai = self._idx(accepted)
        limit = new_due if extended else due
        li = self._idx(limit)
        if outcome_r < 0.62 and li - 1 > ai:
            finished = self.wd.moment(rng.randint(ai + 1, li - 1), rng.randrange(self.wd.day_seconds))
        elif outcome_r < 0.9:
            finished = self._random_moment(max(accepted, datetime.combine(limit.date(), time(7, 30), VN)), limit)
        else:
            finished = self.wd.moment(li + rng.randint(1, 12), rng.randrange(self.wd.day_seconds))
        finished = max(finished, self.wd.at_offset(self.wd.offset(accepted) + 1800))  # 30 office minutes at least
        # Place the pauses inside [accepted, finished].
        pause_rows = []
        cursor = accepted
        for reason, k in pause_days:
            start_i = self._idx(cursor)
            end_cap = self._idx(finished) - k
            if end_cap <= start_i:
                break
            si = rng.randint(start_i, end_cap)
            start = self.wd.moment(si, rng.randrange(self.wd.day_seconds))
            if start < cursor:
                start = cursor + timedelta(minutes=5)
            end = datetime.combine(self.wd.days[self._idx(start) + k], start.timetz())
            pause_rows.append((reason, start, end, k))
            cursor = end
        if len(pause_rows) != len(pause_days):  # not all pauses fitted: recompute the due date with those that did
            due = self._shift(due0, sum(x[3] for x in pause_rows))
            if extended and new_due <= due:
                extended = False
        if extended:
            extensions.append((dossier_id, "Cần lấy ý kiến của cơ quan liên quan", due, new_due, ext_at))
            row["extended"] = True
            due = new_due
        row["due_at"] = due
        returned = self._later(finished, 2)

        # End: withdrawn / stopped for a few; else decided and returned.
        end_kind = rng.random()
        if end_kind < 0.015:
            status_end, end_at = Status.WITHDRAWN, self._random_moment(accepted, finished)
        elif end_kind < 0.02:
            status_end, end_at = Status.STOPPED, self._random_moment(accepted, finished)
        else:
            status_end, end_at = Status.DECIDED, finished
        horizon = min(end_at, now)

        ongoing = end_at > now  # the dossier is still open at `now`

        # Pauses up to the horizon (an ongoing dossier may be paused right now).
        paused_now = None
        for reason, start, end, k in pause_rows:
            if start >= horizon:
                continue
            open_ = ongoing and start <= now < end
            if not open_ and end > horizon:
                end = horizon
            seconds = 0
            if not open_:
                full = end == datetime.combine(end.date(), start.timetz()) and end != horizon
                seconds = k * self.wd.day_seconds if full else self.cal.working_seconds_between(start, end)
            pauses.append((dossier_id, reason, start, None if open_ else end, Status.PROCESSING, seconds))
            if reason == "supplement":
                row["supplement_count"] = row.get("supplement_count", 0) + 1
                supplements.append((dossier_id, json.dumps([rng.choice(SUPPLEMENT_ITEMS)], ensure_ascii=False),
                                    start, None if open_ else end))
            if open_:
                paused_now = reason
        if extended and ext_at >= horizon:
            extensions.clear()
            row["extended"] = False
            row["due_at"] = due = self._shift(due0, sum(x[3] for x in pause_rows))

        # Steps up to the horizon: one row per internal step, the step holding the dossier now left open. Times
        # are spread over office time (as staff work), and a step's due time is its share of working time after it
        # starts, capped by the dossier's: the rule of deadlines.step_due, on the precomputed working days.
        wd = self.wd
        a_off = wd.offset(accepted)
        period = max(wd.offset(finished) - a_off, 0)
        unit_secs = 3600 if v.time_unit == TimeUnit.WORKING_HOURS else wd.day_seconds
        cum = Decimal(0)
        giver = None
        for n, (ps_id, name, duration, unit_id) in enumerate(info.steps, start=1):
            start_off = a_off + int(period * cum / info.total)
            start = accepted if n == 1 else wd.at_offset(start_off)
            cum += duration
            stop = min(wd.at_offset(a_off + int(period * cum / info.total)), finished) if n < len(info.steps) else finished
            stop = max(stop, start)
            if start > horizon:
                break
            step_due = min(wd.at_offset(wd.offset(start) + int(Decimal(duration) * unit_secs)), due)
            staff = self.staff_by_unit.get(unit_id) or []
            assignee = rng.choice(staff) if staff else None
            if ongoing:
                handed = stop if stop <= now else None
            else:
                handed = end_at if (n == len(info.steps) or stop >= end_at) else stop
            steps.append((dossier_id, n, ps_id, name, unit_id, assignee, giver, assignee, start, step_due, handed,
                          self._classify(handed, step_due) if handed else ""))
            giver = assignee
            if handed is None or handed == end_at:
                break

        # State at `now`.
        if status_end in (Status.WITHDRAWN, Status.STOPPED) and not ongoing:
            row.update(status=status_end, finished_at=end_at, outcome_note="Theo đề nghị của người nộp" if status_end == Status.WITHDRAWN else "Dừng xử lý theo quy định")
            events.append((dossier_id, end_at, "withdraw" if status_end == Status.WITHDRAWN else "stop", Status.PROCESSING, status_end))
        elif not ongoing:
            outcome = Outcome.APPROVED if rng.random() < 0.97 else Outcome.REJECTED
            row.update(status=Status.DECIDED, finished_at=finished, outcome=outcome,
                       timeliness=self._classify(finished, due),
                       outcome_note="" if outcome == Outcome.APPROVED else "Không đáp ứng điều kiện theo quy định")
            events.append((dossier_id, finished, "decide", Status.PROCESSING, Status.DECIDED))
            if returned <= now:
                row.update(status=Status.RETURNED, returned_at=returned)
                events.append((dossier_id, returned, "return_result", Status.DECIDED, Status.RETURNED))
        elif paused_now is not None:
            row["status"] = Status.SUPPLEMENT_REQUESTED if paused_now == "supplement" else Status.PAYMENT_REQUIRED
        else:
            row["status"] = Status.PROCESSING if len(steps) > 1 else Status.ACCEPTED
        row["updated_at"] = max([row["received_at"]] + [e[1] for e in events])
        return row, steps, pauses, supplements, extensions, events

    # -- writing ------------------------------------------------------------------------------------

    def _start_id(self, model) -> int:
        return (model.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1

    def _copy(self, model, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                raw = cursor.cursor
                sql = f'COPY {model._meta.db_table} ({", ".join(columns)}) FROM STDIN'
                with raw.copy(sql) as copy:
                    for r in rows:
                        copy.write_row(r)
        else:
            fields = {f.column: f.attname for f in model._meta.concrete_fields}
            objs = []
            for r in rows:
                kwargs = {fields[c]: v for c, v in zip(columns, r, strict=True)}
                for key in ("items", "data"):
                    if isinstance(kwargs.get(key), str):
                        kwargs[key] = json.loads(kwargs[key])
                objs.append(model(**kwargs))
            model.objects.bulk_create(objs, batch_size=2000)

    def run(self) -> int:
        receptions = self._receptions()
        next_id = self._start_id(Dossier)
        sequences: dict[date, int] = dict(
            DailySequence.objects.filter(agency=self.agency).values_list("date", "last"))
        dossier_fields = [f for f in Dossier._meta.concrete_fields]
        columns = [f.column for f in dossier_fields]
        defaults = {f.attname: (f.get_default() if f.has_default() else ("" if not f.null else None)) for f in dossier_fields}
        for f in dossier_fields:
            if isinstance(f, models.FileField):
                defaults[f.attname] = ""
        names = {i.version.pk: i.version.name for i in self.versions}
        done = 0
        for offset in range(0, len(receptions), self.batch):
            chunk = receptions[offset: offset + self.batch]
            rows, steps, pauses, supplements, extensions, events = [], [], [], [], [], []
            for received in chunk:
                day = received.date()
                number = sequences.get(day, 0) + 1
                sequences[day] = number
                code = f"{self.agency.code}-{day:%y%m%d}-{number:04d}"
                row, st, pa, su, ex, ev = self._simulate(next_id, received, code)
                next_id += 1
                merged = dict(defaults)
                merged.update(row)
                merged["search_text"] = dossier_search_text(**merged, procedure_name=names[merged["procedure_version_id"]])
                rows.append(tuple(merged[f.attname] for f in dossier_fields))
                steps += st
                pauses += pa
                supplements += su
                extensions += ex
                events += ev
            with transaction.atomic():
                self._copy(Dossier, columns, rows)
                self._copy(DossierStep, ["dossier_id", "seq", "process_step_id", "name", "unit_id", "assignee_id", "giver_id",
                                         "receiver_id", "received_at", "due_at", "handed_over_at", "timeliness", "note"],
                           [s + ("",) for s in steps])
                self._copy(Pause, ["dossier_id", "reason", "started_at", "ended_at", "resume_status", "working_seconds"], pauses)
                self._copy(SupplementRequest, ["dossier_id", "items", "requested_at", "answered_at", "note"],
                           [s + ("",) for s in supplements])
                self._copy(Extension, ["dossier_id", "reason", "previous_due_at", "new_due_at", "created_at"], extensions)
                if self.events:
                    self._copy(DossierEvent, ["dossier_id", "at", "action", "status_from", "status_to", "note", "data"],
                               [e + ("", "{}") for e in events])
                self._advance_id_sequence()
            done += len(chunk)
            if self.stdout is not None:
                self.stdout.write(f"  {done:,}/{len(receptions):,} hồ sơ")
        self._finish(sequences)
        return done

    def _finish(self, sequences: dict[date, int]) -> None:
        """Advance the daily sequences past the generated numbers and the id sequences past the ids."""
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
                cursor.execute("SELECT setval(pg_get_serial_sequence('dossiers_dossier', 'id'), (SELECT MAX(id) FROM dossiers_dossier))")


def generate_dossiers(*, agency: Agency, count: int, years: list[int], seed: int = 2021, now: datetime | None = None,
                      events: bool = True, batch: int = 20000, stdout=None, since: date | None = None) -> int:
    """Generate `count` dossiers received in `years` (or from `since` until now)."""
    return Generator(agency=agency, count=count, years=years, seed=seed, now=now, events=events, batch=batch,
                     stdout=stdout, since=since).run()
