"""Fixtures of the documents tests: a throwaway PKI built at test time (never committed), the Board
with its units, one user per role, registers and signing identities."""

import pytest

from motcua.core.models import Agency, Unit
from motcua.core.roles import Role
from motcua.core.testing import make_staff
from motcua.core.transitions import SYSTEM
from motcua.documents import services
from motcua.documents.models import DocumentType, RegisterKind
from motcua.documents.testpki import create_test_pki

PASS_ENV_LEADER = "MOTCUA_TEST_P12_LEADER"
PASS_ENV_SEAL = "MOTCUA_TEST_P12_SEAL"


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    ca = create_test_pki(folder)
    ca.leader_p12 = ca.issue("Lê Quang Hưng", passphrase="leader-pass", filename="leader.p12")
    ca.seal_p12 = ca.issue("Ban Quản lý Khu kinh tế tỉnh", passphrase="seal-pass", filename="seal.p12")
    return ca


@pytest.fixture
def pki_env(pki, monkeypatch, settings):
    monkeypatch.setenv(PASS_ENV_LEADER, "leader-pass")
    monkeypatch.setenv(PASS_ENV_SEAL, "seal-pass")
    settings.MOTCUA_TRUST_CA_FILES = str(pki.ca_pem)
    return pki


@pytest.fixture
def agency(db):
    return Agency.objects.create(name="Ban Quản lý Khu kinh tế tỉnh", short_name="BQL", code="H15.50", province="Tỉnh")


@pytest.fixture
def other_agency(db):
    return Agency.objects.create(name="Sở Kế hoạch và Đầu tư", short_name="SKHĐT", code="H15.20", province="Tỉnh")


@pytest.fixture
def units(agency):
    return {
        short: Unit.objects.create(agency=agency, name=name, short_name=short)
        for name, short in [("Văn phòng", "VP"), ("Phòng Quản lý đầu tư", "QLĐT"), ("Phòng Quản lý doanh nghiệp", "QLDN")]
    }


@pytest.fixture
def clerk(units):
    return make_staff("vanthu", Role.CLERK, unit=units["VP"])


@pytest.fixture
def leader(units):
    user = make_staff("lanhdao", Role.LEADER, unit=units["VP"])
    user.position = "Phó Trưởng ban"
    user.save(update_fields=["position"])
    return user


@pytest.fixture
def specialist(units):
    return make_staff("chuyenvien", Role.SPECIALIST, unit=units["QLĐT"])


@pytest.fixture
def registers(agency):
    return {
        "in": services.register_create(actor=SYSTEM, agency=agency, kind=RegisterKind.INCOMING, name="Sổ văn bản đến"),
        "in_secret": services.register_create(
            actor=SYSTEM, agency=agency, kind=RegisterKind.INCOMING, name="Sổ văn bản đến mật", is_secret=True
        ),
        "out": services.register_create(actor=SYSTEM, agency=agency, kind=RegisterKind.OUTGOING, name="Sổ văn bản đi"),
        "out_secret": services.register_create(
            actor=SYSTEM, agency=agency, kind=RegisterKind.OUTGOING, name="Sổ văn bản đi mật", is_secret=True
        ),
    }


@pytest.fixture
def types(db):
    return {t.code: t for t in DocumentType.objects.all()}


@pytest.fixture
def identities(pki_env, agency, leader):
    services.signing_identity_set(
        actor=SYSTEM,
        agency=agency,
        user=leader,
        pkcs12_path=str(pki_env.leader_p12),
        passphrase_env=PASS_ENV_LEADER,
        display_name="Lê Quang Hưng",
    )
    services.signing_identity_set(
        actor=SYSTEM,
        agency=agency,
        pkcs12_path=str(pki_env.seal_p12),
        passphrase_env=PASS_ENV_SEAL,
        display_name="Ban Quản lý Khu kinh tế tỉnh",
    )
    return pki_env
