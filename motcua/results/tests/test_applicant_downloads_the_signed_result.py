"""The applicant who verified the dossier in the portal's lookup sees the electronic result's number with a
link to its verification page and downloads the signed PDF (byte for byte the issued one); a visitor who has
not verified it gets the portal's explanation (404), not the file. "Hồ sơ của tôi" offers the download too."""

import pytest
from django.urls import reverse

from motcua.dossiers.tests.factories import APPLICANT
from motcua.results.services import result_issue

from .conftest import Upload, decision_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(world, dossier):
    return result_issue(actor=world.leader, dossier=dossier, source=Upload(decision_pdf()))


def test_verified_applicant_downloads_the_signed_result(issued, dossier, client):
    url = reverse("portal:result-download", kwargs={"code": dossier.code})
    assert client.get(url).status_code == 404  # not verified yet: the explanation page
    response = client.post(reverse("portal:lookup"), {"ma": dossier.code, "xac_minh": APPLICANT["id_number"]})
    assert response.status_code == 302
    page = client.get(reverse("portal:lookup-detail", kwargs={"code": dossier.code})).content.decode()
    assert issued.label in page
    assert reverse("results:verify", kwargs={"token": issued.token}) in page
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"{dossier.code}-ket-qua-dien-tu.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == issued.file.read()


def test_my_dossiers_offers_the_electronic_result(issued, dossier, world):
    from motcua.citizens.selectors import my_dossiers
    from motcua.portal.identity import CitizenIdentity

    [row] = my_dossiers(identity=CitizenIdentity(personal_id=APPLICANT["id_number"]))
    assert row.code == dossier.code and not dossier.result_file  # no uploaded result file: only the electronic one
    assert row.has_result
