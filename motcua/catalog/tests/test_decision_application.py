"""Applying a publication decision creates, retires and abolishes versions, once."""

from datetime import date

import pytest

from motcua.catalog import selectors, services
from motcua.catalog.models import ProcedureVersion
from motcua.core.errors import TransitionNotAllowed, ValidationFailed
from motcua.core.models import AuditLog
from motcua.core.transitions import SYSTEM


@pytest.mark.django_db
def test_a_decision_publishes_new_amends_replaces_and_abolishes(agency, field, make_procedure):
    amended = make_procedure(code="2.001955", name="Đăng ký nội quy lao động của doanh nghiệp")
    abolished = make_procedure(code="1.000100", name="Thủ tục cũ bị bãi bỏ")
    replaced = make_procedure(code="1.000200", name="Thủ tục cũ bị thay thế")
    new = services.procedure_create(
        actor=SYSTEM,
        code="1.009664",
        data={"name": "Thủ tục cấp Giấy chứng nhận đăng ký đầu tư", "field": field, "agency": agency, "legal_time": 15},
    )
    replacement = services.procedure_create(
        actor=SYSTEM, code="1.009665", data={"name": "Thủ tục thay thế", "field": field, "agency": agency, "legal_time": 5}
    )
    amended_v2 = services.procedure_version_create(actor=SYSTEM, procedure=amended.procedure, data={"legal_time": 20})

    decision = services.decision_create(
        actor=SYSTEM,
        agency=agency,
        number="123/QĐ-UBND",
        signed_on=date(2021, 5, 10),
        effective_on=date(2021, 5, 15),
        signer="Chủ tịch UBND tỉnh",
    )
    services.decision_item_add(actor=SYSTEM, decision=decision, action="new", procedure=new.procedure, version=new)
    services.decision_item_add(actor=SYSTEM, decision=decision, action="amended", procedure=amended.procedure, version=amended_v2)
    services.decision_item_add(actor=SYSTEM, decision=decision, action="abolished", procedure=abolished.procedure)
    services.decision_item_add(
        actor=SYSTEM,
        decision=decision,
        action="replaced",
        procedure=replacement.procedure,
        version=replacement,
        replaces=replaced.procedure,
    )
    services.decision_apply(actor=SYSTEM, decision=decision)

    on = date(2021, 5, 15)
    day_before = date(2021, 5, 14)
    for obj in (amended, abolished, replaced, new, replacement, amended_v2):
        obj.refresh_from_db()
    assert new.status == "in_force" and new.valid_from == on and new.valid_to is None
    assert amended.status == "retired" and amended.valid_to == on
    assert amended_v2.status == "in_force" and amended_v2.valid_from == on
    assert abolished.status == "abolished" and abolished.valid_to == on
    assert replaced.status == "retired" and replaced.valid_to == on
    in_force = lambda d: sorted(v.procedure.code for v in selectors.procedure_versions_in_force(on=d))  # noqa: E731
    assert in_force(day_before) == ["1.000100", "1.000200", "2.001955"]
    assert in_force(on) == ["1.009664", "1.009665", "2.001955"]
    counts = selectors.decision_counts(agency=agency, start=date(2021, 1, 1), end=date(2021, 12, 31))
    assert (counts["new"], counts["amended"], counts["replaced"], counts["abolished"]) == (1, 1, 1, 1)
    assert AuditLog.objects.filter(action="catalog.decision_apply", object_id=str(decision.pk)).count() == 1


@pytest.mark.django_db
def test_applying_a_decision_twice_is_a_conflict_and_changes_nothing(agency, make_procedure):
    version = make_procedure(code="1.000300", name="Thủ tục bị bãi bỏ")
    decision = services.decision_create(
        actor=SYSTEM, agency=agency, number="9/QĐ-UBND", signed_on=date(2021, 2, 1), effective_on=date(2021, 2, 1)
    )
    services.decision_item_add(actor=SYSTEM, decision=decision, action="abolished", procedure=version.procedure)
    services.decision_apply(actor=SYSTEM, decision=decision)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.decision_apply(actor=SYSTEM, decision=decision)
    assert exc.value.status_code == 409
    with pytest.raises(TransitionNotAllowed):
        services.decision_item_add(actor=SYSTEM, decision=decision, action="abolished", procedure=version.procedure)
    assert AuditLog.objects.filter(action="catalog.decision_apply").count() == 2  # the fixture's and this one


@pytest.mark.django_db
def test_publishing_new_over_a_procedure_in_force_is_refused_and_rolls_back(agency, make_procedure):
    current = make_procedure(code="1.000400", name="Thủ tục đang có")
    draft = services.procedure_version_create(actor=SYSTEM, procedure=current.procedure, data={})
    other = make_procedure(code="1.000401", name="Thủ tục khác")
    decision = services.decision_create(
        actor=SYSTEM, agency=agency, number="10/QĐ-UBND", signed_on=date(2021, 2, 1), effective_on=date(2021, 2, 1)
    )
    services.decision_item_add(actor=SYSTEM, decision=decision, action="abolished", procedure=other.procedure)
    services.decision_item_add(actor=SYSTEM, decision=decision, action="new", procedure=current.procedure, version=draft)
    with pytest.raises(ValidationFailed):
        services.decision_apply(actor=SYSTEM, decision=decision)
    other.refresh_from_db()
    decision.refresh_from_db()
    assert other.status == "in_force" and other.valid_to is None and decision.applied_at is None
    assert ProcedureVersion.objects.get(pk=draft.pk).status == "draft"
