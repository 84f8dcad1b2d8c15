"""The administrator's page of the integration outbox: per system, what is waiting, in doubt or dead, with a
re-send action (audited). Scoped by agency (selectors)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core.errors import ValidationFailed
from motcua.core.permissions import role_required
from motcua.core.roles import Role
from motcua.core.validators import ascii_int

from . import selectors, services
from .models import IntegrationMessage
from .systems import LABELS


def _labelled(rows):
    """Each message with its system's name as the summary shows it ("Bưu chính công ích", not "postal")."""
    rows = list(rows)
    for m in rows:
        m.system_label = LABELS.get(m.system, m.system)
    return rows


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def outbox(request):
    if request.method == "POST":
        pk = request.POST.get("message", "")
        if ascii_int(pk) is None:
            raise ValidationFailed(fields={"message": [_("Chọn một thông điệp để gửi lại.")]})
        message = selectors.outbox_message(user=request.user, pk=pk)
        services.message_resend(message=message, actor=request.user)
        messages.success(
            request, _("Đã đưa thông điệp %(key)s #%(seq)d vào hàng gửi lại.") % {"key": message.key, "seq": message.sequence}
        )
        return redirect(request.get_full_path())
    system = request.GET.get("he_thong", "")
    status = request.GET.get("trang_thai", "")
    key = request.GET.get("ma", "")
    return render(
        request,
        "integrations/outbox.html",
        {
            "summary": selectors.outbox_summary(user=request.user),
            "rows": _labelled(selectors.outbox_messages(user=request.user, system=system, status=status, key=key)),
            "statuses": IntegrationMessage.Status.choices,
            "system": system,
            "status": status,
            "key": key,
            "resendable": services.RESENDABLE,
        },
    )
