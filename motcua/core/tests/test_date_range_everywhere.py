"""One validator keeps every date entered between 01/01/1900 and 31/12/2100: it is on every Django form
date/date-time field and every DRF date/date-time field (core.validators.install_date_range), so a
year 9999 is a field error with the Vietnamese message instead of being stored."""

from datetime import date, datetime

import pytest
from django import forms
from rest_framework import serializers

from motcua.core.errors import ValidationFailed
from motcua.core.validators import DATE_RANGE_MESSAGE, date_check

RANGE = "Ngày phải từ 01/01/1900 đến 31/12/2100."


class _Form(forms.Form):
    on = forms.DateField(input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    at = forms.DateTimeField(input_formats=["%d/%m/%Y %H:%M"], required=False)


class _Serializer(serializers.Serializer):
    on = serializers.DateField()
    at = serializers.DateTimeField(required=False)


def test_the_message_is_the_documented_one():
    assert DATE_RANGE_MESSAGE == RANGE


@pytest.mark.parametrize(
    "data, field",
    [({"on": "31/12/9999"}, "on"), ({"on": "01/01/1899"}, "on"), ({"on": "02/12/2026", "at": "01/01/9999 08:00"}, "at")],
)
def test_a_form_date_out_of_range_is_a_field_error(data, field):
    form = _Form(data)
    assert not form.is_valid()
    assert form.errors[field] == [RANGE]


def test_form_dates_at_the_bounds_pass():
    assert _Form({"on": "01/01/1900", "at": "31/12/2100 23:59"}).is_valid()


@pytest.mark.parametrize(
    "data, field", [({"on": "9999-12-31"}, "on"), ({"on": "2026-12-02", "at": "9999-01-01T00:00:00Z"}, "at")]
)
def test_an_api_date_out_of_range_is_a_field_error(data, field):
    s = _Serializer(data=data)
    assert not s.is_valid()
    assert [str(e) for e in s.errors[field]] == [RANGE]
    assert _Serializer(data={"on": "2100-12-31"}).is_valid()


def test_services_use_the_same_check():
    assert date_check(date(2026, 12, 2), field="on") == date(2026, 12, 2)
    assert date_check(datetime(2100, 12, 31, 23), field="at")
    with pytest.raises(ValidationFailed) as exc:
        date_check(date(9999, 12, 31), field="on")
    assert exc.value.fields == {"on": [RANGE]}


@pytest.mark.django_db
def test_the_intake_api_refuses_a_birth_date_in_9999(client):
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.tests.factories import World

    world = World()
    client.force_login(world.officer)
    applicant = {"kind": "individual", "full_name": "Trần Thị Bình", "id_number": "031185001234", "birth_date": "9999-12-31"}
    response = client.post(
        "/api/v1/dossiers/",
        {"procedure": world.code, "channel": "counter", "applicant": applicant},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["applicant"]["birth_date"] == [RANGE]
    assert not Dossier.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["9999-12-31", "9999-12-31T17:00:00+07:00", "1800-01-01"])
def test_an_extension_to_a_date_out_of_range_is_a_field_error(client, value):
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.tests.factories import World, receive

    world = World()
    dossier = receive(world)
    client.force_login(world.leader)
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/extend/",
        {"new_due_at": value, "reason": "Chờ ý kiến"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"new_due_at": [RANGE]}
    assert not Dossier.objects.get(pk=dossier.pk).extended
