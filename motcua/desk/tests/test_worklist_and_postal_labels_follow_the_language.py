"""Labels kept as module constants (worklist buckets, postal worklist and timeline labels, the outbox's system
names) are in the English catalogue and stay Vietnamese by default."""

import pytest
from django.utils import translation

from motcua.desk.selectors.worklists import BUCKET_LABELS, POSTAL_FAILED_LABEL, POSTAL_PICKUP_FAILED_LABEL
from motcua.dossiers import postal
from motcua.integrations.systems import LABELS as SYSTEM_LABELS


def _labels():
    with translation.override("vi"):  # the Vietnamese text, as the code writes it
        return [
            *(str(v) for v in BUCKET_LABELS.values()),
            POSTAL_FAILED_LABEL,
            POSTAL_PICKUP_FAILED_LABEL,
            *postal.EVENT_LABELS.values(),
            *(str(v) for v in SYSTEM_LABELS.values()),
        ]


@pytest.mark.parametrize("label", _labels())
def test_the_label_has_an_english_translation(label):
    with translation.override("en"):
        english = translation.gettext(label)
    assert english and english != label
    assert english.isascii()  # no Vietnamese left in it


def test_the_lazy_labels_are_vietnamese_by_default():
    with translation.override("vi"):
        assert [str(v) for v in SYSTEM_LABELS.values()] == ["Cổng Dịch vụ công quốc gia", "Bưu chính công ích"]
        assert str(BUCKET_LABELS["overdue"]) == "Quá hạn"
