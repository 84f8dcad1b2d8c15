"""The XLSX file of the catalog: one row per procedure (its version in force), columns in COLUMNS; the row a
version writes (version_row) is what the export puts in the file and what the import compares a row with."""

from __future__ import annotations

from decimal import Decimal

from ..models import GovernmentLevel, OnlineClass, ProcedureVersion, TimeUnit
from ..text import normalize

SHEET = "Thu tuc"
YES, NO = "Có", "Không"

# (header shown in the file, key, help text for the template's second sheet)
COLUMNS: list[tuple[str, str, str]] = [
    ("Mã thủ tục", "code", "Bắt buộc. Mã trên CSDL quốc gia, ví dụ 1.009664"),
    ("Tên thủ tục", "name", "Bắt buộc"),
    ("Mã lĩnh vực", "field_code", "Bắt buộc"),
    ("Tên lĩnh vực", "field_name", "Bắt buộc khi mã lĩnh vực chưa có trong danh mục"),
    ("Cơ quan thực hiện", "implementing_body", ""),
    ("Cấp thực hiện", "government_level", "Trung ương / Cấp tỉnh / Cấp xã / Khác (mặc định: Cấp tỉnh)"),
    ("Đối tượng thực hiện", "target", ""),
    ("Căn cứ pháp lý", "legal_basis", "Mỗi văn bản một dòng"),
    ("Đơn vị thời gian", "time_unit", "ngày làm việc / ngày / giờ làm việc (mặc định: ngày làm việc)"),
    ("Thời hạn theo quy định", "legal_time", "Số, ví dụ 15 hoặc 6,25"),
    ("Thời hạn cam kết", "committed_time", "Số, không lớn hơn thời hạn theo quy định"),
    ("Ghi chú thời hạn", "time_note", "Nguyên văn theo quyết định công bố"),
    ("Mức độ DVC trực tuyến", "online_level", "1, 2, 3 hoặc 4; để trống nếu không có"),
    ("DVC trực tuyến (NĐ 42/2022)", "online_class", "Toàn trình / Một phần / Không"),
    ("Nộp trực tiếp", "channel_counter", "Có / Không"),
    ("Nộp trực tuyến", "channel_online", "Có / Không"),
    ("Nộp qua bưu chính", "channel_postal", "Có / Không"),
    ("Trả kết quả qua bưu chính", "result_by_post", "Có / Không"),
    ("Một cửa", "one_stop", "Có / Không"),
    ("4 tại chỗ", "four_on_spot", "Có / Không"),
    ("Giờ chốt tiếp nhận", "reception_cutoff", "HH:MM, ví dụ 15:00; để trống nếu theo giờ chốt của cơ quan"),
    ("Kết quả", "result", ""),
    ("Yêu cầu, điều kiện", "conditions", ""),
    ("Trình tự thực hiện", "steps_text", ""),
    ("Thành phần hồ sơ", "components", "Mỗi giấy tờ một dòng: Tên | số bản chính | số bản sao | bắt buộc (Có/Không) | tên mẫu"),
    ("Phí, lệ phí", "fees", "Mỗi khoản một dòng: Tên | số tiền (đồng) | ghi chú"),
    ("Quy trình nội bộ", "steps", "Mỗi bước một dòng: Nội dung | đơn vị (viết tắt) | thời gian | vai trò (mã, có thể để trống)"),
    ("Giá trị minh họa", "illustrative", "Tên các trường có giá trị minh họa, cách nhau bởi dấu phẩy"),
    ("Nguồn dữ liệu", "source", ""),
]
KEY_BY_HEADER = {normalize(h): k for h, k, _ in COLUMNS}
HEADER_BY_KEY = {k: h for h, k, _ in COLUMNS}
BOOL_KEYS = ("channel_counter", "channel_online", "channel_postal", "result_by_post", "one_stop", "four_on_spot")
BOOL_DEFAULTS = {"channel_counter": True, "one_stop": True}


def _num(value) -> str:
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def _label(choices, value) -> str:
    return dict(choices).get(value, value or "")


def version_row(version: ProcedureVersion) -> dict[str, str]:
    """The XLSX row (key → text) of a version."""
    return {
        "code": version.procedure.code,
        "name": version.name,
        "field_code": version.field.code,
        "field_name": version.field.name,
        "implementing_body": version.implementing_body,
        "government_level": _label(GovernmentLevel.choices, version.government_level),
        "target": version.target,
        "legal_basis": "\n".join(version.legal_basis or []),
        "time_unit": _label(TimeUnit.choices, version.time_unit),
        "legal_time": _num(version.legal_time),
        "committed_time": _num(version.committed_time),
        "time_note": version.time_note,
        "online_level": str(version.online_level or ""),
        "online_class": _label(OnlineClass.choices, version.online_class),
        **{k: YES if getattr(version, k) else NO for k in BOOL_KEYS},
        "reception_cutoff": version.reception_cutoff.strftime("%H:%M") if version.reception_cutoff else "",
        "result": version.result,
        "conditions": version.conditions,
        "steps_text": version.steps_text,
        "components": "\n".join(
            f"{c.name} | {c.originals} | {c.copies} | {YES if c.mandatory else NO} | {c.form_name}".rstrip(" |")
            for c in version.components.all()
        ),
        "fees": "\n".join(f"{f.name} | {f.amount_vnd} | {f.note}".rstrip(" |") for f in version.fees.all()),
        "steps": "\n".join(
            f"{s.name} | {s.unit.short_name if s.unit_id else ''} | {_num(s.duration)} | {s.role}".rstrip(" |")
            for s in version.steps.all()
        ),
        "illustrative": ", ".join(version.illustrative or []),
        "source": version.source,
    }
