"""Legal drafts refuse dates far in the future (9999) or long past: the form answers with the shared
range message (01/01/1900–31/12/2100) and the service refuses them too; nothing is recorded."""

from datetime import date

import pytest

from motcua.core.errors import ValidationFailed
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM
from motcua.reform import services
from motcua.reform.models import LegalDraft

RANGE = "Ngày phải từ 01/01/1900 đến 31/12/2100."


def _form(**extra):
    return {
        "year": 2026,
        "title": "Quyết định ban hành quy chế phối hợp",
        "doc_type": "Quyết định",
        "registered_on": "02/12/2026",
        **extra,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value", [("registered_on", "31/12/9999"), ("registered_on", "9999-12-31"), ("replaces_date", "01/01/1800")]
)
def test_the_draft_form_refuses_a_date_out_of_range(client, agency, office, field, value):
    client.force_login(make_staff("chuyenvien", Role.SPECIALIST, unit=office))
    response = client.post("/cchc/tao/draft/", _form(**{field: value}), follow=True)
    assert RANGE in response.content.decode()
    assert not LegalDraft.objects.exists()
    client.post("/cchc/tao/draft/", _form())
    assert LegalDraft.objects.count() == 1  # the same form with a sane date is saved


@pytest.mark.django_db
def test_the_services_refuse_a_date_out_of_range(agency):
    with pytest.raises(ValidationFailed) as exc:
        services.legal_draft_register(actor=SYSTEM, agency=agency, year=2026, title="Quy chế", registered_on=date(9999, 12, 31))
    assert exc.value.fields == {"registered_on": [RANGE]}
    draft = services.legal_draft_register(actor=SYSTEM, agency=agency, year=2026, title="Quy chế", registered_on=date(2026, 1, 5))
    with pytest.raises(ValidationFailed) as exc:
        services.legal_draft_advance(actor=SYSTEM, draft=draft, stage="drafting", on=date(9999, 1, 1))
    assert exc.value.fields == {"on": [RANGE]}
    draft.refresh_from_db()
    assert draft.stage == "registered"
