"""Free text of the document registers has a length limit per field: a 1 MB note or summary is a form
error with the Vietnamese message."""

import pytest

from motcua.core.validators import NOTE_MAX, SUMMARY_MAX
from motcua.documents.forms import AssignForm, IncomingForm, NoteForm

ONE_MB = "a" * (1024 * 1024)


def test_a_1_mb_note_is_a_form_error():
    form = NoteForm({"note": ONE_MB})
    assert not form.is_valid()
    assert form.errors["note"] == [f"Tối đa {NOTE_MAX} ký tự (đã nhập {len(ONE_MB)} ký tự)."]
    assert NoteForm({"note": "Đã xử lý"}).is_valid()


@pytest.mark.django_db
def test_a_1_mb_summary_or_instruction_is_a_form_error(agency):
    incoming = IncomingForm({"summary": ONE_MB}, agency=agency)
    assert not incoming.is_valid()
    assert incoming.errors["summary"] == [f"Tối đa {SUMMARY_MAX} ký tự (đã nhập {len(ONE_MB)} ký tự)."]
    assign = AssignForm({"note": ONE_MB}, agency=agency)
    assert not assign.is_valid() and "note" in assign.errors
