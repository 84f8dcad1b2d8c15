"""Small reading faults of issue 15: a procedure's time reads "11 ngày 2 giờ làm việc", never "11,25 ngày làm
việc"; the internal note on illustrative data and the data source show to staff only, not on the public page;
the catalog import's date field is pre-filled in the ISO form a date input accepts."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from motcua.catalog.templatetags.catalog_tags import duration

NOTE = "Một số thông tin trên trang này là dữ liệu minh họa"


def test_duration_reads_in_days_and_hours():
    # office hours 07:30–11:30 and 13:30–17:00: a working day is 7.5 hours
    assert duration(Decimal("11.25"), "working_days") == "11 ngày 2 giờ làm việc"  # 1.875 h → 2 h (half-hour steps)
    assert duration(Decimal("5"), "working_days") == "5 ngày làm việc"
    assert duration(Decimal("0.5"), "working_days") == "4 giờ làm việc"  # 3.75 h → 4 h
    assert duration(Decimal("2.2"), "working_days") == "2 ngày 1 giờ 30 phút làm việc"
    assert duration(Decimal("4.5"), "working_hours") == "4 giờ 30 phút làm việc"
    assert duration(Decimal("15"), "calendar_days") == "15 ngày"
    assert duration(None, "working_days") == ""


def test_procedure_page_reads_well(client, world):
    world.version.legal_time, world.version.committed_time = Decimal("11.25"), Decimal("7.5")
    world.version.illustrative = ["committed_time"]
    world.version.source = "Quyết định 1234/QĐ-UBND, bản nhập ngày 02/03/2021"
    world.version.save()
    url = reverse("catalog:public-detail", kwargs={"code": world.code})
    html = client.get(url).content.decode()
    assert "11 ngày 2 giờ làm việc" in html and "7 ngày 4 giờ làm việc" in html
    assert "11,25" not in html and "7,5 ngày" not in html
    assert NOTE not in html and "1234/QĐ-UBND" not in html

    client.force_login(world.leader)
    html = client.get(url).content.decode()
    assert NOTE in html and "1234/QĐ-UBND" in html


def test_catalog_import_date_is_prefilled_in_iso(client, world):
    client.force_login(world.leader)
    html = client.get(reverse("catalog:transfer")).content.decode()
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html
    assert f'value="{timezone.localdate():%d/%m/%Y}"' not in html
