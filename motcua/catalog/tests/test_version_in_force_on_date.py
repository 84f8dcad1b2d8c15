"""A dossier-facing read returns the version in force on the day the dossier was received."""

from datetime import date

import pytest

from motcua.catalog import selectors, services
from motcua.core.errors import NotFoundError
from motcua.core.transitions import SYSTEM


@pytest.mark.django_db
def test_dossier_keeps_the_version_in_force_on_its_reception_day(agency, make_procedure):
    v1 = make_procedure(valid_from=date(2020, 1, 1))
    v2 = services.procedure_version_create(
        actor=SYSTEM, procedure=v1.procedure, data={"legal_time": 14, "name": "Cấp Giấy chứng nhận đăng ký đầu tư (sửa đổi)"}
    )
    decision = services.decision_create(
        actor=SYSTEM, agency=agency, number="15/QĐ-UBND", signed_on=date(2021, 3, 20), effective_on=date(2021, 3, 26)
    )
    services.decision_item_add(actor=SYSTEM, decision=decision, action="amended", procedure=v1.procedure, version=v2)
    services.decision_apply(actor=SYSTEM, decision=decision)

    assert selectors.procedure_version_in_force(code="1.009664", on=date(2021, 3, 25)).pk == v1.pk
    assert selectors.procedure_version_in_force(code="1.009664", on=date(2021, 3, 26)).pk == v2.pk
    assert selectors.procedure_version_in_force(code="1.009664", on=date(2025, 1, 1)).pk == v2.pk
    with pytest.raises(NotFoundError):
        selectors.procedure_version_in_force(code="1.009664", on=date(2019, 12, 31))
    # the earlier version stays readable, with its own content
    old = selectors.procedure_version_in_force(code="1.009664", on=date(2020, 6, 1))
    assert old.legal_time == 15 and old.valid_to == date(2021, 3, 26)
    assert [v.number for v in selectors.procedure_history(code="1.009664")] == [2, 1]


@pytest.mark.django_db
def test_catalog_as_of_a_date_lists_one_version_per_procedure(agency, make_procedure):
    make_procedure(code="1.000001", name="Thủ tục A", valid_from=date(2020, 1, 1))
    make_procedure(code="1.000002", name="Thủ tục B", valid_from=date(2021, 6, 1))
    draft_only = make_procedure(code="1.000003", name="Thủ tục C (dự thảo)", valid_from=None)
    assert draft_only.status == "draft"
    codes = lambda on: sorted(v.procedure.code for v in selectors.procedure_versions_in_force(on=on))  # noqa: E731
    assert codes(date(2021, 1, 1)) == ["1.000001"]
    assert codes(date(2021, 6, 1)) == ["1.000001", "1.000002"]
