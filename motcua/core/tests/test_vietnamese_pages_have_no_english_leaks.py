"""The main staff and public pages, rendered in Vietnamese over the demo data, show no English leaks: no
enum values ("draft", "in_progress", "ENTIRE_FILE"), no Django defaults ("---------"), no English error
text. Only what a person reads is checked (text and option labels; not URLs, ids or class names)."""

import re
from html.parser import HTMLParser
from io import StringIO

from django.test import TestCase

from motcua.catalog import demo as catalog_demo
from motcua.core import demo as core_demo
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.documents import demo as documents_demo
from motcua.dossiers import demo as dossiers_demo
from motcua.feedback import demo as feedback_demo
from motcua.reform import demo as reform_demo

# Words and values that must never reach a Vietnamese page.
LEAKS = [
    "---------",
    "draft",
    "drafts",
    "ENTIRE_FILE",
    "ENTIRE_REVISION",
    "CONTIGUOUS_BLOCK_FROM_START",
    "in_progress",
    "not_started",
    "in_review",
    "working_days",
    "calendar_days",
    "working_hours",
    "one_stop_officer",
    "None",
    "True",
    "False",
    "You do not have permission",
    "Authentication credentials",
    "Not found",
    "Page not found",
    "Forbidden",
    "Server Error",
    "This field is required",
    "Enter a valid",
    "Select a valid choice",
    "Submit",
    "Save",
    "Cancel",
    "Search",
    "Next",
    "Previous",
    "Currently",
    "Change",
    "Clear",
]
PATTERN = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in LEAKS) + r")(?![\w-])")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("placeholder", "title", "aria-label", "alt") and value:
                self.parts.append(value)
            if tag in ("input", "button") and name == "value" and dict(attrs).get("type") in ("submit", "button"):
                self.parts.append(value or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(p.strip() for p in parser.parts if p.strip())


def leaks(html: str) -> list[str]:
    return sorted({m.group(1) for m in PATTERN.finditer(visible_text(html))})


STAFF_PAGES = {
    "lanhdao": [
        "/staff/",
        "/staff/dossiers/",
        "/mot-cua/viec/",
        "/mot-cua/lanh-dao/don-vi/",
        "/mot-cua/so-theo-doi/",
        "/mot-cua/thong-ke/",
        "/cchc/",
        "/cchc/nhiem-vu/",
        "/cchc/the-che/",
        "/cchc/to-chuc-bien-che/",
        "/cchc/kiem-tra/",
        "/cchc/kien-nghi/",
        "/cchc/tu-danh-gia/",
        "/bao-cao/cchc/BQL/2021/",
        "/staff/van-ban/",
        "/staff/van-ban/den/",
        "/staff/van-ban/di/",
        "/staff/pakn/",
        "/staff/danh-muc/",
        "/staff/danh-muc/quyet-dinh/",
        "/staff/danh-muc/nhap-xuat/",
        "/staff/khong-co-trang-nay/",
    ],
    "motcua": ["/staff/dossiers/new/", "/mot-cua/viec/"],
    "vanthu": ["/staff/van-ban/den/dang-ky/", "/staff/van-ban/den/"],
}
PUBLIC_PAGES = [
    "/",
    "/thu-tuc/",
    "/tra-cuu/",
    "/nop-truc-tuyen/",
    "/phan-anh-kien-nghi/",
    "/phan-anh-kien-nghi/da-tra-loi/",
    "/phan-anh-kien-nghi/tra-cuu/",
    "/khong-co-trang-nay/",
]


class VietnamesePagesHaveNoEnglishLeaks(TestCase):
    @classmethod
    def setUpTestData(cls):
        out = StringIO()
        cls.agency = agency = core_demo.seed()
        catalog_demo.seed(agency=agency)
        reform_demo.seed(agency=agency)
        documents_demo.seed(agency=agency, stdout=out)
        dossiers_demo.seed(agency=agency, stdout=out)
        feedback_demo.seed(agency=agency, stdout=out)
        # our own staff, one per role the pages need (the demo's leaders may have a second factor to enter)
        units = {u.short_name: u for u in agency.units.all()}
        cls.users = {
            "lanhdao": make_staff("t-lanhdao", Role.LEADER, unit=units["VP"]),
            "motcua": make_staff("t-motcua", Role.ONE_STOP_OFFICER, unit=units["MC"]),
            "vanthu": make_staff("t-vanthu", Role.CLERK, unit=units["VP"]),
        }

    def _check(self, urls, found):
        for url in urls:
            response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
            assert response.status_code in (200, 404), (url, response.status_code)
            bad = leaks(response.content.decode())
            if bad:
                found[url] = bad

    def test_vietnamese_pages_have_no_english_leaks(self):
        found = {}
        self._check(PUBLIC_PAGES, found)
        from motcua.catalog.models import ProcedureVersion

        versions = ProcedureVersion.objects.filter(agency=self.agency, status="in_force").select_related("procedure")[:3]
        assert versions
        self._check([f"/thu-tuc/{v.procedure.code}/" for v in versions], found)
        for username, urls in STAFF_PAGES.items():
            self.client.force_login(self.users[username])
            pages = list(urls)
            if username == "lanhdao":
                from motcua.documents.models import IncomingDocument, OutgoingDocument
                from motcua.dossiers.models import Dossier

                pages += [
                    f"/staff/van-ban/den/{d.pk}/" for d in IncomingDocument.objects.filter(register__agency=self.agency)[:3]
                ]
                pages += [f"/staff/van-ban/di/{d.pk}/" for d in OutgoingDocument.objects.filter(agency=self.agency)[:5]]
                pages += [f"/staff/dossiers/{d.code}/" for d in Dossier.objects.filter(agency=self.agency)[:5]]
            self._check(pages, found)
            self.client.logout()
        assert found == {}

    def test_the_check_sees_a_leak(self):
        html = '<p>Trạng thái: draft</p><select><option value="">---------</option></select><a href="/draft/">Mở</a>'
        assert leaks(html) == ["---------", "draft"]

    def test_the_api_refuses_in_vietnamese(self):
        self.client.force_login(self.users["motcua"])  # a one-stop officer: no CCHC role
        response = self.client.get("/api/v1/cchc/tasks/", HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="vi")
        assert response.status_code == 403
        assert response.json()["detail"] == "Bạn không có quyền thực hiện thao tác này."
        self.client.logout()
        response = self.client.get("/api/v1/cchc/tasks/", HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="vi")
        assert response.status_code in (401, 403)
        detail = response.json()["detail"]
        assert PATTERN.search(detail) is None and "credentials" not in detail.lower(), detail
