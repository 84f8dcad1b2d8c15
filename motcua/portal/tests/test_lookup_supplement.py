"""The lookup shows what is asked of the applicant (the items of a supplement request) and takes the
files: the dossiers app receives the supplement and the clock resumes."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.core.transitions import SYSTEM
from motcua.dossiers.intake import dossier_receive
from motcua.dossiers.models import DossierFile, Status
from motcua.dossiers.transitions import dossier_accept, dossier_request_supplement, dossier_require_payment

from .conftest import PDF_BYTES, pdf_upload, png_bytes

APPLICANT = {
    "kind": "organisation",
    "full_name": "Công ty cổ phần Thép Kỳ Anh",
    "tax_code": "3001234567",
    "representative": "Hoàng Văn Em",
    "email": "phaply@thepkyanh.example.vn",
}


def test_supplement_items_are_shown_and_answered_online(client, world, media):
    dossier = dossier_receive(
        actor=SYSTEM,
        procedure_code=world.code,
        channel="online",
        applicant=APPLICANT,
        files=[{"file": pdf_upload(), "component": world.c1.pk}],
    )
    dossier_accept(dossier=dossier, actor=world.officer)
    dossier_request_supplement(
        dossier=dossier, actor=world.officer, items=["Bản sao quyết định chủ trương đầu tư", "Báo cáo tài chính năm 2025"]
    )
    assert client.post(reverse("portal:lookup"), {"ma": dossier.code, "xac_minh": "3001234567"}).status_code == 302
    detail = reverse("portal:lookup-detail", args=[dossier.code])
    html = client.get(detail).content.decode()
    assert "Yêu cầu bổ sung" in html
    assert "Bản sao quyết định chủ trương đầu tư" in html and "Báo cáo tài chính năm 2025" in html
    assert "Công t* c* p*** T*** K* A**" in html and "Thép Kỳ Anh" not in html  # names are masked alike
    assert "3001234567" not in html and "******567" in html

    url = reverse("portal:supplement", args=[dossier.code])
    refused = client.post(url, {"note": "Gửi bổ sung", "files": [SimpleUploadedFile("qd.pdf", png_bytes())]})
    assert refused.status_code == 400 and "nội dung là ảnh PNG" in refused.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED

    done = client.post(
        url,
        {
            "note": "Gửi bổ sung",
            "files": [SimpleUploadedFile("qd.pdf", PDF_BYTES), SimpleUploadedFile("bctc.pdf", PDF_BYTES + b"1")],
        },
    )
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED
    assert sorted(DossierFile.objects.filter(dossier=dossier, kind="supplement").values_list("original_name", flat=True)) == [
        "bctc.pdf",
        "qd.pdf",
    ]
    assert "Đã nhận hồ sơ bổ sung" in client.get(detail).content.decode()


def test_payment_obligation_is_shown_with_amount(client, world, media):
    dossier = dossier_receive(
        actor=SYSTEM,
        procedure_code=world.code,
        channel="online",
        applicant=APPLICANT,
        files=[{"file": pdf_upload(), "component": world.c1.pk}],
    )
    dossier_accept(dossier=dossier, actor=world.officer)
    dossier_require_payment(dossier=dossier, actor=world.officer, amount_vnd=1500000, note="Lệ phí cấp giấy chứng nhận")
    client.post(reverse("portal:lookup"), {"ma": dossier.code, "xac_minh": "3001234567"})
    html = client.get(reverse("portal:lookup-detail", args=[dossier.code])).content.decode()
    assert "Cần thực hiện nghĩa vụ tài chính" in html
    assert "1.500.000 đồng" in html and "Lệ phí cấp giấy chứng nhận" in html
