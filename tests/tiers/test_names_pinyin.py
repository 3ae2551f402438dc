from tiers.names import clean_display, name_key
from tiers.pinyin import initials


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
