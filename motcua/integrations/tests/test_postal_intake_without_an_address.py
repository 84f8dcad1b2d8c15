"""The officer receiving a dossier "by post" (the postal operator to pick the papers up) without the applicant's
address reads the Vietnamese message beside the "Địa chỉ" field, with everything typed kept, and nothing is
received or queued (found walking the intake form in a browser: the message stood alone above the form)."""

import re

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World
from motcua.integrations.models import IntegrationMessage

from .postal_support import postal  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_missing_address_is_shown_beside_the_address_field_and_the_typing_is_kept(client, postal):  # noqa: F811
    world = World()
    client.force_login(world.officer)
    url = f"/staff/dossiers/new/?procedure={world.code}"
    form = client.get(url).content.decode()
    data = {
        "procedure": world.code,
        "channel": "postal",
        "kind": "individual",
        "full_name": "Trần Thị Bưu",
        "id_number": "001190012345",
        "phone": "0912345678",
        "result_delivery": "counter",
        "form_token": re.search(r'name="form_token" value="([0-9a-f]+)"', form).group(1),
    }
    for pk in re.findall(r'name="component_(\d+)"', form):
        data[f"component_{pk}"] = "1"
    response = client.post(url, data)  # the form shown again (the intake page answers its errors with 200)
    intake = response.context["form"]
    assert intake.errors["address"] == ["Cần địa chỉ để bưu chính đến nhận hồ sơ."]
    assert not intake.non_field_errors()
    page = response.content.decode()
    assert 'value="Trần Thị Bưu"' in page and 'value="001190012345"' in page
    assert not Dossier.objects.exists() and not IntegrationMessage.objects.filter(system="postal").exists()
