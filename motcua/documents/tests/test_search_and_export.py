"""Search over registers ignores case and diacritics; each register exports as its printed book (XLSX)."""

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from motcua.core.text import normalize
from motcua.documents import services
from motcua.documents.selectors import incoming_search

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_normalize():
    assert normalize("Quyết định ĐẦU TƯ  Khu kinh tế") == "quyet dinh dau tu khu kinh te"
    assert normalize("Đường Phước Long") == "duong phuoc long"


@pytest.fixture
def docs(clerk, registers, types):
    def r(sender, symbol, summary, day):
        return services.incoming_register(
            actor=clerk,
            register=registers["in"],
            sender=sender,
            sender_symbol=symbol,
            doc_type=types["QD"],
            summary=summary,
            is_electronic=False,
            received_at=datetime(2021, 3, day, 9, tzinfo=VN),
        )

    return [
        r("Sở Kế hoạch và Đầu tư", "120/SKHĐT-ĐKKD", "Về việc điều chỉnh giấy chứng nhận đầu tư", 1),
        r("UBND tỉnh", "775/QĐ-UBND", "Quyết định kiện toàn Ban Chỉ đạo ISO", 2),
        r("Công ty TNHH Đông Á", "05/CV", "Đề nghị gia hạn tiến độ dự án", 3),
    ]


@pytest.mark.django_db
def test_search_ignores_diacritics_and_case(docs, agency):
    def find(q):
        return sorted(d.pk for d in incoming_search(agency=agency, q=q))

    assert find("dieu chinh dau tu") == [docs[0].pk]
    assert find("ĐẦU TƯ") == [docs[0].pk]
    assert find("775/qd") == [docs[1].pk]
    assert find("dong a") == [docs[2].pk]
    assert find("ubnd") == [docs[1].pk]
    assert find("3") == sorted(d.pk for d in docs if "3" in d.search_text)  # number 3 and symbol/text digits
    assert find("khong co") == []


@pytest.mark.django_db
def test_incoming_register_book_xlsx(docs, registers, client, clerk):
    client.force_login(clerk)
    response = client.get(f"/staff/van-ban/so/{registers['in'].pk}.xlsx", {"year": 2021})
    assert response.status_code == 200
    assert response.streaming  # written to a temporary file and streamed, never held whole
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert ws["A2"].value == "SỔ VĂN BẢN ĐẾN NĂM 2021"
    assert [c.value for c in ws[4]][:3] == ["Ngày đến", "Số đến", "Tác giả"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert [(row[0], row[1], row[3]) for row in rows] == [
        ("01/03/2021", 1, "120/SKHĐT-ĐKKD"),
        ("02/03/2021", 2, "775/QĐ-UBND"),
        ("03/03/2021", 3, "05/CV"),
    ]
    assert rows[1][5] == "Quyết định: Quyết định kiện toàn Ban Chỉ đạo ISO"
