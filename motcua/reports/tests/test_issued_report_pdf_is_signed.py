"""An issued CCHC report's stored PDF carries the issuing leader's signature and the agency seal (PAdES, both
intact and valid, trusted by the test CA) when their keys are configured; without a usable key it is stored
unsigned and says so."""

import os
import tempfile

from django.test import override_settings

from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM
from motcua.documents import services as documents
from motcua.documents import signing
from motcua.documents.testpki import create_test_pki
from motcua.reports.services import cchc_report_issue

from .conftest import SeededTestCase


class IssuedReportPdfIsSigned(SeededTestCase):
    def test_issued_report_pdf_is_signed_by_the_leader_and_the_seal(self):
        with tempfile.TemporaryDirectory() as folder, override_settings(MEDIA_ROOT=folder + "/media"):
            pki = create_test_pki(folder + "/pki")
            leader_p12 = pki.issue("Lê Quang Hưng", passphrase="leader-pass", filename="leader.p12")
            seal_p12 = pki.issue("Ban Quản lý Khu kinh tế tỉnh", passphrase="seal-pass", filename="seal.p12")
            leader = make_staff("lanhdao-ky", Role.LEADER, unit=self.agency.units.get(short_name="VP"))
            documents.signing_identity_set(
                actor=SYSTEM,
                agency=self.agency,
                user=leader,
                pkcs12_path=str(leader_p12),
                passphrase_env="MOTCUA_TEST_REPORT_LEADER",
                display_name="Lê Quang Hưng",
            )
            documents.signing_identity_set(
                actor=SYSTEM,
                agency=self.agency,
                pkcs12_path=str(seal_p12),
                passphrase_env="MOTCUA_TEST_REPORT_SEAL",
                display_name="Ban Quản lý Khu kinh tế tỉnh",
            )

            unsigned = cchc_report_issue(actor=leader, agency=self.agency, year=2021)  # no passphrase in the environment
            assert unsigned.signed_by == ""
            assert signing.verify_pdf_bytes(unsigned.pdf.read()) == []

            os.environ["MOTCUA_TEST_REPORT_LEADER"], os.environ["MOTCUA_TEST_REPORT_SEAL"] = "leader-pass", "seal-pass"
            try:
                issued = cchc_report_issue(actor=leader, agency=self.agency, year=2021)
            finally:
                del os.environ["MOTCUA_TEST_REPORT_LEADER"], os.environ["MOTCUA_TEST_REPORT_SEAL"]
            assert issued.signed_by == "Lê Quang Hưng; Ban Quản lý Khu kinh tế tỉnh"
            results = signing.verify_pdf_bytes(issued.pdf.read(), trust_roots=signing.load_certificates([pki.ca_pem]))
            assert len(results) == 2
            assert all(r.intact and r.valid and r.trusted for r in results)
