"""Decree 30 Annex I placement: the leader's box in the signature block at the bottom right of the last
page; the agency seal just left of it, never over it; on attachments the agency signature top right of
the first page."""

from io import BytesIO

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from motcua.documents import signing
from motcua.documents.samples import one_page_pdf

from .conftest import PASS_ENV_LEADER, PASS_ENV_SEAL


def widget_rects(data: bytes) -> dict[str, tuple[float, ...]]:
    reader = PdfFileReader(BytesIO(data))
    rects = {}
    for sig in reader.embedded_signatures:
        field = sig.sig_field
        rects[sig.field_name] = tuple(float(v) for v in field["/Rect"])
    return rects


@pytest.fixture
def signers(pki, monkeypatch):
    monkeypatch.setenv(PASS_ENV_LEADER, "leader-pass")
    monkeypatch.setenv(PASS_ENV_SEAL, "seal-pass")
    return (
        signing.load_signer(pki.leader_p12, passphrase_env=PASS_ENV_LEADER),
        signing.load_signer(pki.seal_p12, passphrase_env=PASS_ENV_SEAL),
    )


def _intersect(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_leader_box_and_seal_side_by_side_never_intersecting(signers):
    leader, seal = signers
    data = signing.sign_pdf_bytes(one_page_pdf(), signer=leader, options=signing.SignOptions(field_name="L"))
    data = signing.sign_pdf_bytes(data, signer=seal, options=signing.SignOptions(kind="seal", field_name="S"))
    rects = widget_rects(data)
    lx1, ly1, lx2, ly2 = rects["L"]
    sx1, sy1, sx2, sy2 = rects["S"]
    width, height = 595, 842
    assert lx1 > width / 2 and lx2 <= width and ly2 < height / 3  # bottom right
    assert not _intersect(rects["L"], rects["S"])
    assert 0 < lx1 - sx2 <= 10 and sx1 >= 0  # just left of the leader's box, on the page
    assert abs((sy1 + sy2) / 2 - (ly1 + ly2) / 2) < 1  # level with it


def test_the_intersection_check_sees_an_overlap():
    assert _intersect((330, 105, 550, 177), (263, 98, 403, 184))
    assert not _intersect((330, 105, 550, 177), (184, 98, 324, 184))


def test_attachment_signature_top_right(signers):
    _, seal = signers
    data = signing.sign_pdf_bytes(one_page_pdf(), signer=seal, options=signing.SignOptions(kind="attachment", field_name="A"))
    x1, y1, x2, y2 = widget_rects(data)["A"]
    assert x1 > 595 / 2 and y1 > 842 * 3 / 4
