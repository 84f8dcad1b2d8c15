"""Secret documents are seen by clerks and leaders and by the units assigned to them, not by every specialist."""

import pytest

from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.documents import services
from motcua.documents.models import Confidentiality


@pytest.mark.django_db
def test_secret_incoming_visible_to_clerk_leader_and_assigned_unit_only(
    client, clerk, leader, specialist, registers, types, units
):
    secret = services.incoming_register(
        actor=clerk,
        register=registers["in_secret"],
        sender="Công an tỉnh",
        doc_type=types["CV"],
        summary="Tài liệu mật về an ninh cửa khẩu",
        confidentiality=Confidentiality.CONFIDENTIAL,
        is_electronic=False,
    )
    outsider = make_staff("cv2", Role.SPECIALIST, unit=units["QLDN"])
    for user, visible in [(clerk, True), (leader, True), (specialist, False), (outsider, False)]:
        client.force_login(user)
        listing = client.get("/staff/van-ban/den/").content.decode()
        assert ("an ninh cửa khẩu" in listing) is visible, user
        assert client.get(f"/staff/van-ban/den/{secret.pk}/").status_code == (200 if visible else 404)
    services.incoming_assign(actor=leader, document=secret, lead_unit=units["QLĐT"])
    client.force_login(specialist)  # QLĐT now leads it
    assert client.get(f"/staff/van-ban/den/{secret.pk}/").status_code == 200
    client.force_login(outsider)
    assert client.get(f"/staff/van-ban/den/{secret.pk}/").status_code == 404
    assert client.get(f"/staff/van-ban/so/{registers['in_secret'].pk}.xlsx").status_code == 403
