from motcua.core.text import normalize


def test_search_text_ignores_diacritics_and_case():
    assert normalize("ĐẦU TƯ") == normalize("đầu tư") == normalize("dau tu") == "dau tu"
    assert normalize("  Giấy   chứng nhận\n") == "giay chung nhan"
    assert normalize(None) == ""
