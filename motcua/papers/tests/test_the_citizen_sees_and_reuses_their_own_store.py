"""The signed-in citizen sees their own store in "Hồ sơ của tôi" (not another person's papers), and takes one of
their valid papers into their own online dossier waiting for papers, consenting with the same form: the consent
is recorded as online (no officer), the reuse counted and audited as applicant:oidc. Without the consent box,
for another person's dossier or another person's paper, nothing is written."""

import time

import pytest

from motcua.core.models import AuditLog
from motcua.core.transitions import Applicant
from motcua.papers.models import Consent, PaperReuse, Via
from motcua.papers.services import paper_store_dossier_file
from motcua.portal.identity import SESSION_KEY

from .conftest import OTHER_APPLICANT, receive_for, receive_with_scan

pytestmark = pytest.mark.django_db


def sign_in(client, personal_id: str, name: str) -> None:
    """The session as citizens.views.callback leaves it after the identity provider vouched for the person."""
    session = client.session
    now = time.time()
    session[SESSION_KEY] = {"personal_id": personal_id, "full_name": name, "_signed_in_at": now, "_last_seen": now}
    session.save()


def test_the_citizen_reuses_a_paper_of_their_own_store_online(world, stored, client):
    _first, paper = stored
    me = _first.applicant_id_number
    theirs = receive_with_scan(world, text="Giấy của người khác", applicant=OTHER_APPLICANT)
    their_paper = paper_store_dossier_file(actor=world.officer, file=theirs.files.get(digitised=True))
    online = receive_for(world, channel="online", actor=Applicant(via="oidc", personal_id=me))
    assert online.status == "submitted"

    sign_in(client, me, _first.applicant_name)
    page = client.get("/tai-khoan/ho-so/").content.decode()
    assert f'data-paper="{paper.pk}"' in page
    assert f'data-paper="{their_paper.pk}"' not in page  # another person's store is never shown
    url = f"/tai-khoan/ho-so/{online.code}/dung-lai-giay-to/"
    assert f'action="{url}"' in page

    # No consent box: 400, nothing written; another person's paper: 404.
    assert client.post(url, {"paper": paper.pk}).status_code == 400
    assert client.post(url, {"paper": their_paper.pk, "consent": "1"}).status_code == 404
    assert not Consent.objects.exists() and not PaperReuse.objects.exists()

    component = world.version.components.get(order=2)
    response = client.post(url, {"paper": paper.pk, "component": component.pk, "consent": "1"})
    assert response.status_code == 302
    consent = Consent.objects.get(dossier=online)
    assert (consent.via, consent.recorded_by, consent.holder_number) == (Via.ONLINE, None, me)
    reuse = PaperReuse.objects.get()
    assert (reuse.dossier, reuse.paper, reuse.via, reuse.consent, reuse.component) == (
        online,
        paper,
        Via.ONLINE,
        consent,
        component,
    )
    entry = AuditLog.objects.get(action="paper.reuse")
    assert entry.actor_repr == "applicant:oidc" and entry.changes["consent"]["via"] == "online"

    # Another person's dossier: 404 even with their own paper.
    other_online = receive_for(world, channel="online", applicant=OTHER_APPLICANT)
    assert (
        client.post(f"/tai-khoan/ho-so/{other_online.code}/dung-lai-giay-to/", {"paper": paper.pk, "consent": "1"}).status_code
        == 404
    )
    assert PaperReuse.objects.count() == 1


def test_signed_out_visitors_are_sent_to_sign_in(world, stored, client):
    _first, paper = stored
    online = receive_for(world, channel="online", actor=Applicant(via="oidc", personal_id=_first.applicant_id_number))
    response = client.post(f"/tai-khoan/ho-so/{online.code}/dung-lai-giay-to/", {"paper": paper.pk, "consent": "1"})
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    assert not PaperReuse.objects.exists()
