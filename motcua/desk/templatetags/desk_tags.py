"""`{% load desk_tags %}{% slip_links dossier %}`: the print links of a dossier's slips, for the dossier page."""

from django import template

from motcua.desk.selectors.slips import slip_kinds_available

register = template.Library()


@register.inclusion_tag("desk/_slip_links.html")
def slip_links(dossier):
    return {"dossier": dossier, "available": slip_kinds_available(dossier)}
