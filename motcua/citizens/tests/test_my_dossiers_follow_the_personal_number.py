""" "Hồ sơ của tôi": the 12-digit number from the identity provider links the citizen to every dossier that
carries it — those received at the counter before the citizen ever signed in too — and lets them act on
them (supplement, rate, download) as Applicant(via="oidc"); a second citizen sees none of them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from motcua.core.models import AuditLog
from motcua.core.transitions import Applicant
from motcua.dossiers.intake import dossier_receive
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests.factories import World
from motcua.dossiers.transitions import dossier_request_supplement
from motcua.feedback.services import feedback_submit
from motcua.portal.models import PortalDraft
from motcua.portal.tests.conftest import PDF_BYTES

from .conftest import BINH, HOA, sign_in

pytestmark = pytest.mark.django_db
UNVERIFIED = Applicant(via="unverified")

HOA_AT_THE_COUNTER = {
    "kind": "individual",
    "full_name": "Nguyễn Thị Hoa",
    "id_number": HOA,
    "phone": "0912000111",
    "address": "Số 12 đường Phan Đình Phùng, Hà Tĩnh",
}


@pytest.fixture
def counter_dossiers(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = World()
    first = dossier_receive(actor=world.officer, procedure_code=world.code, channel="counter", applicant=dict(HOA_AT_THE_COUNTER))
    second = dossier_receive(
        actor=world.officer, procedure_code=world.code, channel="counter", applicant=dict(HOA_AT_THE_COUNTER)
    )
    someone_else = dossier_receive(
        actor=world.officer,
        procedure_code=world.code,
        channel="counter",
        applicant={**HOA_AT_THE_COUNTER, "full_name": "Trần Văn Bình", "id_number": BINH},
    )
    return world, first, second, someone_else


def test_counter_dossiers_received_before_the_first_sign_in_are_listed(client, provider, counter_dossiers):
    world, first, second, someone_else = counter_dossiers
    assert sign_in(client, provider, citizen=HOA).status_code == 302
    page = client.get("/tai-khoan/ho-so/").content.decode()
    assert first.code in page and second.code in page
    assert someone_else.code not in page
    assert "Trực tiếp" in page  # the counter channel

    detail = client.get(reverse("portal:lookup-detail", args=[first.code]))  # no code + ID number asked
    assert detail.status_code == 200
    assert first.code in detail.content.decode()
    assert "Nguyễn Thị Hoa" not in detail.content.decode()  # the lookup page stays masked


def test_a_second_citizen_does_not_see_the_first_citizens_dossiers(client, provider, counter_dossiers):
    world, first, second, someone_else = counter_dossiers
    Dossier.objects.filter(pk=first.pk).update(status=Status.RETURNED, result_file="dossiers/results/kq.pdf")
    assert sign_in(client, provider, citizen=BINH).status_code == 302
    page = client.get("/tai-khoan/ho-so/").content.decode()
    assert someone_else.code in page
    assert first.code not in page and second.code not in page
    for name in ("portal:lookup-detail", "portal:rating"):
        response = client.get(reverse(name, args=[first.code]))
        assert response.status_code == 302 and response["Location"].startswith("/tra-cuu/?ma="), name
    assert client.get(reverse("portal:result-download", args=[first.code])).status_code == 404
    refused = client.post(reverse("portal:supplement", args=[first.code]), {"files": [SimpleUploadedFile("a.pdf", PDF_BYTES)]})
    assert refused.status_code == 302
    assert not Dossier.objects.get(pk=first.pk).files.filter(kind="supplement").exists()


def test_the_citizen_acts_on_a_counter_dossier_as_applicant_oidc(client, provider, counter_dossiers):
    world, first, second, someone_else = counter_dossiers
    assert first.status == Status.ACCEPTED  # received at the counter: accepted at once
    dossier_request_supplement(dossier=first, actor=world.officer, items=["Bản sao sổ hộ khẩu"])
    assert sign_in(client, provider, citizen=HOA).status_code == 302
    page = client.get("/tai-khoan/ho-so/").content.decode()
    assert reverse("portal:lookup-detail", args=[first.code]) + "#bo-sung" in page

    done = client.post(
        reverse("portal:supplement", args=[first.code]),
        {"note": "Gửi bổ sung", "files": [SimpleUploadedFile("hk.pdf", PDF_BYTES)]},
    )
    assert done.status_code == 302
    first.refresh_from_db()
    assert first.status == Status.ACCEPTED
    entry = AuditLog.objects.filter(object_id=str(first.pk), action__contains="supplement").order_by("-id").first()
    assert entry.actor_repr == "applicant:oidc"


def test_the_result_is_downloaded_and_the_rating_link_shown(client, provider, counter_dossiers, settings):
    world, first, second, someone_else = counter_dossiers
    first.result_file.save("kq.pdf", ContentFile(PDF_BYTES), save=False)
    Dossier.objects.filter(pk=first.pk).update(
        status=Status.RETURNED, result_file=first.result_file.name, returned_at=first.received_at
    )
    assert sign_in(client, provider, citizen=HOA).status_code == 302
    page = client.get("/tai-khoan/ho-so/").content.decode()
    assert reverse("portal:result-download", args=[first.code]) in page
    assert reverse("portal:rating", args=[first.code]) in page
    download = client.get(reverse("portal:result-download", args=[first.code]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_drafts_and_pakn_with_the_citizens_number_and_contacts_are_listed(client, provider, counter_dossiers):
    world, *_ = counter_dossiers
    mine = PortalDraft.objects.create(
        procedure_version=world.version, data={"id_number": HOA}, expires_at=timezone.now() + timedelta(days=3)
    )
    theirs = PortalDraft.objects.create(
        procedure_version=world.version, data={"id_number": BINH}, expires_at=timezone.now() + timedelta(days=3)
    )
    sent = {"kind": "phan_anh", "category": "attitude", "content": "Cán bộ hướng dẫn chưa rõ.", "agency": world.agency}
    hers = feedback_submit(**sent, submitter_name="Nguyễn Thị Hoa", submitter_email="hoa.nguyen@example.vn", actor=UNVERIFIED)
    his = feedback_submit(**sent, submitter_name="Trần Văn Bình", submitter_phone="0987000222", actor=UNVERIFIED)
    assert sign_in(client, provider, citizen=HOA).status_code == 302
    page = client.get("/tai-khoan/ho-so/").content.decode()
    assert reverse("portal:draft-resume", args=[mine.token]) in page
    assert theirs.token not in page
    assert hers.code in page and his.code not in page


def test_the_citizen_rates_a_returned_counter_dossier_as_applicant_oidc(client, provider, counter_dossiers):
    from motcua.feedback.models import CRITERIA, SatisfactionRating

    world, first, second, someone_else = counter_dossiers
    Dossier.objects.filter(pk=first.pk).update(status=Status.RETURNED, returned_at=first.received_at)
    assert sign_in(client, provider, citizen=HOA).status_code == 302
    assert reverse("portal:rating", args=[first.code]) in client.get("/tai-khoan/ho-so/").content.decode()
    answer = client.post(
        reverse("portal:rating", args=[first.code]), {"overall": "hai_long", **{name: "2" for name, _label in CRITERIA}}
    )
    assert answer.status_code == 302
    rating = SatisfactionRating.objects.get(dossier=first)
    entry = AuditLog.objects.filter(object_type="feedback.satisfactionrating", object_id=str(rating.pk)).get()
    assert entry.actor_repr == "applicant:oidc"
    page = client.get("/tai-khoan/ho-so/").content.decode()
    assert "Đã đánh giá" in page and reverse("portal:rating", args=[first.code]) not in page
