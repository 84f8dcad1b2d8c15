"""Fixtures of the electronic results tests: a decided dossier of one agency, its leader's and the agency
seal's signing identities from the throwaway test PKI of the documents tests (built at test time)."""

import pytest

from motcua.core.testing import pdf_bytes
from motcua.core.transitions import SYSTEM
from motcua.documents import services as doc_services
from motcua.documents.tests.conftest import PASS_ENV_LEADER, PASS_ENV_SEAL, pki, pki_env  # noqa: F401 - fixtures
from motcua.dossiers.tests.factories import World, receive
from motcua.dossiers.transitions import dossier_decide, dossier_forward

SITE = "https://dvc.example.gov.vn"


def decided(world: World):
    d = receive(world, channel="counter")
    d = dossier_forward(dossier=d, actor=world.boss)
    return dossier_decide(dossier=d, actor=world.boss, outcome="approved")


def with_identities(world: World, ca) -> World:
    world.leader.position = "Phó Trưởng ban"
    world.leader.save(update_fields=["position"])
    doc_services.signing_identity_set(
        actor=SYSTEM,
        agency=world.agency,
        user=world.leader,
        pkcs12_path=str(ca.leader_p12),
        passphrase_env=PASS_ENV_LEADER,
        display_name="Lê Quang Hưng",
    )
    doc_services.signing_identity_set(
        actor=SYSTEM,
        agency=world.agency,
        pkcs12_path=str(ca.seal_p12),
        passphrase_env=PASS_ENV_SEAL,
        display_name=world.agency.name,
    )
    return world


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    return SITE


@pytest.fixture
def world(db, pki_env, site):  # noqa: F811 - the fixture
    return with_identities(World(), pki_env)


@pytest.fixture
def dossier(world):
    return decided(world)


class Upload:
    """A file-like upload for the services (name, size, read, seek)."""

    def __init__(self, data: bytes, name: str = "quyet-dinh.pdf"):
        import io

        self._io = io.BytesIO(data)
        self.name = name
        self.size = len(data)

    def read(self, *a):
        return self._io.read(*a)

    def seek(self, *a):
        return self._io.seek(*a)


def decision_pdf(text: str = "Quyết định") -> bytes:
    return pdf_bytes(1, text)
