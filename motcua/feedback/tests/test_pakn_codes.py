"""PAKN codes follow PAKN-YYMMDD-NNNN, one sequence per day, unique even under concurrent submissions."""

import threading

import pytest
from django.db import connection

from motcua.core.testing import requires_postgres
from motcua.core.transitions import Applicant
from motcua.feedback.models import Feedback
from motcua.feedback.services import feedback_submit

from .conftest import vn


@pytest.mark.django_db
def test_codes_count_per_day(make_feedback):
    a = make_feedback(received_at=vn(2026, 3, 2, 8, 0))
    b = make_feedback(received_at=vn(2026, 3, 2, 9, 0))
    c = make_feedback(received_at=vn(2026, 3, 3, 9, 0))
    assert (a.code, b.code, c.code) == ("PAKN-260302-0001", "PAKN-260302-0002", "PAKN-260303-0001")


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_codes(agency):
    codes, errors = [], []

    def submit(i):
        try:
            fb = feedback_submit(
                kind="kien_nghi",
                category="other",
                content=f"Kiến nghị {i}",
                submitter_name="Lê Thị B",
                submitter_phone="0987654321",
                agency=agency,
                received_at=vn(2026, 3, 4, 9, 0),
                actor=Applicant(via="unverified"),
            )
            codes.append(fb.code)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(codes) == [f"PAKN-260304-{n:04d}" for n in range(1, 9)]
    assert Feedback.objects.count() == 8
