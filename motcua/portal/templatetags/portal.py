"""Template helpers of the public site."""

from django import template
from django.urls import NoReverseMatch, reverse

from motcua.core import masking
from motcua.portal.uploads import human_size

register = template.Library()


@register.simple_tag
def public_url(name: str, fallback: str, *args) -> str:
    """reverse(name) when that page exists, else the fallback path (pages of apps built separately)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


register.filter("mask_name", masking.mask_name)
register.filter("mask_id", masking.mask_id)
register.filter("mask_phone", masking.mask_phone)
register.filter("mask_email", masking.mask_email)
register.filter("mask_address", masking.mask_address)


@register.filter
def filesize(n) -> str:
    return human_size(int(n or 0))
