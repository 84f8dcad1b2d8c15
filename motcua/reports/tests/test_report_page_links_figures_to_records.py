"""On screen, each figure of the CCHC report links to a page listing the records behind it; the number
of records listed is the figure."""

import re

from django.urls import reverse

from motcua.core.models import User
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.reports.records import figure_records
from motcua.reports.selectors import cchc_report

from .conftest import SeededTestCase


class TestReportPage(SeededTestCase):
    def setUp(self):
        # a leader of the Board without a second factor (the demo's lanhdao has one since two-factor sign-in)
        self.client.force_login(make_staff("lanhdao-bc", Role.LEADER, unit=self.agency.units.get(short_name="VP")))

    def test_every_figure_links_to_its_records_and_counts_match(self):
        page = self.client.get(reverse("reports:cchc", kwargs={"agency": "BQL", "year": 2021}))
        assert page.status_code == 200
        html = page.content.decode()
        assert "46/46" in html and "36/46" in html
        report = cchc_report(agency=self.agency, year=2021)
        checked = 0
        for key, figure in report.figures().items():
            url = reverse("reports:cchc-records", kwargs={"agency": "BQL", "year": 2021, "key": key})
            if not key.startswith("dossiers_"):
                assert f'href="{url}"' in html, key
            records = figure_records(agency=self.agency, year=2021, key=key)
            if records is None or figure.value is None:
                continue
            if key in ("job_positions", "staff_filled", "staff_shortage", "training_courses"):
                continue  # those list units or participants, not one row per counted item
            assert len(records.rows) == figure.value, key
            checked += 1
        assert checked >= 20

    def test_records_page_lists_the_cut_procedures(self):
        url = reverse("reports:cchc-records", kwargs={"agency": "BQL", "year": 2021, "key": "cut_20"})
        html = self.client.get(url).content.decode()
        assert "cắt giảm thời gian giải quyết từ 20% trở lên" in html
        assert len(re.findall(r"<tr><td class=\"num\">", html)) == 36

    def test_downloads_and_permissions(self):
        docx = self.client.get(reverse("reports:cchc-download", kwargs={"agency": "BQL", "year": 2021, "fmt": "docx"}))
        assert docx.status_code == 200 and docx["Content-Disposition"].endswith('bao-cao-cchc-bql-2021.docx"')
        pdf = self.client.get(reverse("reports:cchc-download", kwargs={"agency": "BQL", "year": 2021, "fmt": "pdf"}))
        assert pdf.content.startswith(b"%PDF")
        assert (
            self.client.get(reverse("reports:cchc-records", kwargs={"agency": "BQL", "year": 2021, "key": "nope"})).status_code
            == 404
        )
        self.client.logout()
        assert self.client.get(reverse("reports:cchc", kwargs={"agency": "BQL", "year": 2021})).status_code == 302
        self.client.force_login(User.objects.get(username="motcua"))  # one-stop officer: not a report reader
        assert self.client.get(reverse("reports:cchc", kwargs={"agency": "BQL", "year": 2021})).status_code == 403

    def test_api_gives_the_same_figures(self):
        data = self.client.get("/api/v1/reports/cchc/BQL/2021/").json()
        figures = {f["key"]: f for f in data["figures"]}
        report = cchc_report(agency=self.agency, year=2021).figures()
        assert {k: (f["value"], f["of"]) for k, f in figures.items()} == {k: (f.value, f.of) for k, f in report.items()}
        assert figures["cut_20"]["text"] == "36/46"
        assert figures["cut_20"]["records"].endswith("/bao-cao/cchc/BQL/2021/so-lieu/cut_20/")
