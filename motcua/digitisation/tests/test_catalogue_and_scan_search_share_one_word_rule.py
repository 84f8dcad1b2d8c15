"""The public catalogue search and the staff search inside scanned papers answer by one word rule
(core.text: search_words and words_q): the same text in a procedure's name and on a scanned page is found, or not,
by the same queries — typed with or without diacritics, with punctuation or apostrophes (which cannot reach the
PostgreSQL full-text query as syntax) — and a NUL character in the query is a 400 at both pages, never a 500.
Same on SQLite (LIKE) and PostgreSQL (GIN full text)."""

import pytest
from django.core.cache import cache

from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import version_search_text
from motcua.core.testing import pdf_bytes
from motcua.core.text import search_text, search_words, words_q
from motcua.digitisation import services
from motcua.digitisation.models import OcrPage
from motcua.digitisation.selectors import dossier_text_search

from .conftest import canned_run, received_with_scan

pytestmark = pytest.mark.django_db

TEXT = "Giấy chứng nhận đăng ký đầu tư (điều chỉnh) của Công ty O'Hara"

# query → found (every word starts a word of the text)
QUERIES = {
    "dau tu": True,
    "ĐẦU TƯ": True,
    "Đầu t": True,  # the last word may be unfinished
    "giay DAU": True,  # any order
    "(điều chỉnh)": True,  # punctuation is no word
    "o'hara": True,  # the apostrophe splits: "o" and "hara" each start a word
    "'đầu' & 'tư'": True,  # quotes and operators of tsquery are only spaces here
    "dau' | 'xay": False,  # not an OR: "xay" starts no word of the text
    "au tu": False,  # a word must start with what is typed
    "đầu tư xây dựng": False,  # every word must be there
}


def test_search_words_drop_diacritics_punctuation_and_apostrophes():
    assert search_words("ĐẦU TƯ (điều chỉnh), O'Hara!") == ["dau", "tu", "dieu", "chinh", "o", "hara"]
    assert search_words("1.009664") == ["1.009664"]  # dots stay, for codes
    assert search_words("'%&") == [] and search_words("...") == [] and search_words(None) == []
    assert search_text(TEXT) == "giay chung nhan dang ky dau tu dieu chinh cua cong ty o hara"


def test_words_q_refuses_raw_text():
    with pytest.raises(ValueError):
        words_q(["dau'"], model=OcrPage)


@pytest.fixture
def same_text_in_both(world, monkeypatch):
    cache.clear()  # the public search remembers answers per URL
    version = world.version
    version.name = TEXT
    version.search_text = version_search_text(name=TEXT, code=version.procedure.code)
    version.save(update_fields=["name", "search_text"])
    dossier = received_with_scan(world, pdf_bytes(1, "scan"))
    monkeypatch.setattr(services, "run_ocr", canned_run(TEXT))
    services.ocr_run_due()
    yield world, dossier
    cache.clear()


def test_the_same_queries_find_the_same_text_in_the_catalogue_and_in_scans(same_text_in_both):
    world, dossier = same_text_in_both
    code = world.version.procedure.code
    for query, found in QUERIES.items():
        words = search_words(query)
        in_catalogue = ProcedureVersion.objects.filter(pk=world.version.pk).filter(words_q(words, model=ProcedureVersion))
        on_pages = OcrPage.objects.filter(job__dossier=dossier).filter(words_q(words, model=OcrPage))
        assert (in_catalogue.exists(), on_pages.exists()) == (found, found), query
        # The two searches themselves (the selectors behind the pages) answer alike.
        catalogue_codes = [v.procedure.code for v in catalog_selectors.procedure_search(query=query)]
        assert (code in catalogue_codes) is found, query
        assert ([h.dossier_code for h in dossier_text_search(user=world.officer, q=query)] == [dossier.code]) is found, query


def test_both_pages_answer_apostrophes_and_refuse_nul_with_400(same_text_in_both, client):
    world, dossier = same_text_in_both
    code = world.version.procedure.code
    page = client.get("/thu-tuc/", {"q": "o'hara đầu tư"})
    assert page.status_code == 200 and f"/thu-tuc/{code}/" in page.content.decode()
    assert client.get("/thu-tuc/", {"q": "dau\x00tu"}).status_code == 400
    client.force_login(world.officer)
    page = client.get("/staff/so-hoa/tim-kiem/", {"q": "o'hara đầu tư"})
    assert page.status_code == 200 and dossier.code in page.content.decode()
    assert client.get("/staff/so-hoa/tim-kiem/", {"q": "dau\x00tu"}).status_code == 400
