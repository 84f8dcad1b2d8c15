"""Browser journey (Playwright + Debian chromium): a citizen signs in through the local OpenID Connect
provider, finds "Hồ sơ của tôi" with the dossier received at the counter under their number, and submits an
online dossier whose applicant data came from the identity provider (read-only in the form). No console
error: the pages' CSP holds and no asset comes from elsewhere."""

from __future__ import annotations

import re

import pytest

from motcua.citizens import oidc
from motcua.citizens.fake_provider import FakeOidcProvider
from motcua.core.models import AuditLog
from motcua.dossiers.intake import dossier_receive
from motcua.dossiers.models import Channel, Dossier
from motcua.notifications.defaults import ensure_default_templates
from motcua.portal.tests.browser import browser_test, pdf_payload, shoot
from motcua.portal.tests.conftest import World, chromium_browser, page  # noqa: F401 - the portal's browser fixtures

from .conftest import CLIENT_ID, CLIENT_SECRET, HOA


@pytest.fixture
def live_provider(live_server, settings):
    fake = FakeOidcProvider(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_uris=[live_server.url + "/tai-khoan/dang-nhap/xong/"]
    ).start()
    settings.CITIZEN_OIDC_ISSUER = fake.url
    settings.CITIZEN_OIDC_CLIENT_ID = CLIENT_ID
    settings.CITIZEN_OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.CITIZEN_OIDC_REDIRECT_URI = ""
    oidc.CACHE.clear()
    yield fake
    oidc.CACHE.clear()
    fake.stop()


@browser_test
def test_citizen_signs_in_sees_my_dossiers_and_submits_with_prefilled_data(page, live_provider):  # noqa: F811
    ensure_default_templates()
    world = World()
    at_the_counter = dossier_receive(
        actor=world.officer,
        procedure_code=world.code,
        channel="counter",
        applicant={"kind": "individual", "full_name": "Nguyễn Thị Hoa", "id_number": HOA, "phone": "0912000111"},
    )

    # 1. the public menu offers the sign-in; the provider's page chooses the test citizen
    page.goto("/")
    page.locator("nav.top-nav").get_by_role("link", name="Đăng nhập").click()
    page.wait_for_url(re.compile(re.escape(live_provider.url) + r"/authorize\?"))
    page.get_by_label(re.compile("Nguyễn Thị Hoa")).check()
    page.get_by_role("button", name="Đăng nhập").click()

    # 2. back on motcua: "Hồ sơ của tôi" with the counter dossier
    page.wait_for_url("**/tai-khoan/ho-so/")
    assert page.get_by_role("heading", name="Hồ sơ của tôi").is_visible()
    assert page.inner_text("#citizen-id") == HOA
    assert at_the_counter.code in page.inner_text("#my-dossiers")
    shoot(page, "20-ho-so-cua-toi")
    assert page.locator("nav.top-nav").get_by_role("link", name="Hồ sơ của tôi").is_visible()

    # 3. the online form: the identity fields are filled in and read-only
    page.goto(f"/nop-truc-tuyen/{world.code}/")
    assert page.input_value("#id_full_name") == "Nguyễn Thị Hoa"
    assert page.input_value("#id_id_number") == HOA
    assert page.input_value("#id_birth_date") == "15/03/1990"
    assert page.get_attribute("#id_full_name", "readonly") is not None
    page.fill("#id_full_name", "Tên khác", force=True)  # a read-only field does not take typing
    assert page.input_value("#id_full_name") == "Nguyễn Thị Hoa"
    page.set_input_files(f"#file_{world.c1.pk}", [pdf_payload("van-ban-de-nghi.pdf")])
    page.set_input_files(f"#file_{world.c2.pk}", [pdf_payload("bao-cao.pdf")])
    page.get_by_label("Trực tuyến (kết quả điện tử)").check()
    page.get_by_label("Tôi cam đoan").check()
    shoot(page, "21-nop-truc-tuyen-da-dang-nhap")
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.wait_for_url("**/nop-truc-tuyen/da-nop/**")
    code = page.inner_text("#dossier-code").strip()
    dossier = Dossier.objects.get(code=code)
    assert dossier.channel == Channel.ONLINE and dossier.applicant_id_number == HOA
    assert dossier.applicant_name == "Nguyễn Thị Hoa" and dossier.applicant_email == "hoa.nguyen@example.vn"
    assert AuditLog.objects.get(object_id=str(dossier.pk), action="dossier.receive").actor_repr == "applicant:oidc"

    # 4. both dossiers in "Hồ sơ của tôi"; then sign out
    page.goto("/tai-khoan/ho-so/")
    listed = page.inner_text("#my-dossiers")
    assert code in listed and at_the_counter.code in listed
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"^http://[^/]+/$"))  # the home page
    page.goto("/tai-khoan/ho-so/")
    page.wait_for_url(re.compile(re.escape(live_provider.url) + r"/authorize\?"))  # signed out: asked to sign in again
    assert page.console_errors == [], page.console_errors
