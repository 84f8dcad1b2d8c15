"""The tracking code the operator gives shows on the public lookup page and on the BM.01 receipt slip."""

import subprocess
import unicodedata

import pytest
from django.urls import reverse

from motcua.desk.slips import render_bm01
from motcua.dossiers.models import Dossier, PostalOrder
from motcua.dossiers.tests.factories import APPLICANT, World

from .postal_support import pickup, post_event, postal  # noqa: F401
from .support import drain

pytestmark = pytest.mark.django_db(transaction=True)


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "bm01.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFC", out.decode("utf-8")).split())


def test_the_tracking_code_shows_on_the_lookup_page_and_the_bm01_slip(client, postal, tmp_path):  # noqa: F811
    dossier = pickup(World())
    drain()
    order = PostalOrder.objects.get(dossier=dossier)
    item_code = postal.orders[order.order_code]["item_code"]
    assert item_code not in _pdf_text(render_bm01(Dossier.objects.get(pk=dossier.pk)), tmp_path)  # none yet
    post_event(client, postal, order.order_code, 10)
    assert client.post(reverse("portal:lookup"), {"ma": dossier.code, "xac_minh": APPLICANT["id_number"]}).status_code == 302
    page = client.get(reverse("portal:lookup-detail", args=[dossier.code])).content.decode()
    assert f'<strong class="tracking-code">{item_code}</strong>' in page
    assert "Bưu chính thu gom hồ sơ" in page and "Bưu chính đã nhận đơn" in page
    text = _pdf_text(render_bm01(Dossier.objects.get(pk=dossier.pk)), tmp_path)
    assert f"Số hiệu bưu gửi (thu gom hồ sơ): {item_code}" in text
