"""The PAKN worklist shows a newly received item's deadlines to refuse and to ask for more information as
dd/mm/yyyy, like every other date (found walking the worklist in a browser: they read "09/12")."""

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_the_refuse_and_more_information_deadlines_carry_the_year(client, make_feedback, officer):
    fb = make_feedback()
    client.force_login(officer)
    page = client.get(reverse("feedback:worklist")).content.decode()
    refuse = timezone.localtime(fb.refuse_due).strftime("%d/%m/%Y")
    more = timezone.localtime(fb.more_info_due).strftime("%d/%m/%Y")
    assert f"Hạn từ chối {refuse} · hạn đề nghị bổ sung {more}" in page
