"""Demo dossiers: a year (2021, the year of the seed story) of the demo agency's procedures, plus a few
recent ones still in progress, written by the bulk generator. Skipped quietly when the catalogue has
no procedures; idempotent (nothing happens when the agency already has dossiers)."""

from datetime import timedelta

from django.utils import timezone

from .generate import _versions, generate_dossiers
from .models import Dossier

YEAR = 2021
COUNT_2021 = 400
COUNT_RECENT = 80
RECENT_DAYS = 45  # recent dossiers: many still in progress, some overdue


def seed(*, agency, stdout=None) -> None:
    if Dossier.objects.filter(agency=agency).exists():
        if stdout:
            stdout.write("Hồ sơ một cửa: đã có dữ liệu.")
        return
    if not _versions(agency):
        if stdout:
            stdout.write("Hồ sơ một cửa: chưa có danh mục thủ tục, bỏ qua.")
        return
    n = generate_dossiers(agency=agency, count=COUNT_2021, years=[YEAR], seed=YEAR)
    today = timezone.localdate()
    since = today - timedelta(days=RECENT_DAYS)
    m = generate_dossiers(agency=agency, count=COUNT_RECENT, years=[since.year, today.year], seed=today.year, since=since)
    if stdout:
        stdout.write(f"Hồ sơ một cửa: {n} hồ sơ năm {YEAR} và {m} hồ sơ gần đây (từ {since:%d/%m/%Y}).")
