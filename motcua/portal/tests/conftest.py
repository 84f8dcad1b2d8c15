"""Fixtures of the portal tests: an agency with a one-stop desk, staff, and a procedure in force that
accepts online submission with three components (two mandatory)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalog.models import Component, Field, Procedure, ProcedureVersion, ProcessStep
from motcua.catalog.services import version_search_text
from motcua.core.models import Agency, Unit
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM
from motcua.dossiers.intake import dossier_receive

from .browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PDF_BYTES

_n = count(1)


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200


def pdf_upload(name: str = "don-de-nghi.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


ONLINE_APPLICANT = {"kind": "individual", "full_name": "Phạm Thị Dung", "id_number": "042190007777", "email": "dung@example.vn"}


def online_dossier(world):
    """A dossier submitted online by ONLINE_APPLICANT with the first mandatory component attached."""
    return dossier_receive(
        actor=SYSTEM,
        procedure_code=world.code,
        channel="online",
        applicant=ONLINE_APPLICANT,
        files=[{"file": pdf_upload(), "component": world.c1.pk}],
    )


def open_lookup(client, dossier):
    """Verify on the lookup page (code and ID number), as the applicant does before acting on the dossier."""
    response = client.post(reverse("portal:lookup"), {"ma": dossier.code, "xac_minh": ONLINE_APPLICANT["id_number"]})
    assert response.status_code == 302


class World:
    def __init__(self):
        n = next(_n)
        self.agency = Agency.objects.create(
            name="Ban Quản lý Khu kinh tế tỉnh Hà Tĩnh",
            short_name=f"BQLKKT{n}",
            code=f"H15.{40 + n}",
            address="Số 1 đường Trần Phú, thành phố Hà Tĩnh",
            phone="02393885678",
            email="motcua@example.vn",
        )
        self.desk = Unit.objects.create(agency=self.agency, name="Bộ phận Một cửa", short_name="MC", is_one_stop_desk=True)
        self.office = Unit.objects.create(agency=self.agency, name="Văn phòng", short_name="VP")
        self.officer = make_staff(f"motcua{n}", Role.ONE_STOP_OFFICER, unit=self.desk)
        self.leader = make_staff(f"lanhdao{n}", Role.LEADER, unit=self.office)
        field, _ = Field.objects.get_or_create(code="DT", defaults={"name": "Đầu tư tại Việt Nam"})
        self.version = ProcedureVersion.objects.create(
            procedure=Procedure.objects.create(code=f"1.0096{n:02d}"),
            number=1,
            status=ProcedureVersion.Status.IN_FORCE,
            valid_from=date(2020, 1, 1),
            name="Điều chỉnh Giấy chứng nhận đăng ký đầu tư",
            field=field,
            agency=self.agency,
            legal_time=Decimal("10"),
            committed_time=Decimal("7"),
            online_level=4,
            channel_counter=True,
            channel_online=True,
            channel_postal=True,
            result_by_post=True,
        )
        self.version.search_text = version_search_text(name=self.version.name, code=self.version.procedure.code)
        self.version.save(update_fields=["search_text"])
        self.c1 = Component.objects.create(version=self.version, order=1, name="Văn bản đề nghị điều chỉnh dự án đầu tư")
        self.c2 = Component.objects.create(version=self.version, order=2, name="Báo cáo tình hình thực hiện dự án")
        self.c3 = Component.objects.create(version=self.version, order=3, name="Tài liệu khác (nếu có)", mandatory=False)
        ProcessStep.objects.create(version=self.version, order=1, name="Tiếp nhận hồ sơ", unit=self.desk, duration=Decimal("0.5"))
        ProcessStep.objects.create(
            version=self.version, order=2, name="Thẩm định, phê duyệt", unit=self.office, duration=Decimal("6.5")
        )

    @property
    def code(self) -> str:
        return self.version.procedure.code


APPLICANT_POST = {
    "applicant_kind": "individual",
    "full_name": "Nguyễn Văn An",
    "id_number": "042090012789",
    "birth_date": "17/05/1990",
    "address": "Xã Kỳ Lợi, thị xã Kỳ Anh, tỉnh Hà Tĩnh",
    "phone": "0912345678",
    "email": "an.nguyen@example.vn",
    "result_delivery": "online",
    "return_address": "",
    "note": "",
    "pledge": "on",
}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def templates_ready(db):
    from motcua.notifications.defaults import ensure_default_templates

    ensure_default_templates()


# ---- browser tests (Playwright + Debian chromium), see browser.py -------------------------------------


@pytest.fixture(scope="module")
def chromium_browser():
    """One chromium per test module: the event loop of the sync API (and the async-unsafe switch below)
    lives only while this module's browser tests run, not during other apps' tests."""
    import os

    from playwright.sync_api import sync_playwright

    # The sync Playwright API keeps an event loop running in the test thread; Django refuses ORM calls
    # from such a thread unless told it is safe (it is: the live server answers in its own thread).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium_browser, live_server, transactional_db, tmp_path, settings):
    """A fresh browser context (no cookies) on the live server, desktop width, Vietnamese."""
    settings.MEDIA_ROOT = tmp_path / "media"
    context = chromium_browser.new_context(viewport=DESKTOP, locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(30000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def new_page(chromium_browser, live_server):
    """Open another browser context (a second person: an officer, a leader)."""
    contexts = []

    def make():
        context = chromium_browser.new_context(viewport=DESKTOP, locale="vi-VN", base_url=live_server.url)
        context.set_default_timeout(30000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
