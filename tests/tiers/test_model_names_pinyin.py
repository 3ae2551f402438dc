from tiers.model.names import clean_display, name_key
from tiers.model.pinyin import initials


def test_brackets_spaces_and_full_width_fold_to_one_key():
    spellings = ["江苏恒立（常州）液压有限公司", "江苏恒立(常州)液压有限公司",
                 " 江苏恒立 （常州）液压有限公司\u3000", "江苏恒立〔常州〕液压有限公司"]
    assert len({name_key(s) for s in spellings}) == 1


def test_full_width_digits_and_letters():
    assert name_key("常州ＡＢＣ１２３科技有限公司") == name_key("常州abc123科技有限公司")


def test_display_name_uses_official_full_width_brackets_and_no_spaces():
    assert clean_display(" 江苏恒立(常州)\u3000液压有限公司 ") == "江苏恒立（常州）液压有限公司"


def test_pinyin_initials():
    assert initials("常州恒立") == "czhl"
    assert initials("江苏ABC科技") == "jsabckj"
    assert initials("") == ""


def test_the_fast_tables_agree_with_the_full_way_on_every_character():
    """initials and sort_key try a plain table first and fall back to the full rules for a
    character it does not know: over every BMP character, and names mixing them, the
    result is the full rules' result."""
    from tiers.model import pinyin

    full_initials, full_sort = pinyin._translation(), pinyin._sort_translation()
    characters = [chr(c) for c in range(32, 0x10000) if not 0xD800 <= c < 0xE000]
    for ch in characters:
        assert pinyin.initials(ch) == ch.translate(full_initials), hex(ord(ch))
        assert pinyin.sort_key(ch) == ch.translate(full_sort), hex(ord(ch))
    for start in range(0, len(characters), 997):
        text = "常州" + "".join(characters[start:start + 12]) + "有限公司"
        assert pinyin.initials(text) == text.translate(full_initials)
        assert pinyin.sort_key(text) == text.translate(full_sort)
