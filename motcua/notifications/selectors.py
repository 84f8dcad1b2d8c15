"""Reads of the notifications app."""

from django.db.models import Count, Q

from .models import Message


def message_problem_counts() -> dict[str, int]:
    """Messages that need an administrator: in doubt (the worker stopped while sending) and failed."""
    return Message.objects.aggregate(
        in_doubt=Count("id", filter=Q(status=Message.Status.IN_DOUBT)),
        failed=Count("id", filter=Q(status=Message.Status.FAILED)),
    )
