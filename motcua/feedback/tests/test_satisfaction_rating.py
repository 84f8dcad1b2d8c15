"""Satisfaction ratings: once per dossier (database unique), only after the result was returned (409
otherwise), nine criteria 0–2 (database checks), and the statistics selector."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.core.errors import ConflictError, ValidationFailed
from motcua.core.models import AuditLog
from motcua.core.transitions import Applicant
from motcua.dossiers.models import Dossier
from motcua.feedback.models import CRITERIA, SatisfactionRating
from motcua.feedback.selectors import rating_summary
from motcua.feedback.services import rating_submit

from .conftest import vn

pytestmark = pytest.mark.django_db

ALL_TWO = {name: 2 for name, _ in CRITERIA}
APPLICANT = Applicant(via="lookup")  # the portal's lookup proved the dossier is theirs


@pytest.fixture
def version(agency):
    field = Field.objects.create(code="DT", name="Đầu tư tại Việt Nam")
    procedure = Procedure.objects.create(code="1.009645")
    return ProcedureVersion.objects.create(
        procedure=procedure,
        name="Cấp giấy chứng nhận đăng ký đầu tư",
        field=field,
        agency=agency,
        status=ProcedureVersion.Status.IN_FORCE,
        valid_from=date(2025, 7, 1),
    )


@pytest.fixture
def make_dossier(agency, version):
    counter = iter(range(1, 1000))

    def _make(returned: bool = True, at=None):
        at = at or vn(2026, 3, 2, 9, 0)
        return Dossier.objects.create(
            code=f"H15.50-260302-{next(counter):04d}",
            agency=agency,
            procedure_version=version,
            channel="counter",
            status="returned" if returned else "processing",
            received_at=vn(2026, 2, 2, 9, 0),
            returned_at=at if returned else None,
            applicant_name="Công ty TNHH Minh họa",
        )

    return _make


def test_rating_after_return_is_stored_with_total_and_audited(make_dossier):
    dossier = make_dossier()
    rating = rating_submit(
        actor=APPLICANT, dossier=dossier, overall="rat_hai_long", criteria={**ALL_TWO, "contacts": 1}, comment="Nhanh gọn."
    )
    assert rating.total == 17
    assert rating.agency_id == dossier.agency_id
    assert AuditLog.objects.filter(action="rating.submit", object_id=str(rating.pk)).exists()


def test_rating_before_the_result_is_returned_is_refused_with_409(make_dossier):
    dossier = make_dossier(returned=False)
    with pytest.raises(ConflictError) as exc:
        rating_submit(actor=APPLICANT, dossier=dossier, overall="hai_long", criteria=ALL_TWO, comment="")
    assert exc.value.status_code == 409
    assert SatisfactionRating.objects.count() == 0


def test_a_dossier_is_rated_once_only(make_dossier):
    dossier = make_dossier()
    rating_submit(actor=APPLICANT, dossier=dossier, overall="hai_long", criteria=ALL_TWO, comment="")
    with pytest.raises(ConflictError) as exc:
        rating_submit(actor=APPLICANT, dossier=dossier, overall="khong_hai_long", criteria={n: 0 for n in ALL_TWO}, comment="")
    assert exc.value.status_code == 409
    assert SatisfactionRating.objects.get().overall == "hai_long"
    # and the database itself refuses a second row
    with pytest.raises(IntegrityError), transaction.atomic():
        SatisfactionRating.objects.create(
            dossier=dossier, agency=dossier.agency, overall="hai_long", submitted_at=vn(2026, 3, 3, 9, 0), **ALL_TWO
        )


def test_scores_must_be_0_to_2_for_all_nine_criteria(make_dossier):
    dossier = make_dossier()
    with pytest.raises(ValidationFailed) as exc:
        rating_submit(actor=APPLICANT, dossier=dossier, overall="hai_long", criteria={**ALL_TWO, "staff_attitude": 3}, comment="")
    assert "staff_attitude" in exc.value.fields
    missing = dict(ALL_TWO)
    missing.pop("online_quality")
    with pytest.raises(ValidationFailed) as exc:
        rating_submit(actor=APPLICANT, dossier=dossier, overall="hai_long", criteria=missing, comment="")
    assert "online_quality" in exc.value.fields
    with pytest.raises(ValidationFailed):
        rating_submit(actor=APPLICANT, dossier=dossier, overall="tot", criteria=ALL_TWO, comment="")
    with pytest.raises(IntegrityError), transaction.atomic():  # the database check, bypassing the service
        SatisfactionRating.objects.create(
            dossier=dossier,
            agency=dossier.agency,
            overall="hai_long",
            submitted_at=vn(2026, 3, 3, 9, 0),
            **{**ALL_TWO, "contacts": 5},
        )
    assert SatisfactionRating.objects.count() == 0


def test_summary_counts_levels_and_averages(agency, make_dossier):
    rating_submit(
        actor=APPLICANT, dossier=make_dossier(), overall="rat_hai_long", criteria=ALL_TWO, comment="", at=vn(2026, 3, 2, 10, 0)
    )
    rating_submit(
        actor=APPLICANT,
        dossier=make_dossier(),
        overall="hai_long",
        criteria={**ALL_TWO, "total_time": 1, "contacts": 0},
        comment="",
        at=vn(2026, 3, 5, 10, 0),
    )
    rating_submit(
        actor=APPLICANT,
        dossier=make_dossier(),
        overall="khong_hai_long",
        criteria={n: 1 for n in ALL_TWO},
        comment="",
        at=vn(2026, 3, 31, 16, 0),
    )
    rating_submit(
        actor=APPLICANT,
        dossier=make_dossier(),
        overall="khong_hai_long",
        criteria={n: 0 for n in ALL_TWO},
        comment="",
        at=vn(2026, 4, 1, 8, 0),
    )  # outside the period
    s = rating_summary(agency=agency, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert s["count"] == 3
    assert s["by_overall"] == {"rat_hai_long": 1, "hai_long": 1, "khong_hai_long": 1}
    assert s["satisfied_percent"] == 66.7
    assert s["average_total"] == round((18 + 15 + 9) / 3, 2)
    assert s["max_total"] == 18
    by_name = {c["name"]: c["average"] for c in s["criteria"]}
    assert by_name["total_time"] == round((2 + 1 + 1) / 3, 2) and by_name["contacts"] == 1.0
    assert rating_summary(agency=agency, start=date(2025, 1, 1), end=date(2025, 12, 31))["count"] == 0
