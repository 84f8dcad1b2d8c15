"""A leader issues the 2021 CCHC report: its DOCX, PDF and figures are stored (SHA-256 of each), listed on
the report page, downloadable as stored, and audit-logged. Records changed afterwards do not alter the
issued copy; it cannot be edited or deleted; issuing again makes a second copy. Only a leader of the
agency may issue (a specialist, or another agency's leader, gets 403 and nothing is stored)."""

import hashlib
from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse

from motcua.core.models import AuditLog
from motcua.core.roles import Role
from motcua.core.services import agency_create, unit_create
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM
from motcua.reform.models import StaffQuota
from motcua.reports.models import IssuedReport, IssuedReportChangeError

from .conftest import SeededTestCase


class IssuedReportKeptAsIssued(SeededTestCase):
    def setUp(self):
        # our own leader of the Board (the demo's leader may have a second factor to enter)
        self.leader = make_staff("lanhdao-bc", Role.LEADER, unit=self.agency.units.get(short_name="VP"))
        self.url = reverse("reports:cchc-issue", kwargs={"agency": "BQL", "year": 2021})

    def test_issued_report_is_kept_as_issued(self):
        import tempfile

        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            self.client.force_login(self.leader)
            response = self.client.post(self.url)
            assert response.status_code == 302
            issued = IssuedReport.objects.get(agency=self.agency, year=2021)
            assert (issued.number, issued.period_end, issued.issued_by) == (1, date(2021, 12, 31), self.leader)
            docx, pdf = issued.docx.read(), issued.pdf.read()
            assert docx[:2] == b"PK" and pdf[:5] == b"%PDF-"
            assert hashlib.sha256(pdf).hexdigest() == issued.pdf_sha256
            assert hashlib.sha256(docx).hexdigest() == issued.docx_sha256
            figures = {f["key"]: f for f in issued.figures["figures"]}
            assert figures["one_stop"]["text"] == "46/46"
            assigned = figures["staff_filled"]["of"]
            entry = AuditLog.objects.filter(action="reports.cchc.issue").get()
            assert entry.changes["pdf_sha256"] == issued.pdf_sha256

            # the page lists it; the stored file is served as stored
            page = self.client.get(reverse("reports:cchc", kwargs={"agency": "BQL", "year": 2021})).content.decode()
            assert (
                "Báo cáo đã ban hành" in page
                and reverse("reports:cchc-issued-download", kwargs={"pk": issued.pk, "fmt": "pdf"}) in page
            )
            download = self.client.get(reverse("reports:cchc-issued-download", kwargs={"pk": issued.pk, "fmt": "pdf"}))
            assert b"".join(download.streaming_content) == pdf

            # records change: the live report moves, the issued copy does not
            quota = StaffQuota.objects.filter(unit__agency=self.agency, year=2021).first()
            StaffQuota.objects.filter(pk=quota.pk).update(assigned=quota.assigned + 5, filled=quota.filled)
            issued.refresh_from_db()
            assert {f["key"]: f for f in issued.figures["figures"]}["staff_filled"]["of"] == assigned
            with open(issued.pdf.path, "rb") as handle:
                assert handle.read() == pdf

            # immutable
            issued.figures = {}
            with pytest.raises(IssuedReportChangeError):
                issued.save()
            with pytest.raises(IssuedReportChangeError):
                IssuedReport.objects.filter(pk=issued.pk).update(year=2020)
            with pytest.raises(IssuedReportChangeError):
                issued.delete()
            with pytest.raises(IssuedReportChangeError):
                IssuedReport.objects.all().delete()

            # issuing again: a second copy, the first one stays
            assert self.client.post(self.url).status_code == 302
            assert list(
                IssuedReport.objects.filter(agency=self.agency, year=2021).order_by("number").values_list("number", flat=True)
            ) == [1, 2]
            second = IssuedReport.objects.get(agency=self.agency, year=2021, number=2)
            assert {f["key"]: f for f in second.figures["figures"]}["staff_filled"]["of"] == assigned + 5
            assert {f["key"]: f for f in IssuedReport.objects.get(pk=issued.pk).figures["figures"]}["staff_filled"][
                "of"
            ] == assigned

    def test_only_a_leader_of_the_agency_issues(self):
        import tempfile

        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            specialist = make_staff("chuyenvien-bc", Role.SPECIALIST, unit=self.agency.units.get(short_name="VP"))
            self.client.force_login(specialist)
            assert self.client.post(self.url).status_code == 403
            other = agency_create(
                actor=SYSTEM, name="Sở Nội vụ", short_name="SNV", code="H15.10", parent_name="Ủy ban nhân dân tỉnh"
            )
            self.client.force_login(
                make_staff(
                    "lanhdao-snv", Role.LEADER, unit=unit_create(actor=SYSTEM, agency=other, name="VP Sở", short_name="VPS")
                )
            )
            assert self.client.post(self.url).status_code in (403, 404)
            assert not IssuedReport.objects.exists()
            assert not AuditLog.objects.filter(action="reports.cchc.issue").exists()
