"""The notifications' card on the staff home page (core.views.home_cards), for administrators: messages
in doubt (the worker stopped while sending: resend or mark sent in the admin) and messages that failed."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.core.roles import Role, user_has_role

from .models import Message
from .selectors import message_problem_counts


def home_cards(user) -> list[dict]:
    if not (user_has_role(user, Role.ADMINISTRATOR) or user.is_superuser):
        return []
    counts = message_problem_counts()
    messages = reverse("admin:notifications_message_changelist")
    return [
        {
            "title": _("Thông báo gửi người dân"),
            "counts": [
                {
                    "key": "in_doubt",
                    "label": _("thông báo chưa rõ đã gửi hay chưa (cần kiểm tra: gửi lại hoặc đánh dấu đã gửi)"),
                    "value": counts["in_doubt"],
                    "url": f"{messages}?{urlencode({'status__exact': Message.Status.IN_DOUBT})}",
                },
                {
                    "key": "failed",
                    "label": _("thông báo gửi không thành công"),
                    "value": counts["failed"],
                    "url": f"{messages}?{urlencode({'status__exact': Message.Status.FAILED})}",
                },
            ],
        }
    ]
