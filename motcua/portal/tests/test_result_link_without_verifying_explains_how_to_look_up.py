"""Opening a result link (…/ket-qua/) without having verified the dossier in the lookup gives a page in
Vietnamese that explains how to look the dossier up (with the code filled in), not a bare 404; it is the
same for an existing and an unknown code (nothing leaks). Verified but without a result yet: the page says so."""

import re

from django.urls import reverse

from motcua.core.transitions import SYSTEM
from motcua.dossiers.intake import dossier_receive

from .conftest import pdf_upload

AN = {
    "kind": "individual",
    "full_name": "Nguyễn Văn An",
    "id_number": "042090012789",
    "phone": "0912345678",
    "email": "an.nguyen@example.vn",
    "address": "Xã Kỳ Lợi, thị xã Kỳ Anh, tỉnh Hà Tĩnh",
}


def test_result_link_without_verifying_explains_how_to_look_up(client, world, media):
    dossier = dossier_receive(
        actor=SYSTEM,
        procedure_code=world.code,
        channel="online",
        applicant=AN,
        files=[{"file": pdf_upload(), "component": world.c1.pk}],
        result_delivery="online",
    )
    unknown = dossier.code[:-4] + "9999"
    pages = {}
    for code in (dossier.code, unknown):
        response = client.get(reverse("portal:result-download", kwargs={"code": code}))
        assert response.status_code == 404
        html = response.content.decode()
        assert "Chưa tải được kết quả giải quyết" in html
        assert "kết quả chỉ tải được sau khi tra cứu hồ sơ và xác minh" in html
        assert f"{reverse('portal:lookup')}?ma={code}" in html
        assert "Nguyễn V" not in html
        pages[code] = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html).replace(code, "<CODE>")
    assert pages[dossier.code] == pages[unknown]

    # verified, but the dossier has no electronic result yet
    assert client.post(reverse("portal:lookup"), {"ma": dossier.code, "xac_minh": AN["id_number"]}).status_code == 302
    html = client.get(reverse("portal:result-download", kwargs={"code": dossier.code})).content.decode()
    assert "Hồ sơ này chưa có kết quả điện tử để tải về." in html
    assert reverse("portal:lookup-detail", kwargs={"code": dossier.code}) in html
