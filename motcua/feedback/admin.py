from django.contrib import admin

from motcua.core.admin import ReadOnlyAdmin

from .models import Feedback, FeedbackAttachment, SatisfactionRating


class AttachmentInline(admin.TabularInline):
    model = FeedbackAttachment
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "sha256", "file"]
    can_delete = False


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    """Read-only: state changes go through the services (audited) on the staff pages."""

    list_display = ["code", "kind", "category", "status", "received_at", "resolve_due", "is_published"]
    list_filter = ["status", "kind", "category", "channel", "is_published"]
    search_fields = ["code", "title", "content"]
    inlines = [AttachmentInline]


@admin.register(SatisfactionRating)
class SatisfactionRatingAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "overall", "total", "submitted_at"]
    list_filter = ["overall"]
