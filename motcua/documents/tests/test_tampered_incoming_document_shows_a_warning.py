"""An incoming PDF whose signature fails verification (changed after signing: intact=false) is still
registered, but its page shows a clear warning and the register list marks it; an intact signed document
shows no warning. Coverage is shown in Vietnamese, not as pyHanko's enum name."""

from datetime import datetime
from zoneinfo import ZoneInfo

from motcua.documents import services, signing
from motcua.documents.samples import one_page_pdf

from .conftest import PASS_ENV_LEADER

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WARNING = "Cảnh báo: chữ ký số của văn bản không hợp lệ."


def test_tampered_incoming_document_shows_a_warning(client, clerk, registers, types, identities):
    signer = signing.load_signer(identities.leader_p12, passphrase_env=PASS_ENV_LEADER)
    signed = signing.sign_pdf_bytes(one_page_pdf(), signer=signer)
    tampered = signed.replace(b"/CreationDate (D:2", b"/CreationDate (D:1", 1)
    assert tampered != signed

    def receive(summary, data):
        return services.incoming_register(
            actor=clerk,
            register=registers["in"],
            sender="UBND tỉnh",
            doc_type=types["CV"],
            summary=summary,
            received_at=datetime(2021, 4, 5, 9, tzinfo=VN),
            files=[("van-ban.pdf", data)],
        )

    good, bad = receive("Văn bản ký số nguyên vẹn", signed), receive("Văn bản bị sửa sau khi ký", tampered)
    assert [s.intact for s in bad.files.get().signatures.all()] == [False]

    client.force_login(clerk)
    page = client.get(f"/staff/van-ban/den/{bad.pk}/").content.decode()
    assert WARNING in page and 'role="alert"' in page
    assert "Không — tệp đã bị thay đổi" in page
    page = client.get(f"/staff/van-ban/den/{good.pk}/").content.decode()
    assert WARNING not in page and "Chữ ký số không hợp lệ" not in page
    assert "Toàn bộ tệp" in page and "ENTIRE_FILE" not in page

    listing = client.get("/staff/van-ban/den/", {"year": 2021}).content.decode()
    rows = {summary: row for row in listing.split("<tr>") for summary in ("nguyên vẹn", "bị sửa") if summary in row}
    assert "Chữ ký số không hợp lệ" in rows["bị sửa"]
    assert "Chữ ký số không hợp lệ" not in rows["nguyên vẹn"]
