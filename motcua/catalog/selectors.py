"""Reads of the catalog that other apps and the views use."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When, Window, prefetch_related_objects
from django.db.models.functions import Length
from django.utils import timezone

from motcua.core.errors import NotFoundError
from motcua.core.models import Agency
from motcua.core.selectors import agency_descendant_ids
from motcua.core.tenancy import ensure_can_act, scope_for
from motcua.core.text import search_words, words_q
from motcua.core.validators import ascii_int

from .models import Component, DecisionItem, Field, OnlineClass, Procedure, ProcedureVersion, PublicationDecision


def _in_force_q(on: date, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}valid_from__lte": on})
        & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": on}))
        & ~Q(**{f"{prefix}status": ProcedureVersion.Status.DRAFT})
    )


def procedure_version_in_force(*, code: str, on: date) -> ProcedureVersion:
    """The version of procedure `code` in force on `on` (what a dossier received that day is checked against).

    Raises NotFoundError when the procedure does not exist or has no version in force that day."""
    version = (
        ProcedureVersion.objects.select_related("procedure", "field", "agency")
        .filter(procedure__code=code)
        .filter(_in_force_q(on))
        .order_by("-valid_from", "-number")
        .first()
    )
    if version is None:
        raise NotFoundError(f"Không có thủ tục {code} đang hiệu lực ngày {on:%d/%m/%Y}.")
    return version


def procedure_versions_in_force(*, on: date | None = None, agency: Agency | None = None) -> QuerySet[ProcedureVersion]:
    """The catalog as of a date: one version per procedure in force that day."""
    on = on or timezone.localdate()
    qs = ProcedureVersion.objects.filter(_in_force_q(on))
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs


# Columns the public list shows (the search returns narrow rows: no legal texts or notes).
LIST_COLUMNS = (
    "id",
    "procedure__id",
    "procedure__code",
    "field__id",
    "field__code",
    "field__name",
    "number",
    "status",
    "valid_from",
    "name",
    "time_unit",
    "legal_time",
    "committed_time",
    "online_level",
    "online_class",
    "channel_counter",
    "channel_online",
    "channel_postal",
    "four_on_spot",
    "one_stop",
    "search_text",
)

# Values of a row of the public list and the API list: plain dicts, no model instances to build.
ROW_VALUES = (
    "procedure__code",
    "name",
    "field__code",
    "field__name",
    "agency__name",
    "time_unit",
    "legal_time",
    "committed_time",
    "online_level",
    "online_class",
    "channel_counter",
    "channel_online",
    "channel_postal",
    "four_on_spot",
    "one_stop",
    "number",
    "valid_from",
)


class VersionRow(Mapping):
    """A loaded version read as a row of ROW_VALUES (what procedure_search_page's rows hold), so that one
    function builds the representation of both (catalog.api.list_item). Values are read on access: a key
    nobody reads loads nothing."""

    __slots__ = ("_version",)

    def __init__(self, version: ProcedureVersion):
        self._version = version

    def __getitem__(self, key: str):
        if key not in ROW_VALUES:
            raise KeyError(key)
        value = self._version
        for name in key.split("__"):
            value = getattr(value, name)
            if value is None:
                break
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(ROW_VALUES)

    def __len__(self) -> int:
        return len(ROW_VALUES)


# A list without search words is not ranked, so counting it is extra work: count up to this many only.
COUNT_CAP = 1000


def procedure_search(
    *,
    query: str = "",
    on: date | None = None,
    field: str | None = None,
    online_level: int | None = None,
    channel: str | None = None,
    agency: Agency | None = None,
    compact: bool = False,
) -> QuerySet[ProcedureVersion]:
    """Public search over the versions in force: diacritics- and case-insensitive, best matches first —
    the exact code, then names starting with the query, then names containing it, then names containing
    every word of it (shorter names first). `field` is a field code; `channel` is counter, online or postal;
    `compact` loads only the columns of a result list.

    The search text holds the name and the code without diacritics, so one condition — every word of the
    query starts a word of the search text — finds all of these (an exact code or a phrase contains each of
    its words; `core.text.words_q`, the rule the staff search inside scans uses too); on PostgreSQL it uses the
    full-text index of migration 0003."""
    qs = procedure_versions_in_force(on=on, agency=agency).select_related("procedure", "field")
    if compact:
        qs = qs.only(*LIST_COLUMNS)
    return _matching(qs, query=query, field=field, online_level=online_level, channel=channel)


def _matching(
    qs: QuerySet[ProcedureVersion], *, query: str, field: str | None, online_level: int | None, channel: str | None
) -> QuerySet[ProcedureVersion]:
    """`qs` filtered and ordered as the public search does; annotated with `rank` when the query has words."""
    if field:
        qs = qs.filter(field__code=field)
    if online_level:
        qs = qs.filter(online_level=online_level)
    if channel in ("counter", "online", "postal"):
        qs = qs.filter(**{f"channel_{channel}": True})
    words = search_words(query)
    if not words:
        return qs.order_by("procedure__code")
    needle = " ".join(words)
    qs = qs.filter(words_q(words, model=ProcedureVersion))
    rank = Case(
        When(procedure__code=query.strip(), then=Value(0)),
        When(search_text__startswith=needle, then=Value(1)),
        When(search_text__contains=" " + needle, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return qs.annotate(rank=rank, name_length=Length("name")).order_by("rank", "name_length", "procedure__code")


@dataclass(frozen=True)
class SearchPage:
    """One page of the public search: `rows` are dicts of ROW_VALUES. `count` is exact unless `capped`, when
    there are more than `count` matches (a list without search words, see COUNT_CAP)."""

    rows: list[dict]
    number: int
    page_size: int
    count: int
    capped: bool = False

    @property
    def num_pages(self) -> int | None:
        return None if self.capped else max(1, -(-self.count // self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.capped or self.number * self.page_size < self.count

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def procedure_search_page(
    *,
    query: str = "",
    on: date | None = None,
    field: str | None = None,
    online_level: int | None = None,
    channel: str | None = None,
    page: int = 1,
    page_size: int = 20,
    exact_count: bool = False,
    agency: Agency | None = None,
) -> SearchPage:
    """A page of `procedure_search`, in one query most of the time. A ranked search sorts every match anyway,
    so its rows carry the number of matches (COUNT(*) OVER ()) instead of a second pass over them. A list
    without words reads page_size + 1 rows and is counted only when there are more, up to COUNT_CAP unless
    `exact_count` (the API promises an exact count). A page past the end gives the last page, as Django's
    Paginator.get_page does. `agency`: only its procedures and those of the agencies below it (the
    province portal's filter)."""
    qs = procedure_versions_in_force(on=on)
    if agency is not None:
        qs = qs.filter(agency_id__in=agency_descendant_ids(agency))
    qs = _matching(qs, query=query, field=field, online_level=online_level, channel=channel)
    page = max(1, page)
    offset = (page - 1) * page_size
    capped = False
    if "rank" in qs.query.annotations:
        rows = list(qs.values(*ROW_VALUES, total=Window(Count("*")))[offset : offset + page_size])
        count = rows[0]["total"] if rows else 0
    else:
        rows = list(qs.values(*ROW_VALUES)[offset : offset + page_size + 1])
        count = offset + len(rows)
        if len(rows) > page_size:
            rows = rows[:page_size]
            if exact_count:
                count = qs.count()
            else:  # order_by(): counting needs neither the sort nor its join
                count = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
                capped, count = count > COUNT_CAP, min(count, COUNT_CAP)
    if rows or page == 1:
        return SearchPage(rows=rows, number=page, page_size=page_size, count=count, capped=capped)
    last = max(1, -(-qs.order_by().count() // page_size))  # rare: only a hand-written page number gets here
    return procedure_search_page(
        query=query,
        on=on,
        field=field,
        online_level=online_level,
        channel=channel,
        page=last,
        page_size=page_size,
        exact_count=exact_count,
        agency=agency,
    )


def procedure_detail(*, code: str, on: date | None = None) -> ProcedureVersion:
    """The version in force today (or `on`) with everything the detail page shows."""
    version = procedure_version_in_force(code=code, on=on or timezone.localdate())  # with procedure, field, agency
    prefetch_related_objects([version], "components", "fees", "steps__unit")
    return version


def component_form(*, code: str, component_id: int, on: date | None = None) -> Component:
    """A component of procedure `code`'s version in force that has a form file, or NotFoundError."""
    version = procedure_version_in_force(code=code, on=on or timezone.localdate())
    component = Component.objects.filter(version=version, pk=component_id).exclude(form_file="").first()
    if component is None:
        raise NotFoundError("Không có mẫu đơn, tờ khai này.")
    return component


def procedure_history(*, code: str) -> QuerySet[ProcedureVersion]:
    """Every published version of a procedure (drafts excluded), newest first."""
    return ProcedureVersion.objects.filter(procedure__code=code).exclude(status=ProcedureVersion.Status.DRAFT).order_by("-number")


def field_choices() -> list[tuple[str, str]]:
    """(code, name) of every field, by name — for the search filter."""
    return list(Field.objects.order_by("name").values_list("code", "name"))


def procedure_get(*, code: str) -> Procedure:
    try:
        return Procedure.objects.get(code=code)
    except Procedure.DoesNotExist:
        raise NotFoundError(f"Không có thủ tục mã {code}.")


def decision_list(*, agency: Agency | None = None, fetched_by=None) -> QuerySet[PublicationDecision]:
    """Decisions of `agency` (or every agency); with `fetched_by`, only those the user may read (core.tenancy)."""
    qs = PublicationDecision.objects.annotate(item_count=Count("items"))
    if fetched_by is not None:
        qs = scope_for(fetched_by).readable(qs)
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.order_by("-effective_on", "number")


def decision_get(*, pk, fetched_by, act: bool = False) -> PublicationDecision:
    """One decision the user may read (404 otherwise); with `act`, one the user may act for (403)."""
    if ascii_int(pk) is None:
        raise NotFoundError("Không tìm thấy quyết định công bố.")
    decision = scope_for(fetched_by).readable(PublicationDecision.objects.select_related("agency")).filter(pk=pk).first()
    if decision is None:
        raise NotFoundError("Không tìm thấy quyết định công bố.")
    if act:
        ensure_can_act(fetched_by, decision.agency_id)
    return decision


def procedure_agency_id(procedure: Procedure) -> int | None:
    """The agency that does the procedure: the agency of its newest version."""
    return procedure.versions.order_by("-number").values_list("agency_id", flat=True).first()


def procedure_get_to_act(*, code: str, acted_by) -> Procedure:
    """A procedure the user may change (its agency in the user's scope to act): 404 / 403 otherwise."""
    procedure = procedure_get(code=code)
    ensure_can_act(acted_by, procedure_agency_id(procedure))
    return procedure


def decision_counts(*, agency: Agency, start: date, end: date) -> dict:
    """Procedures published by the agency's applied decisions with an effective date in [start, end]:
    {"new": n, "amended": n, "replaced": n, "abolished": n, "total": n}."""
    rows = (
        DecisionItem.objects.filter(
            decision__agency=agency,
            decision__applied_at__isnull=False,
            decision__effective_on__gte=start,
            decision__effective_on__lte=end,
        )
        .values("action")
        .annotate(n=Count("id"))
    )
    counts = {action: 0 for action in DecisionItem.Action.values}
    for row in rows:
        counts[row["action"]] = row["n"]
    counts["total"] = sum(counts.values())
    return counts


def catalog_figures(*, agency: Agency, on: date) -> dict:
    """The catalog figures of the CCHC report, derived from the versions in force on `on`:
    procedures in force; handled through the one-stop desk (X of Y); committed time cut by ≥ 20 %
    (ProcedureVersion.cut_reaches_threshold);
    online service level (2/3/4) and Decree 42/2022 class counts; postal reception; "4 tại chỗ"."""
    versions = list(
        procedure_versions_in_force(on=on, agency=agency).only(
            "id",
            "one_stop",
            "legal_time",
            "committed_time",
            "online_level",
            "online_class",
            "channel_postal",
            "channel_online",
            "four_on_spot",
            "result_by_post",
        )
    )
    total = len(versions)
    cut = [v for v in versions if v.cut_reaches_threshold]
    levels = {level: sum(1 for v in versions if v.online_level == level) for level in (1, 2, 3, 4)}
    classes = {c: sum(1 for v in versions if v.online_class == c) for c in OnlineClass.values}
    return {
        "on": on,
        "in_force": total,
        "one_stop": sum(1 for v in versions if v.one_stop),
        "one_stop_of": total,
        "cut_20": len(cut),
        "online_levels": levels,
        "online_classes": classes,
        "online": sum(1 for v in versions if v.channel_online),
        "postal": sum(1 for v in versions if v.channel_postal),
        "result_by_post": sum(1 for v in versions if v.result_by_post),
        "four_on_spot": sum(1 for v in versions if v.four_on_spot),
    }
