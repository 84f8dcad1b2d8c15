from django.contrib import admin

from .models import Message, MessageTemplate
from .services import message_retry_now


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "channel", "subject", "is_active"]
    list_filter = ["channel", "is_active"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient", "template_code", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "template_code"]
    search_fields = ["recipient", "object_id"]
    readonly_fields = [f.name for f in Message._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Gửi lại ngay")
    def retry_now(self, request, queryset):
        for message in queryset:
            message_retry_now(message=message)
