"""The tenancy policy: which agencies a user may read, and which the user may act for (write).

This is the one place that decides it. Views, APIs and selectors ask `scope_for(user)` (or the helpers
below) instead of looking at `user.unit.agency` themselves; selectors that list or fetch agency-owned rows
take the user (or the Scope) and filter with `scope.readable(qs)` / `scope.actionable(qs)`.

- Staff read and act for their own agency (`user.unit.agency`).
- Superusers read every agency and may act for any (they administer the installation).
- The province-level role (Role.PROVINCE_SUPERVISOR, the provincial office that supervises all agencies)
  reads every agency and acts for none but its own (if it has one).
- Hooks for the province: officers of the service centre seconded to agencies, and hierarchy roll-up
  (a parent agency's leaders read the agencies below it) — see `_seconded_agency_ids` / `_rolled_up_ids`.

See docs/tenancy.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .errors import NotFoundError, PermissionDeniedError
from .models import Agency, Secondment
from .roles import Role, user_roles
from .selectors import agency_descendant_ids
from .validators import ascii_int

_CACHE_ATTR = "_motcua_scope"


@dataclass(frozen=True)
class Scope:
    """What one user may read and act on."""

    read_all: bool  # superuser / province-level role: reads every agency
    read_ids: frozenset[int]  # agencies readable (ignored when read_all)
    act_ids: frozenset[int]  # agencies the user may act for (write); usually the user's own agency
    act_all: bool = False  # superuser: may act for every agency
    own_id: int | None = None  # the user's own agency (user.unit.agency_id)

    def can_read(self, agency_id: int | None) -> bool:
        if self.read_all:
            return True
        return agency_id is not None and agency_id in self.read_ids

    def can_act(self, agency_id: int | None) -> bool:
        if self.act_all:
            return True
        return agency_id is not None and agency_id in self.act_ids

    def readable(self, qs, field: str = "agency"):
        """`qs` filtered to rows whose `field` (an FK path to Agency) the user may read."""
        if self.read_all:
            return qs
        return qs.filter(**{f"{field}__in": sorted(self.read_ids)})

    def actionable(self, qs, field: str = "agency"):
        """`qs` filtered to rows whose `field` (an FK path to Agency) the user may act for."""
        if self.act_all:
            return qs
        return qs.filter(**{f"{field}__in": sorted(self.act_ids)})


NO_SCOPE = Scope(read_all=False, read_ids=frozenset(), act_ids=frozenset())


def _seconded_agency_ids(user) -> set[int]:
    """HOOK (province): agencies a service-centre officer is seconded to act for at the centre's counter
    (core.Secondment rows; only centre staff are ever seconded, core.services.secondment_add)."""
    if not getattr(user, "unit_id", None):
        return set()
    return set(Secondment.objects.filter(user_id=user.pk).values_list("agency_id", flat=True))


def _rolled_up_ids(user, own_id: int | None) -> set[int]:
    """HOOK (province): agencies below the user's own that the user may read (hierarchy roll-up): the
    leaders of a parent agency (a province office, a district) read the agencies below it; they act only
    for their own."""
    if own_id is None or Role.LEADER not in user_roles(user):
        return set()
    return agency_descendant_ids(own_id) - {own_id}


def _sole_agency_id() -> int | None:
    """Staff without a unit belong to the installation's agency when it serves exactly one (a single-agency
    install); with several agencies they belong to none until an administrator gives them a unit."""
    ids = list(Agency.objects.order_by("id").values_list("id", flat=True)[:2])
    return ids[0] if len(ids) == 1 else None


def scope_for(user) -> Scope:
    """THE function deciding what `user` may read and act for; cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_SCOPE
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    own_id = user.unit.agency_id if getattr(user, "unit_id", None) else _sole_agency_id()
    read_ids: set[int] = set()
    act_ids: set[int] = set()
    if own_id is not None:
        read_ids.add(own_id)
        act_ids.add(own_id)
    act_ids |= _seconded_agency_ids(user)
    read_ids |= act_ids | _rolled_up_ids(user, own_id)
    superuser = bool(user.is_superuser)
    read_all = superuser or Role.PROVINCE_SUPERVISOR in user_roles(user)
    scope = Scope(read_all=read_all, read_ids=frozenset(read_ids), act_ids=frozenset(act_ids), act_all=superuser, own_id=own_id)
    try:
        setattr(user, _CACHE_ATTR, scope)
    except AttributeError:  # pragma: no cover - exotic user objects
        pass
    return scope


def reads_every_agency(user) -> bool:
    """`scope_for(user).read_all` without computing the whole scope (no query beyond the user's roles): for hot
    paths such as the API read by code."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or Role.PROVINCE_SUPERVISOR in user_roles(user)


def forget_scope(user) -> None:
    """Drop the cached scope (after the user's unit, roles or secondments change)."""
    user.__dict__.pop(_CACHE_ATTR, None)


def _user_of(request_or_user):
    return getattr(request_or_user, "user", request_or_user)


def _lookup(requested):
    if isinstance(requested, Agency):
        return requested
    value = str(requested).strip()
    qs = Agency.objects.all()
    agency = qs.filter(short_name=value).first() or qs.filter(code=value).first()
    if agency is None and (pk := ascii_int(value, max_digits=11)) is not None:
        agency = qs.filter(pk=pk).first()
    if agency is None:
        raise NotFoundError(_("Không tìm thấy cơ quan."))
    return agency


def agency_for(request_or_user, requested: str | int | None = None, *, act: bool = False):
    """The agency a page/API works on: the explicit ?agency= (short name, code or id) only when inside the
    scope (else PermissionDeniedError/NotFoundError), otherwise the user's own agency.

    A user with no agency of their own who reads every agency (superuser, province supervisor) works on
    the installation's first agency; with `act=True` only a superuser gets it."""
    user = _user_of(request_or_user)
    scope = scope_for(user)
    if requested not in (None, ""):
        agency = _lookup(requested)
        if not scope.can_read(agency.pk):
            raise NotFoundError(_("Không tìm thấy cơ quan."))
        if act and not scope.can_act(agency.pk):
            raise PermissionDeniedError(_("Bạn không được thao tác thay cho cơ quan này."))
        return agency
    if scope.own_id is not None:
        return Agency.objects.get(pk=scope.own_id)
    if scope.act_all if act else scope.read_all:
        return Agency.objects.order_by("id").first()
    return None


def ensure_can_read(user, agency_id) -> None:
    """404 when the user may not read rows of that agency (their existence is not revealed)."""
    if not scope_for(user).can_read(agency_id):
        raise NotFoundError()


def ensure_can_act(user, agency_id) -> None:
    """404 when the user may not even read the agency's rows, 403 when they may read but not act."""
    scope = scope_for(user)
    if not scope.can_read(agency_id):
        raise NotFoundError()
    if not scope.can_act(agency_id):
        raise PermissionDeniedError(_("Bạn không được thao tác thay cho cơ quan này."))
