"""Lookup by dossier code plus ID number (or secret): the answer for a wrong ID number is the same as
for an unknown code, personal data are masked, and seeing one dossier never opens another."""

import re

import pytest
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
BINH = {
    "kind": "individual",
    "full_name": "Trần Thị Bình",
    "id_number": "042185004321",
    "phone": "0987000111",
    "email": "binh@example.vn",
    "address": "Phường Bắc Hà, thành phố Hà Tĩnh",
}


def _receive(world, applicant):
    return dossier_receive(
        actor=SYSTEM,
        procedure_code=world.code,
        channel="online",
        applicant=applicant,
        files=[{"file": pdf_upload(), "component": world.c1.pk}],
        result_delivery="online",
    )


@pytest.fixture
def two(world, media):
    return _receive(world, AN), _receive(world, BINH)


def _lookup(client, code, proof):
    return client.post(reverse("portal:lookup"), {"ma": code, "xac_minh": proof})


def _canonical(response, code):
    """The page with what legitimately differs between two requests removed: the per-render CSRF token
    and the code the visitor typed (shown back to them)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(code, "<CODE>")


def test_wrong_id_number_gives_the_same_answer_as_an_unknown_code(client, two):
    an, _ = two
    unknown_code = an.code[:-4] + "9999"
    wrong_id = _lookup(client, an.code, "042185004321")  # Bình's number on An's dossier
    unknown = _lookup(client, unknown_code, "042090012789")
    assert wrong_id.status_code == unknown.status_code == 200
    assert _canonical(wrong_id, an.code) == _canonical(unknown, unknown_code)
    for response in (wrong_id, unknown):
        html = response.content.decode()
        assert "Không tìm thấy hồ sơ" in html
        for secret_bit in ("Nguyễn V", "Trần Thị", "0912345678", "Điều chỉnh Giấy chứng nhận"):
            assert secret_bit not in html
    assert set(wrong_id.headers) == set(unknown.headers)


def test_right_id_number_shows_the_dossier_masked(client, two):
    an, _ = two
    response = _lookup(client, an.code.lower(), "042 090 012 789")
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert an.code in html and "Mới nộp" in html
    assert "Nguyễn V** A*" in html and "******789" in html
    assert "042090012789" not in html and "Nguyễn Văn An" not in html
    assert "0912345678" not in html and "an.nguyen@example.vn" not in html


def test_the_secret_opens_the_dossier_too(client, two):
    an, _ = two
    response = _lookup(client, an.code, an.lookup_secret.lower())
    assert response.status_code == 302 and response["Location"] == reverse("portal:lookup-detail", args=[an.code])


def test_one_dossier_seen_never_opens_another(client, two):
    an, binh = two
    assert _lookup(client, an.code, AN["id_number"]).status_code == 302
    assert client.get(reverse("portal:lookup-detail", args=[an.code])).status_code == 200
    other = client.get(reverse("portal:lookup-detail", args=[binh.code]))
    assert other.status_code == 302 and other["Location"].startswith(reverse("portal:lookup"))
    for path in (reverse("portal:rating", args=[binh.code]), reverse("portal:result-download", args=[binh.code])):
        assert "Trần Thị" not in client.get(path).content.decode()
    upload = client.post(reverse("portal:supplement", args=[binh.code]), {"note": "x"})
    assert upload.status_code == 302


def test_qr_link_prefills_the_code(client, two):
    an, _ = two
    html = client.get(reverse("portal:lookup") + f"?ma={an.code}").content.decode()
    assert f'value="{an.code}"' in html
    assert "Nguyễn" not in html


def test_the_slip_qr_code_leads_to_the_lookup_with_the_code(client, two, settings):
    from urllib.parse import urlsplit

    from motcua.desk.slips import lookup_url

    an, _ = two
    url = urlsplit(lookup_url(an.code))
    assert url.path == reverse("portal:lookup")
    html = client.get(f"{url.path}?{url.query}").content.decode()
    assert f'value="{an.code}"' in html
