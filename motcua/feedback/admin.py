from django.contrib import admin

from .models import Feedback, FeedbackAttachment, SatisfactionRating


class AttachmentInline(admin.TabularInline):
    model = FeedbackAttachment
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "sha256", "file"]
    can_delete = False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Read-only: state changes go through the services (audited) on the staff pages."""

    list_display = ["code", "kind", "category", "status", "received_at", "resolve_due", "is_published"]
    list_filter = ["status", "kind", "category", "channel", "is_published"]
    search_fields = ["code", "title", "content"]
    inlines = [AttachmentInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SatisfactionRating)
class SatisfactionRatingAdmin(admin.ModelAdmin):
    list_display = ["dossier", "overall", "total", "submitted_at"]
    list_filter = ["overall"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
