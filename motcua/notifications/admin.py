from django.contrib import admin, messages
from django.utils.translation import gettext as _

from motcua.core.errors import TransitionNotAllowed

from .models import Message, MessageTemplate
from .selectors import message_problem_counts
from .services import message_mark_sent, message_retry_now


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "channel", "subject", "is_active"]
    list_filter = ["channel", "is_active"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient", "template_code", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "template_code"]
    search_fields = ["recipient", "object_id", "message_id"]
    readonly_fields = [f.name for f in Message._meta.fields]
    actions = ["retry_now", "mark_sent"]

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        in_doubt = message_problem_counts()["in_doubt"]
        if in_doubt and request.GET.get("status__exact") != Message.Status.IN_DOUBT:
            self.message_user(
                request,
                _(
                    "%(n)d thông báo chưa rõ đã gửi hay chưa: lọc theo trạng thái «Chưa rõ đã gửi» để gửi lại hoặc "
                    "đánh dấu đã gửi."
                )
                % {"n": in_doubt},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    @admin.action(description="Gửi lại ngay (giữ nguyên Message-ID)")
    def retry_now(self, request, queryset):
        for message in queryset:
            message_retry_now(message=message, actor=request.user)

    @admin.action(description="Đánh dấu đã gửi (thông báo chưa rõ đã gửi)")
    def mark_sent(self, request, queryset):
        done = refused = 0
        for message in queryset:
            try:
                message_mark_sent(message=message, actor=request.user)
                done += 1
            except TransitionNotAllowed:
                refused += 1
        if done:
            self.message_user(request, _("Đã đánh dấu %(n)d thông báo là đã gửi.") % {"n": done}, messages.SUCCESS)
        if refused:
            self.message_user(
                request, _("%(n)d thông báo không ở trạng thái chưa rõ đã gửi: không đổi.") % {"n": refused}, messages.WARNING
            )
