"""Who may see a dossier at the desk, and at which agency's desk a user works (core.tenancy)."""

from __future__ import annotations

from motcua.core.errors import PermissionDeniedError
from motcua.core.models import Agency
from motcua.core.roles import Role, user_has_role
from motcua.core.tenancy import agency_for, scope_for
from motcua.dossiers.models import Dossier


def user_may_see_dossier(user, dossier: Dossier) -> bool:
    """Staff of the desk, the processing units and leaders, of the dossier's own agency."""
    if not user_has_role(user, Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER):
        return False
    return scope_for(user).can_read(dossier.agency_id)


def ensure_may_see_dossier(user, dossier: Dossier) -> None:
    if not user_may_see_dossier(user, dossier):
        raise PermissionDeniedError("Bạn không có quyền xem hồ sơ này.")


def user_agency(user) -> Agency | None:
    """The agency whose desk the user works at (core.tenancy). A user of no agency who does not read every
    agency is refused (403): the desk's selectors read every agency when given none."""
    agency = agency_for(user)
    if agency is None and not scope_for(user).read_all and Agency.objects.exists():
        raise PermissionDeniedError("Tài khoản của bạn chưa thuộc cơ quan nào.")
    return agency
