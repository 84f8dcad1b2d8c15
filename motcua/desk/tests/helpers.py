"""Test helpers: dossiers created through motcua.dossiers.services at chosen moments."""

from motcua.dossiers.services import dossier_receive
from motcua.dossiers.tests.factories import APPLICANT


def receive_as(world, version, *, at, channel="counter", name=None, actor=None):
    """Receive a dossier for `version` (of `world`'s agency) at `at`, optionally with another applicant name."""
    applicant = dict(APPLICANT)
    if name:
        applicant["full_name"] = name
    extra = {"postal_tracking": "EMS123456789VN"} if channel == "postal" else {}
    if channel == "online":
        actor = None
    elif actor is None:
        actor = world.officer
    return dossier_receive(actor=actor, procedure_code=version.procedure.code, channel=channel, applicant=applicant,
                           received_at=at, **extra)
