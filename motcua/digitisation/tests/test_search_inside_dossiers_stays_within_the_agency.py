"""The staff search over the OCR text: Vietnamese typed with or without diacritics, every word starting a word of
the page; only the dossiers of the agencies the user may read — a second agency's staff see nothing of the first's,
neither in the search nor through the digitised copy's URL. Same on SQLite (LIKE) and PostgreSQL (GIN full text)."""

import pytest

from motcua.core.roles import Role
from motcua.core.testing import make_staff, pdf_bytes
from motcua.digitisation import services
from motcua.digitisation.models import OcrJob
from motcua.digitisation.selectors import dossier_text_search
from motcua.dossiers.tests.factories import World

from .conftest import canned_run, received_with_scan

pytestmark = pytest.mark.django_db

TEXT_A = "Giấy chứng nhận đăng ký đầu tư cấp cho ông Nguyễn Văn Hưởng, thị trấn Thạch Hà"
TEXT_B = "Hợp đồng thuê đất của bà Trần Thị Bình, xã Kỳ Lợi"


def _digitised(world, text, monkeypatch):
    dossier = received_with_scan(world, pdf_bytes(1, text[:20]))
    monkeypatch.setattr(services, "run_ocr", canned_run(text))
    services.ocr_run_due()
    return dossier, OcrJob.objects.get(dossier=dossier)


@pytest.fixture
def two_agencies(world, monkeypatch):
    other = World()
    a = _digitised(world, TEXT_A, monkeypatch)
    b = _digitised(other, TEXT_B, monkeypatch)
    return world, other, a, b


def codes(user, q):
    return [h.dossier_code for h in dossier_text_search(user=user, q=q)]


def test_found_with_or_without_diacritics(two_agencies):
    world, _other, (dossier_a, _job), _b = two_agencies
    for q in ("nguyen van huong", "Nguyễn Văn Hưởng", "NGUYEN VAN HUONG", "dang ky dau tu thach ha", "huon"):
        assert codes(world.officer, q) == [dossier_a.code], q
    assert codes(world.officer, "uong") == []  # a word must start with what is typed
    assert codes(world.officer, "nguyen van binh") == []  # every word must be on the page
    assert codes(world.officer, "'%&") == []  # punctuation only: no words, nothing (not everything)


def test_a_second_agencys_staff_see_nothing_of_the_first(two_agencies, client):
    world, other, (dossier_a, job_a), (dossier_b, _job_b) = two_agencies
    for role_user in (other.officer, other.specialist, other.leader):
        assert codes(role_user, "nguyen van huong") == []
        assert codes(role_user, "tran thi binh") == [dossier_b.code]
    assert codes(world.leader, "tran thi binh") == []
    client.force_login(other.officer)
    page = client.get("/staff/so-hoa/tim-kiem/", {"q": "nguyen van huong"})
    assert page.status_code == 200 and dossier_a.code not in page.content.decode()
    assert client.get(f"/staff/so-hoa/{job_a.pk}/ban-so-hoa/").status_code == 404
    assert client.get(f"/staff/dossiers/{dossier_a.code}/").status_code == 404
    client.force_login(world.officer)
    assert client.get(f"/staff/so-hoa/{job_a.pk}/ban-so-hoa/").status_code == 200


def test_the_search_page_refuses_bad_input_and_other_roles(world, client):
    client.force_login(world.officer)
    response = client.get("/staff/so-hoa/tim-kiem/", {"q": "x" * 201})
    assert response.status_code == 400 and "Nhập không quá 200 ký tự." in response.content.decode()
    assert client.get("/staff/so-hoa/tim-kiem/").status_code == 200
    client.force_login(make_staff("vanthu-so-hoa", Role.CLERK, unit=world.units["VP"]))
    assert client.get("/staff/so-hoa/tim-kiem/", {"q": "a"}).status_code == 403
    client.logout()
    assert client.get("/staff/so-hoa/tim-kiem/", {"q": "a"}).status_code == 302


def test_no_panel_for_a_dossier_without_scans(world, client):
    dossier = received_with_scan(world, pdf_bytes(1, "online"), digitised=False)
    client.force_login(world.officer)
    assert 'id="so-hoa"' not in client.get(f"/staff/dossiers/{dossier.code}/").content.decode()
