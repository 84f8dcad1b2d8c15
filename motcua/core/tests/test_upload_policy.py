"""The one upload policy parses what it accepts: a body that only starts like a PDF, a PDF carrying an
executable, a zip bomb dressed as a Word file, an image too large to decode and a broken Office file are
refused with a Vietnamese message naming the file; real files of each accepted type pass."""

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from motcua.core import testing, uploads
from motcua.core.errors import ValidationFailed
from motcua.core.testing import pdf_bytes
from motcua.core.uploads import UploadRejected, bytes_check, upload_check, upload_check_field

HTML_AS_PDF = testing.HTML_AS_PDF
# Minimal ELF64 and PE headers, as a polyglot would carry them.
ELF = testing.ELF_HEADER
PE = b"MZ\x90\x00" + b"\x00" * 0x38 + struct.pack("<I", 0x80) + b"\x00" * (0x80 - 0x40) + b"PE\x00\x00" + b"\x00" * 200


def image_bytes(fmt: str, size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("Đơn đề nghị cấp giấy chứng nhận đăng ký đầu tư")
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "Danh mục hồ sơ"
    book.save(buffer)
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), uploads.ODT)  # stored, first, as ODF requires
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>", zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def docx_bomb() -> bytes:
    return testing.docx_bomb()


def _refused(name: str, data: bytes, **kwargs) -> str:
    with pytest.raises(UploadRejected) as exc:
        bytes_check(name, data, **kwargs)
    message = str(exc.value)
    assert f"“{name}”" in message
    return message


@pytest.mark.parametrize(
    "name, data, mime",
    [
        ("don.pdf", pdf_bytes(3), uploads.PDF),
        ("anh.jpg", image_bytes("JPEG"), uploads.JPEG),
        ("anh.png", image_bytes("PNG"), uploads.PNG),
        ("scan.tif", image_bytes("TIFF"), uploads.TIFF),
        ("don.docx", docx_bytes(), uploads.DOCX),
        ("bang.xlsx", xlsx_bytes(), uploads.XLSX),
        ("van-ban.odt", odt_bytes(), uploads.ODT),
    ],
)
def test_real_files_of_each_accepted_type_pass(name, data, mime):
    checked = bytes_check(name, data, name_must_match=True)
    assert checked.content_type == mime and checked.size == len(data) and len(checked.sha256) == 64


def test_an_html_body_starting_like_a_pdf_is_refused():
    assert "không phải là tệp PDF đọc được" in _refused("hoa-don.pdf", HTML_AS_PDF)
    # Without the %%EOF marker too, and with an HTML body long enough to hide a script.
    _refused("hoa-don.pdf", b"%PDF-1.4\n" + b"<html>" + b"x" * 5000 + b"</html>")


def test_a_pdf_without_pages_is_refused():
    catalog_only = pdf_bytes(0)  # a well-formed PDF whose page tree is empty
    assert "không có trang nào" in _refused("rong.pdf", catalog_only)


@pytest.mark.parametrize("payload", [ELF, PE], ids=["elf", "pe"])
def test_a_pdf_executable_polyglot_is_refused(payload):
    pdf = pdf_bytes(1)
    appended = pdf + payload  # the executable after the last %%EOF
    assert "mã chương trình thực thi" in _refused("hop-dong.pdf", appended)
    inside = pdf.replace(b"%%EOF", b"%" + payload + b"\n%%EOF")  # hidden in a comment before it
    assert "mã chương trình thực thi" in _refused("hop-dong.pdf", inside)
    assert "mã chương trình thực thi" in _refused("anh.png", image_bytes("PNG") + payload)


def test_a_pdf_with_much_data_after_its_end_is_refused():
    assert "dữ liệu lạ sau phần kết thúc" in _refused("don.pdf", pdf_bytes(1) + b"<html>" + b"A" * 4096)
    bytes_check("don.pdf", pdf_bytes(1) + b"\r\n" + b"\x00" * 64)  # padding is tolerated


def test_the_pdf_page_limit_is_a_setting(settings):
    settings.MOTCUA_UPLOAD_MAX_PDF_PAGES = 2
    assert "vượt quá giới hạn 2 trang" in _refused("dai.pdf", pdf_bytes(3))
    bytes_check("ngan.pdf", pdf_bytes(2))


def test_a_docx_that_inflates_to_a_gibibyte_is_refused(docx_bomb):
    assert len(docx_bomb) < 2 * 1024 * 1024
    assert "bom nén" in _refused("to-khai.docx", docx_bomb)


def test_a_zip_entry_that_lies_about_its_size_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + "a" * 50_000 + "</w:document>")
    data = bytearray(buffer.getvalue())
    # Declare 100 bytes for document.xml in its local and central headers: it inflates to far more.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            name_length = struct.unpack_from("<H", data, at + (26 if signature == b"PK\x03\x04" else 28))[0]
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + name_length] == b"word/document.xml":
                struct.pack_into("<I", data, at + offset, 100)
            at += 4
    assert "không phải là tệp Word (DOCX) hợp lệ" in _refused("to-khai.docx", bytes(data))


def test_an_office_file_without_its_required_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")  # no [Content_Types].xml
    _refused("thieu.docx", buffer.getvalue())


def test_an_image_bomb_is_refused_by_its_dimensions(settings):
    settings.MOTCUA_UPLOAD_MAX_IMAGE_PIXELS = 10_000
    assert "vượt quá giới hạn" in _refused("lon.png", image_bytes("PNG", size=(200, 100)))
    bytes_check("nho.png", image_bytes("PNG", size=(100, 100)))


def test_a_truncated_image_is_refused():
    data = image_bytes("PNG", size=(64, 64))
    assert "không phải là ảnh đọc được" in _refused("hong.png", data[: len(data) // 2])


def test_size_type_and_name_are_checked_before_parsing(settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1024
    assert "vượt quá giới hạn" in _refused("lon.pdf", pdf_bytes(1) + b"\n" * 1024)
    settings.MOTCUA_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    assert "rỗng" in _refused("rong.pdf", b"")
    assert "không đúng định dạng" in _refused("ghi-chu.pdf", "chỉ là chữ".encode())
    assert "TIFF" not in _refused("scan.tif", image_bytes("TIFF"), types=uploads.PUBLIC_TYPES)
    assert "không khớp với nội dung" in _refused("anh.pdf", image_bytes("PNG"), name_must_match=True)
    assert bytes_check("anh.pdf", image_bytes("PNG")).extension == ".png"  # staff: the content decides


def test_an_uploaded_file_is_read_whole_and_rewound():
    upload = SimpleUploadedFile("don.pdf", pdf_bytes(1), content_type="application/pdf")
    checked = upload_check(upload)
    assert checked.upload is upload and upload.tell() == 0
    with pytest.raises(ValidationFailed) as exc:
        upload_check_field(SimpleUploadedFile("x.pdf", HTML_AS_PDF), field="files.0")
    assert list(exc.value.fields) == ["files.0"]
