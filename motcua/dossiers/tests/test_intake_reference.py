"""An intake reads the catalog from the process memory (dossiers.selectors.intake_reference): a version
published or a step changed in this process is used by the very next intake."""

from decimal import Decimal

import pytest
from django.utils import timezone

from motcua.catalog.models import ProcedureVersion, ProcessStep

from .factories import World, receive

pytestmark = pytest.mark.django_db


def test_a_version_that_takes_effect_today_is_used_by_the_next_intake(settings):
    settings.MOTCUA_REFERENCE_CACHE_SECONDS = 60
    world = World()
    assert receive(world).procedure_version.number == 1
    today = timezone.localdate()
    old = world.version
    old.valid_to = today
    old.status = ProcedureVersion.Status.RETIRED
    old.save()
    new = ProcedureVersion.objects.get(pk=old.pk)
    new.pk, new.number, new.valid_from, new.valid_to = None, 2, today, None
    new.status = ProcedureVersion.Status.IN_FORCE
    new.save()
    assert receive(world).procedure_version.number == 2


def test_a_changed_first_step_is_used_by_the_next_intake(settings):
    settings.MOTCUA_REFERENCE_CACHE_SECONDS = 60
    world = World()
    first = receive(world).steps.get(seq=1)
    assert first.name == "Tiếp nhận hồ sơ"
    step = ProcessStep.objects.get(version=world.version, order=1)
    step.name = "Tiếp nhận và số hóa hồ sơ"
    step.duration = Decimal("1")
    step.save()
    assert receive(world).steps.get(seq=1).name == "Tiếp nhận và số hóa hồ sơ"


def test_a_bulk_catalog_write_is_used_by_the_next_intake_once_the_catalog_version_changes(settings):
    from motcua.catalog.public_cache import catalog_changed

    settings.MOTCUA_REFERENCE_CACHE_SECONDS = 60
    world = World()
    assert receive(world).procedure_version.name == world.version.name
    # An import writes in bulk: no signal reaches the process memory, the catalog version does.
    ProcedureVersion.objects.filter(pk=world.version.pk).update(name="Tên mới theo quyết định công bố")
    assert receive(world).procedure_version.name == world.version.name  # still the remembered version
    catalog_changed()
    assert receive(world).procedure_version.name == "Tên mới theo quyết định công bố"
