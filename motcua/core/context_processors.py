from .nav import staff_menu
from .roles import Role, user_roles


def motcua(request):
    user = getattr(request, "user", None)
    roles = user_roles(user)
    menu = staff_menu(user) if user is not None and user.is_authenticated else []
    return {"user_roles": roles, "Role": Role, "staff_menu": menu}
