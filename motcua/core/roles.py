"""Staff roles. A role is stored as a Django group whose name is the role code, so administrators
manage membership in the admin and every app asks the same question: does this user hold role X?"""

from django.db import models


class Role(models.TextChoices):
    ONE_STOP_OFFICER = "one_stop_officer", "Cán bộ một cửa"
    SPECIALIST = "specialist", "Chuyên viên"
    LEADER = "leader", "Lãnh đạo"
    CLERK = "clerk", "Văn thư"
    INSPECTOR = "inspector", "Thành viên đoàn kiểm tra"
    ADMINISTRATOR = "administrator", "Quản trị hệ thống"
    PROVINCE_SUPERVISOR = "province_supervisor", "Giám sát cấp tỉnh"  # reads every agency (core.tenancy)


def user_roles(user) -> frozenset[str]:
    """The role codes a user holds (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_motcua_roles", None)
    if cached is None:
        codes = set(user.groups.values_list("name", flat=True)) & set(Role.values)
        if user.is_superuser:
            codes.add(Role.ADMINISTRATOR)
        cached = frozenset(codes)
        user._motcua_roles = cached
    return cached


def user_has_role(user, *roles: str) -> bool:
    """True when the user holds any of the roles; administrators hold every permission."""
    held = user_roles(user)
    return Role.ADMINISTRATOR in held or bool(held & set(roles))
