"""Masking of personal data on public pages."""

from motcua.core.masking import mask_email, mask_id, mask_name, mask_phone


def test_names_keep_the_first_word_and_initials():
    assert mask_name("Nguyễn Văn An") == "Nguyễn V** A*"
    assert mask_name("  Lê   Thị  Hồng Nhung ") == "Lê T** H*** N****"
    assert mask_name("An") == "A**"
    assert mask_name("") == "Ẩn danh"


def test_numbers_show_only_their_last_three_digits():
    assert mask_id("042090012789") == "******789"
    assert mask_id("3001234567") == "******567"  # same width whatever the length
    assert mask_phone("0912 345 678") == "*******678"
    assert mask_email("an.nguyen@example.vn") == "a***@example.vn"
