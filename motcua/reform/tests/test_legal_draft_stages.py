"""The drafting registry: a registered legal normative document moves stage by stage; skipping is 409."""

from datetime import date

import pytest

from motcua.core.errors import TransitionNotAllowed, ValidationFailed
from motcua.core.transitions import SYSTEM
from motcua.reform import services
from motcua.reform.models import LegalDraft

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(agency):
    return services.legal_draft_register(
        actor=SYSTEM,
        agency=agency,
        year=2021,
        registered_on=date(2021, 1, 20),
        title="Quy chế quản lý cửa khẩu, lối mở biên giới trên địa bàn tỉnh",
        replaces_number="09/2018/QĐ-UBND",
        replaces_date=date(2018, 3, 20),
        replaces_issuer="UBND tỉnh",
    )


def test_stages_follow_in_order_with_dates(draft):
    services.legal_draft_advance(actor=SYSTEM, draft=draft, stage="drafting", on=date(2021, 3, 1))
    services.legal_draft_advance(actor=SYSTEM, draft=draft, stage="consultation", on=date(2021, 5, 10))
    services.legal_draft_advance(actor=SYSTEM, draft=draft, stage="submitted", on=date(2021, 8, 2))
    d = services.legal_draft_advance(
        actor=SYSTEM, draft=draft, stage="issued", on=date(2021, 10, 5), issued_number="25/2021/QĐ-UBND"
    )
    assert d.stage == LegalDraft.Stage.ISSUED
    assert (d.drafting_on, d.consultation_on, d.submitted_on, d.issued_on) == (
        date(2021, 3, 1),
        date(2021, 5, 10),
        date(2021, 8, 2),
        date(2021, 10, 5),
    )
    assert d.replaces_phrase == "thay thế Quyết định số 09/2018/QĐ-UBND ngày 20/3/2018 của UBND tỉnh"


def test_skipping_or_going_back_is_a_conflict(draft):
    with pytest.raises(TransitionNotAllowed) as err:
        services.legal_draft_advance(actor=SYSTEM, draft=draft, stage="submitted", on=date(2021, 3, 1))
    assert err.value.status_code == 409
    services.legal_draft_advance(actor=SYSTEM, draft=draft, stage="drafting", on=date(2021, 3, 1))
    with pytest.raises(TransitionNotAllowed):
        services.legal_draft_advance(actor=SYSTEM, draft=draft, stage="registered", on=date(2021, 3, 2))
    draft.refresh_from_db()
    assert draft.stage == LegalDraft.Stage.DRAFTING


def test_issuing_needs_the_issued_number_and_dates_go_forward(draft):
    with pytest.raises(ValidationFailed):
        services.legal_draft_advance(actor=SYSTEM, draft=draft, stage="drafting", on=date(2021, 1, 1))
    for stage, on in (("drafting", date(2021, 3, 1)), ("consultation", date(2021, 4, 1)), ("submitted", date(2021, 5, 1))):
        services.legal_draft_advance(actor=SYSTEM, draft=draft, stage=stage, on=on)
    with pytest.raises(ValidationFailed):
        services.legal_draft_advance(actor=SYSTEM, draft=draft, stage="issued", on=date(2021, 6, 1))
