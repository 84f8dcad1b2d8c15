"""A step is acted on by its unit and the leaders of the agency: a specialist of another unit gets 403
(service, page and API) and nothing changes; a second agency's staff gets 404."""

import pytest

from motcua.core.errors import PermissionDeniedError
from motcua.core.models import Unit
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.transitions import (
    dossier_forward,
    dossier_request_supplement,
    dossier_require_payment,
    dossier_return_to_step,
)

from .factories import World, receive

pytestmark = pytest.mark.django_db


def _at_appraisal(world: World) -> Dossier:
    """A dossier forwarded to the appraisal step, owned by the investment unit (QLDT)."""
    d = receive(world)
    dossier_forward(dossier=d, actor=world.officer)
    step = DossierStep.objects.get(dossier=d, handed_over_at__isnull=True)
    assert step.unit == world.units["QLDT"]
    return d


def _other_unit_specialist(world: World):
    unit = Unit.objects.create(agency=world.agency, name="Phòng Doanh nghiệp, lao động", short_name="DNLD")
    return make_staff(f"dnld-{world.agency.pk}", Role.SPECIALIST, unit=unit)


def _state(d: Dossier):
    d.refresh_from_db()
    return d.status, list(DossierStep.objects.filter(dossier=d).values_list("seq", "handed_over_at"))


def test_specialist_of_another_unit_cannot_complete_the_step_through_the_service():
    world = World()
    d = _at_appraisal(world)
    outsider = _other_unit_specialist(world)
    before = _state(d)
    for action, kwargs in [
        (dossier_forward, {}),
        (dossier_return_to_step, {}),
        (dossier_request_supplement, {"items": ["Bản vẽ"]}),
        (dossier_require_payment, {}),
    ]:
        with pytest.raises(PermissionDeniedError):
            action(dossier=d, actor=outsider, **kwargs)
    assert _state(d) == before


def test_the_steps_own_unit_and_a_leader_may_act_on_it():
    world = World()
    d = _at_appraisal(world)
    dossier_forward(dossier=d, actor=world.specialist)  # QLDT's own specialist
    step = DossierStep.objects.get(dossier=d, handed_over_at__isnull=True)
    assert step.unit == world.units["VP"]
    dossier_return_to_step(dossier=d, actor=world.leader)  # a leader of the agency, any unit's step
    assert DossierStep.objects.get(dossier=d, handed_over_at__isnull=True).unit == world.units["QLDT"]


def test_specialist_of_another_unit_gets_403_on_the_page_and_no_action_buttons(client):
    world = World()
    d = _at_appraisal(world)
    outsider = _other_unit_specialist(world)
    before = _state(d)
    client.force_login(outsider)
    page = client.get(f"/staff/dossiers/{d.code}/")
    assert page.status_code == 200
    assert f"/staff/dossiers/{d.code}/actions/forward/" not in page.content.decode()
    response = client.post(f"/staff/dossiers/{d.code}/actions/forward/", {"note": "xong"})
    assert response.status_code == 403
    assert _state(d) == before
    client.force_login(world.specialist)
    assert f"/staff/dossiers/{d.code}/actions/forward/" in client.get(f"/staff/dossiers/{d.code}/").content.decode()


def test_specialist_of_another_unit_gets_403_through_the_api(client):
    world = World()
    d = _at_appraisal(world)
    outsider = _other_unit_specialist(world)
    before = _state(d)
    client.force_login(outsider)
    response = client.post(f"/api/v1/dossiers/{d.code}/actions/forward/", {"note": "xong"}, content_type="application/json")
    assert response.status_code == 403, response.content
    assert _state(d) == before
    client.force_login(world.specialist)
    ok = client.post(f"/api/v1/dossiers/{d.code}/actions/forward/", {"note": "xong"}, content_type="application/json")
    assert ok.status_code == 200, ok.content


def test_staff_of_another_agency_get_404_and_nothing_changes(client):
    world, other = World(), World()
    d = _at_appraisal(world)
    before = _state(d)
    client.force_login(other.specialist)
    assert client.post(f"/staff/dossiers/{d.code}/actions/forward/", {}).status_code == 404
    assert client.post(f"/api/v1/dossiers/{d.code}/actions/forward/", {}, content_type="application/json").status_code == 404
    with pytest.raises(PermissionDeniedError):
        dossier_forward(dossier=d, actor=other.leader)
    assert _state(d) == before
