"""A petition from the national PAKN system holding a NUL character (which PostgreSQL cannot store) is refused back
with the reason, and does not stop the petitions pulled after it; one whose national ID holds NUL cannot be answered
and is only counted."""

import pytest

from motcua.feedback.models import Feedback
from motcua.feedback.national import pull
from motcua.integrations.models import InboundMessage
from motcua.integrations.tests.conftest import portal  # noqa: F401 - the fake national portal fixture
from motcua.integrations.tests.support import drain

from .test_pakn_from_the_national_system import _petition

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_petition_with_nul_is_refused_back_and_the_next_one_is_still_received(portal, agency):  # noqa: F811
    poisoned = _petition("PAKN-QG-0101", agency.code, NoiDung="Nội dung\x00 có ký tự lạ")
    system = next(e for e in portal.extensions if hasattr(e, "inbox"))
    system.inbox.extend([_petition("PAKN\x00-0100", agency.code), poisoned, _petition("PAKN-QG-0102", agency.code)])
    assert pull() == {"accepted": 1, "refused": 1, "duplicate": 0, "unanswerable": 1}
    refused = InboundMessage.objects.get(external_id="pakn:PAKN-QG-0101")
    assert refused.status == "refused" and "NUL" in refused.reason and refused.agency == agency
    assert "\x00" not in str(refused.payload)
    accepted = InboundMessage.objects.get(external_id="pakn:PAKN-QG-0102")
    assert accepted.status == "accepted" and Feedback.objects.get().code == accepted.local_key
    drain()
    answers = {e["national_id"]: e["action"] for e in portal.received if e["kind"] == "pakn"}
    assert answers == {"PAKN-QG-0101": "reject", "PAKN-QG-0102": "receive"}
