"""Free text of the reform pages has a length limit per field: a 1 MB note or content is a form error
with the Vietnamese message."""

from motcua.core.validators import CONTENT_MAX, NOTE_MAX
from motcua.reform.forms import CloseForm, MonitoringForm

ONE_MB = "a" * (1024 * 1024)


def test_a_1_mb_result_note_is_a_form_error():
    form = CloseForm({"note": ONE_MB})
    assert not form.is_valid()
    assert form.errors["note"] == [f"Tối đa {NOTE_MAX} ký tự (đã nhập {len(ONE_MB)} ký tự)."]


def test_a_1_mb_monitoring_content_is_a_form_error():
    form = MonitoringForm({"year": 2026, "field": "Đầu tư", "content": ONE_MB})
    assert not form.is_valid()
    assert form.errors["content"] == [f"Tối đa {CONTENT_MAX} ký tự (đã nhập {len(ONE_MB)} ký tự)."]
