"""Each slip (BM.01–BM.05) renders as A4 PDF with the right Vietnamese text (extracted with pdftotext)
and a QR code that decodes (zbarimg) to the public lookup URL of the dossier."""

import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from motcua.core.errors import ConflictError
from motcua.desk.models import DossierSlip, SlipKind
from motcua.desk.services import slip_issue
from motcua.dossiers.intake import dossier_receive
from motcua.dossiers.tests.factories import World, aware, receive
from motcua.dossiers.transitions import (
    dossier_decide,
    dossier_extend,
    dossier_forward,
    dossier_receive_supplement,
    dossier_refuse,
    dossier_request_supplement,
)

pytestmark = pytest.mark.django_db

LOOKUP = "https://motcua.example.gov.vn/tra-cuu/?ma="


def text_of(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFC", out.decode("utf-8")).split())


def squash(text: str) -> str:
    return "".join(text.split())


def qr_of(path: Path, tmp_path: Path) -> str:
    prefix = tmp_path / path.stem
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(path), str(prefix)], check=True)
    png = sorted(tmp_path.glob(f"{path.stem}*.png"))[0]
    out = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, check=True).stdout
    return out.decode().strip()


@pytest.fixture
def world():
    w = World()
    w.agency.parent_name = "Ủy ban nhân dân tỉnh Hà Tĩnh"
    w.agency.province = "Hà Tĩnh"
    w.agency.save()
    return w


@pytest.fixture
def processed(world):
    """A counter dossier received before Tết 2026, sent to a specialist, asked to complete, completed,
    extended once by the leader, then decided."""
    d = receive(world, at=aware(2026, 2, 10, 9, 0))
    d = dossier_forward(dossier=d, actor=world.officer, to_user=world.specialist, at=aware(2026, 2, 10, 10, 0))
    d = dossier_request_supplement(
        dossier=d,
        actor=world.specialist,
        items=["Bản sao Giấy chứng nhận đăng ký doanh nghiệp", "Sơ đồ vị trí khu đất"],
        note="Hồ sơ thiếu giấy tờ pháp lý",
        at=aware(2026, 2, 11, 8, 0),
    )
    d = dossier_receive_supplement(dossier=d, actor=world.officer, at=aware(2026, 2, 12, 8, 0))
    d = dossier_extend(
        dossier=d,
        actor=world.leader,
        new_due_at=aware(2026, 3, 10, 17, 0),
        reason="cần lấy ý kiến Sở Xây dựng",
        at=aware(2026, 2, 25, 9, 0),
    )
    d = dossier_forward(dossier=d, actor=world.specialist, to_user=world.leader, at=aware(2026, 3, 2, 9, 0))
    return dossier_decide(dossier=d, actor=world.leader, outcome="approved", at=aware(2026, 3, 4, 15, 0))


def issue(dossier, kind, actor):
    slip = slip_issue(dossier=dossier, kind=kind, actor=actor)
    return slip, Path(slip.file.path)


def common_checks(path: Path, tmp_path: Path, code: str, title: str, world) -> str:
    text = text_of(path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert world.agency.name.upper() in text
    assert "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH" in text
    assert title in text
    assert f"Mã hồ sơ: {code}" in text
    assert f"quét mã QR hoặc vào {LOOKUP}{code}, nhập số định danh cá nhân" in text
    assert qr_of(path, tmp_path) == LOOKUP + code
    page = PdfReader(path).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4 in points
    return text


def test_bm01_receipt_and_appointment(world, processed, tmp_path):
    slip, path = issue(processed, SlipKind.BM01, world.officer)
    text = common_checks(path, tmp_path, processed.code, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", world)
    assert "Hà Tĩnh, ngày 10 tháng 02 năm 2026" in text
    assert "Tên cá nhân, tổ chức: Nguyễn Văn An" in text
    assert "Số định danh cá nhân: 001090012345" in text
    assert f"Nội dung yêu cầu giải quyết: Thủ tục thử {world.code}" in text
    for name in ("Văn bản đề nghị", "Bản sao giấy tờ pháp lý", "Tài liệu khác (nếu có)"):
        assert name in text
    assert "Thời gian giải quyết hồ sơ theo quy định là: 10 ngày làm việc" in text
    assert "4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 10/02/2026" in text
    # 10 working days after Tuesday 10/02/2026, the Tết break (14–22/02) not counted, plus the
    # supplement pause (12/02 08:00 − 11/02 08:00 = one working day) → 04/03... but the receipt
    # shows the appointment as it stands now, which the extension moved to 10/03/2026.
    assert "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 10/03/2026" in text
    assert "Hình thức nhận kết quả: Tại Bộ phận Một cửa" in text and "tại: Tại" not in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert world.officer.get_full_name() in text
    assert slip.sha256 and slip.size == path.stat().st_size


def test_bm01_of_a_fresh_dossier_shows_the_appointment_across_tet(world, tmp_path):
    d = receive(world, at=aware(2026, 2, 10, 9, 0))
    _, path = issue(d, SlipKind.BM01, world.officer)
    text = text_of(path)
    # 11, 12, 13/02 then Tết (14–22/02) then 23–27/02, 02/03, 03/03 = 10 working days.
    assert "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 03/03/2026" in text


def test_bm02_request_to_complete(world, processed, tmp_path):
    _, path = issue(processed, SlipKind.BM02, world.specialist)
    text = common_checks(path, tmp_path, processed.code, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", world)
    assert "Hà Tĩnh, ngày 11 tháng 02 năm 2026" in text
    assert "Hồ sơ của: Nguyễn Văn An" in text
    assert "1. Bản sao Giấy chứng nhận đăng ký doanh nghiệp" in text
    assert "2. Sơ đồ vị trí khu đất" in text
    assert "Lý do: Hồ sơ thiếu giấy tờ pháp lý" in text
    assert f"liên hệ cán bộ {world.specialist.get_full_name()}" in text
    assert "NGƯỜI HƯỚNG DẪN" in text


def test_bm03_refusal(world, tmp_path):
    d = receive(world, channel="online", at=aware(2026, 4, 28, 14, 0))
    d = dossier_refuse(
        dossier=d, actor=world.officer, reason="Thủ tục không thuộc thẩm quyền của Ban", at=aware(2026, 4, 29, 8, 30)
    )
    _, path = issue(d, SlipKind.BM03, world.officer)
    text = common_checks(path, tmp_path, d.code, "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", world)
    assert "Hà Tĩnh, ngày 29 tháng 4 năm 2026" in text
    assert "lý do cụ thể như sau: Thủ tục không thuộc thẩm quyền của Ban" in text
    assert "Xin thông báo để ông/bà được biết và thực hiện./." in text


def test_bm04_apology_and_new_date(world, processed, tmp_path):
    _, path = issue(processed, SlipKind.BM04, world.leader)
    text = common_checks(path, tmp_path, processed.code, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", world)
    assert "Hà Tĩnh, ngày 25 tháng 02 năm 2026" in text
    assert f"{world.agency.name} xin lỗi ông/bà vì hồ sơ chậm trả kết quả so với thời gian đã hẹn." in text
    # The appointment before the extension: 03/03/2026 moved by the one-working-day pause → 04/03/2026.
    assert "Thời gian hẹn trả kết quả: 17 giờ 00 phút, ngày 04/03/2026" in text
    assert "do: cần lấy ý kiến Sở Xây dựng" in text
    assert "hẹn trả kết quả vào 17 giờ 00 phút, ngày 10/03/2026" in text
    assert "THỦ TRƯỞNG CƠ QUAN" in text


def test_bm05_processing_control_slip(world, processed, tmp_path):
    _, path = issue(processed, SlipKind.BM05, world.leader)
    text = common_checks(path, tmp_path, processed.code, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", world)
    steps = list(processed.steps.order_by("seq"))
    assert len(steps) == 3
    assert "Nhận: 09:00 10/02/2026" in text and "Chuyển: 10:00 10/02/2026" in text
    assert "Nhận: 10:00 10/02/2026" in text and "Chuyển: 09:00 02/03/2026" in text
    assert "Nhận: 09:00 02/03/2026" in text and "Chuyển: 15:00 04/03/2026" in text
    for user in (world.officer, world.specialist, world.leader):  # narrow cells may wrap a long name
        assert squash(user.get_full_name()) in squash(text)
    for unit in ("Bộ phận Một cửa", "Phòng Quản lý đầu tư", "Văn phòng"):
        assert squash(unit) in squash(text)
    labels = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Trễ hạn"}
    for step in steps:
        assert step.timeliness in labels
    # every step's verdict is printed, and the dossier's (decided 04/03 before the new date 10/03: early)
    printed = [text.count(label) for label in labels.values()]
    expected = [sum(1 for s in steps if s.timeliness == k) + (1 if processed.timeliness == k else 0) for k in labels]
    assert printed == expected
    assert processed.timeliness == "early"
    assert "Có kết quả lúc: 15:00 04/03/2026 — Trước hạn" in text


def test_same_content_is_stored_once_and_a_change_makes_a_new_version(world, tmp_path):
    d = receive(world, at=aware(2026, 4, 27, 9, 0))
    first, _ = issue(d, SlipKind.BM05, world.officer)
    again, _ = issue(d, SlipKind.BM05, world.officer)
    assert again.pk == first.pk and DossierSlip.objects.filter(dossier=d, kind="bm05").count() == 1
    dossier_forward(dossier=d, actor=world.officer, to_user=world.specialist, at=aware(2026, 4, 27, 10, 0))
    second, path = issue(d, SlipKind.BM05, world.officer)
    assert second.number == 2 and second.sha256 != first.sha256
    assert "Chuyển: 10:00 27/04/2026" in text_of(path)


def test_a_slip_without_content_is_refused(world):
    d = receive(world, at=aware(2026, 4, 27, 9, 0))
    for kind in (SlipKind.BM02, SlipKind.BM03, SlipKind.BM04):
        with pytest.raises(ConflictError):
            slip_issue(dossier=d, kind=kind, actor=world.officer)
    assert not DossierSlip.objects.filter(dossier=d).exists()


def test_bm01_for_an_organisation_by_post_with_an_authorised_person(world, tmp_path):
    applicant = {
        "kind": "organisation",
        "name": "Công ty TNHH Thép Vũng Áng",
        "tax_code": "0101234567",
        "representative": "Lê Thị Hoa",
        "address": "Khu kinh tế Vũng Áng, Hà Tĩnh",
        "phone": "0912345678",
        "authorised": {"full_name": "Phạm Quốc Dũng", "id_number": "001090012345", "phone": "0987654321"},
    }
    d = dossier_receive(
        actor=world.officer,
        procedure_code=world.code,
        channel="postal",
        applicant=applicant,
        received_at=aware(2026, 4, 29, 15, 30),
        postal_tracking="EMS987654321VN",
        result_delivery="post",
        return_address="Số 5 đường Hà Huy Tập, Hà Tĩnh",
    )
    _, path = issue(d, SlipKind.BM01, world.officer)
    text = common_checks(path, tmp_path, d.code, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", world)
    assert "Kênh tiếp nhận: Bưu chính công ích" in text
    assert "Tên cá nhân, tổ chức: Công ty TNHH Thép Vũng Áng" in text
    assert "Mã số doanh nghiệp/mã số thuế: 0101234567" in text
    assert "Người đại diện theo pháp luật: Lê Thị Hoa" in text
    assert "Người được ủy quyền: Phạm Quốc Dũng, số định danh cá nhân: 001090012345" in text
    assert "Hình thức nhận kết quả: Qua bưu chính công ích" in text
    assert "Địa chỉ nhận kết quả: Số 5 đường Hà Huy Tập, Hà Tĩnh" in text
    assert "4. Thời gian nhận hồ sơ: 15 giờ 30 phút, ngày 29/04/2026" in text
    # 10 working days after Wednesday 29/04, skipping 30/04, 01/05 and the weekends: Friday 15/05/2026
    assert "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 15/05/2026" in text
