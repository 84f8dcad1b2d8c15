"""Test helpers: dossiers created through the dossier services (dossiers.intake) at chosen moments."""

from motcua.core.transitions import Applicant
from motcua.dossiers.intake import dossier_receive
from motcua.dossiers.tests.factories import APPLICANT


def receive_as(world, version, *, at, channel="counter", name=None, actor=None):
    """Receive a dossier for `version` (of `world`'s agency) at `at`, optionally with another applicant name:
    online as the applicant, else by `actor` (the world's one-stop officer by default)."""
    applicant = dict(APPLICANT)
    if name:
        applicant["full_name"] = name
    extra = {"postal_tracking": "EMS123456789VN"} if channel == "postal" else {}
    if channel == "online":
        actor = Applicant(via="draft")
    elif actor is None:
        actor = world.officer
    return dossier_receive(
        actor=actor, procedure_code=version.procedure.code, channel=channel, applicant=applicant, received_at=at, **extra
    )
