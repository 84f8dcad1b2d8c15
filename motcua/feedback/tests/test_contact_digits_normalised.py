"""A PAKN sender's phone typed with fullwidth or Arabic-Indic digits is stored in ASCII (so lookups by
phone find it), not refused or stored as typed."""

import pytest

from motcua.feedback.models import Feedback

from .test_public_pakn_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["０９０５ １２３ ４５６", "٠٩٠٥ ١٢٣ ٤٥٦"], ids=["fullwidth", "arabic-indic"])
def test_the_phone_is_stored_in_ascii(client, agency, typed):
    response = client.post("/phan-anh-kien-nghi/", form_data(submitter_phone=typed))
    assert response.status_code == 302, response.content.decode()[:500]
    assert Feedback.objects.get().submitter_phone == "0905 123 456"
