"""The demo reproduces the 2021 story from records: 4,682 documents, 1,548 processed entirely
electronically, 1,472 digitally signed; it is fast and idempotent."""

import io
import time
from datetime import date

import pytest

from motcua.core import demo as core_demo
from motcua.documents import demo
from motcua.documents.models import DocumentStep, IncomingDocument, OutgoingDocument, SignatureRecord
from motcua.documents.selectors import document_counts, incoming_with_flags, outgoing_with_flags


@pytest.mark.django_db
def test_demo_2021_counts_are_derived_from_records():
    agency = core_demo.seed()
    out = io.StringIO()
    started = time.monotonic()
    demo.seed(agency=agency, stdout=out)
    elapsed = time.monotonic() - started
    assert elapsed < 90, elapsed  # ~5 s on an idle 2-core machine (SQLite); generous for shared CI
    counts = document_counts(agency=agency, start=date(2021, 1, 1), end=date(2021, 12, 31))
    assert counts["total"] == 4682 and counts["fully_electronic"] == 1548 and counts["digitally_signed"] == 1472
    assert counts["incoming"] + counts["outgoing"] == 4682
    # consistency of the underlying records
    paper_in = incoming_with_flags().filter(fully_electronic=False)
    assert paper_in.count() == IncomingDocument.objects.filter(is_electronic=False).count()
    assert all(DocumentStep.objects.filter(incoming=d, paper=True).exists() for d in paper_in[:50])
    signed_docs = SignatureRecord.objects.values_list("file__incoming_id", "file__outgoing_id").distinct()
    assert len({(a, b) for a, b in signed_docs}) == 1472
    # every signed document was processed electronically (1,472 of the 1,548)
    assert not incoming_with_flags().filter(digitally_signed=True, fully_electronic=False).exists()
    assert not outgoing_with_flags().filter(digitally_signed=True, fully_electronic=False).exists()
    # numbering without gaps
    numbers = list(OutgoingDocument.objects.filter(year=2021).order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    # idempotent
    demo.seed(agency=agency, stdout=out)
    assert document_counts(agency=agency, start=date(2021, 1, 1), end=date(2021, 12, 31)) == counts
