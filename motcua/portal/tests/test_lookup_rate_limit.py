"""Rate limits stop enumeration of dossier codes: after 10 failed lookups in 10 minutes, an IP gets 429
(even with the right answer); guessing one code from many IPs is limited too."""

from django.urls import reverse

from motcua.core.transitions import SYSTEM
from motcua.dossiers.intake import dossier_receive

from .conftest import pdf_upload


def _dossier(world):
    return dossier_receive(
        actor=SYSTEM,
        procedure_code=world.code,
        channel="online",
        applicant={"kind": "individual", "full_name": "Lê Văn Cường", "id_number": "042095001234", "email": "cuong@example.vn"},
        files=[{"file": pdf_upload(), "component": world.c1.pk}],
    )


def test_eleventh_failed_lookup_from_one_ip_gets_429(client, world, media):
    dossier = _dossier(world)
    url = reverse("portal:lookup")
    for i in range(10):
        response = client.post(url, {"ma": f"H15.99-260101-{i:04d}", "xac_minh": "042095001234"})
        assert response.status_code == 200
    blocked = client.post(url, {"ma": dossier.code, "xac_minh": "042095001234"})  # right answer, too late
    assert blocked.status_code == 429
    assert "Quá nhiều lần tra cứu" in blocked.content.decode()
    assert int(blocked["Retry-After"]) > 0
    other_ip = client.post(url, {"ma": dossier.code, "xac_minh": "042095001234"}, REMOTE_ADDR="10.1.2.3")
    assert other_ip.status_code == 302


def test_successful_lookups_do_not_count(client, world, media):
    dossier = _dossier(world)
    for _ in range(15):
        assert client.post(reverse("portal:lookup"), {"ma": dossier.code, "xac_minh": "042095001234"}).status_code == 302


def test_guessing_one_code_from_many_ips_is_limited(client, world, media):
    dossier = _dossier(world)
    url = reverse("portal:lookup")
    for i in range(10):
        assert client.post(url, {"ma": dossier.code, "xac_minh": f"0420950{i:05d}"}, REMOTE_ADDR=f"10.0.0.{i}").status_code == 200
    assert client.post(url, {"ma": dossier.code, "xac_minh": "042095001234"}, REMOTE_ADDR="10.0.1.1").status_code == 429


def test_the_window_is_configurable(client, world, media, settings):
    settings.PORTAL_LOOKUP_MAX_FAILURES = 2
    url = reverse("portal:lookup")
    assert client.post(url, {"ma": "X-1", "xac_minh": "1"}).status_code == 200
    assert client.post(url, {"ma": "X-2", "xac_minh": "1"}).status_code == 200
    assert client.post(url, {"ma": "X-3", "xac_minh": "1"}).status_code == 429
