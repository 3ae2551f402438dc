"""统一社会信用代码 (GB 32100-2015): normalisation and the two check digits.

The 18th character is a mod-31 check over the first 17 (GB 32100); characters 9-17 are the
organisation code of GB 11714, whose 9th character is a mod-11 check over the 8 before it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import repeat
from operator import eq, getitem, itemgetter, mod, mul

from tiers.errors import InvalidInput

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I, O, Z, S, V
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_ALLOWED = frozenset(ALPHABET)
_WEIGHTS_32100 = [pow(3, i, 31) for i in range(17)]
_WEIGHTS_11714 = [3, 7, 9, 10, 5, 8, 4, 2]

_REGISTRATION_AUTHORITIES = {
    "1": "机构编制", "2": "外交", "3": "司法行政", "4": "文化", "5": "民政", "6": "旅游",
    "7": "宗教", "8": "工会", "9": "市场监管（工商）", "A": "中央军委改革和编制办公室",
    "N": "农业", "Y": "其他",
}
# 机构类别 (the 2nd character) by 登记管理部门 (the 1st), as domain.md §4 gives GB 32100-2015
# (from a third-party page: only 9's is enforced; another authority's unknown category is
# said on import, not refused). Names where the page gives them.
_CATEGORIES = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "2": {"1": "", "9": "其他"},
    "3": {"1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构",
          "5": "仲裁委员会", "9": "其他"},
    "4": {"1": "", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "6": {"1": "", "2": "", "9": "其他"},
    "7": {"1": "", "2": "", "9": "其他"},
    "8": {"1": "", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "A": {"1": "军队事业单位", "9": "其他"},
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织",
          "9": "其他"},
    "Y": {"1": ""},
}
ENTERPRISE = "91"  # 市场监管登记的企业: the firms the tiers are for
# the first two characters validate() takes: any category of another authority, 9's own
_FIRST_TWO = frozenset(a + b for a in _REGISTRATION_AUTHORITIES for b in ALPHABET
                       if a != "9" or b in _CATEGORIES["9"])


class CreditCodeError(InvalidInput):
    """A credit code that fails GB 32100; the message is for the user, in Chinese."""


def normalise(raw: str | None) -> str:
    """Upper case, full-width folded to ASCII, all whitespace, hyphens and invisible
    characters removed (a zero-width space or byte-order mark pasted with a code from a web
    page is not a character the officer sees: keeping it made a valid code "19 位")."""
    if raw is None:
        return ""
    text = unicodedata.normalize("NFKC", str(raw))
    if text.isascii() and text.isalnum():  # the common case, nothing to remove (fast path)
        return text.upper()
    return "".join(ch for ch in text
                   if ch.isprintable() and not ch.isspace() and ch not in "-－").upper()


# per position, each symbol's value times the position's weight: the weighted sum is then
# one dict look-up per character, all in C (sum over map), 3× faster than a generator
_WEIGHED_32100 = tuple({ch: _VALUE[ch] * w for ch in ALPHABET} for w in _WEIGHTS_32100)
_LOOKUP = dict.__getitem__


def check_char_32100(first17: str) -> str:
    if len(first17) != 17:
        raise ValueError("check_char_32100 takes the first 17 characters")
    return _check_32100(first17)


def _check_32100(code: str) -> str:
    """The 18th character for a code's first 17 (more may follow: map stops at the 17th
    weight table), all in ALPHABET."""
    return ALPHABET[(31 - sum(map(_LOOKUP, _WEIGHED_32100, code)) % 31) % 31]


def _value_11714(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


_VALUE_11714 = {ch: _value_11714(ch) for ch in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_ALLOWED_11714 = frozenset(_VALUE_11714)


_WEIGHED_11714 = tuple({ch: v * w for ch, v in _VALUE_11714.items()} for w in _WEIGHTS_11714)


def check_char_11714(first8: str) -> str:
    if len(first8) != 8:
        raise ValueError("check_char_11714 takes the first 8 characters")
    if _ALLOWED_11714.issuperset(first8):
        return _check_11714(first8)
    total = sum(_value_11714(ch) * w for ch, w in zip(first8, _WEIGHTS_11714, strict=True))
    return _CHECK_11714[total % 11]


def _check_11714(organisation: str) -> str:
    """The organisation code's 9th character for its first 8 (more may follow), all
    digits or capitals."""
    return _CHECK_11714[sum(map(_LOOKUP, _WEIGHED_11714, organisation)) % 11]


# the check character by the weighted sum mod 11: 11 - r, written X for 10 and 0 for 11
_CHECK_11714 = tuple({10: "X", 11: "0"}.get(11 - r, str(11 - r)) for r in range(11))


@dataclass(frozen=True)
class CreditCodeInfo:
    code: str
    authority: str
    category: str
    division_code: str  # of the registering authority, not necessarily today's location


def validate(raw: str | None) -> str:
    """Return the normalised code or raise CreditCodeError saying what is wrong."""
    if type(raw) is str and len(raw) == 18 and raw.isascii() and raw.isalnum():
        code = raw.upper()  # the common case: nothing to fold or remove
    else:
        code = normalise(raw)
    if not code:
        raise CreditCodeError("统一社会信用代码为空")
    if len(code) != 18:
        raise CreditCodeError(f"统一社会信用代码应为18位，实为{len(code)}位：{code}")
    if not _ALLOWED.issuperset(code):
        bad = sorted({ch for ch in code if ch not in _VALUE})
        raise CreditCodeError(
            f"统一社会信用代码含有不允许的字符 {'、'.join(bad)}（不使用 I、O、Z、S、V）：{code}"
        )
    if code[0] not in _REGISTRATION_AUTHORITIES:
        raise CreditCodeError(f"统一社会信用代码第1位登记管理部门代码“{code[0]}”无效：{code}")
    if code[:2] not in _FIRST_TWO:  # 9 with another 2nd character: made up, or wrong twice
        raise CreditCodeError(
            f"统一社会信用代码第2位机构类别代码“{code[1]}”无效：第1位为9（市场监管登记）时，"
            f"第2位应为1、2或3（企业、个体工商户、农民专业合作社）：{code}"
        )
    expected = _check_32100(code)
    if code[17] != expected:
        raise CreditCodeError(
            f"统一社会信用代码校验不通过（校验位错误：按前17位，第18位应为“{expected}”，"
            f"实为“{code[17]}”）；错处可能在任何一位，请核对整个代码，不要只改最后一位：{code}"
        )
    organisation = code[8:17]
    if _ALLOWED_11714.issuperset(organisation[:8]):
        expected_org = _check_11714(organisation)
        if organisation[8] != expected_org:
            raise CreditCodeError(
                f"统一社会信用代码中的组织机构代码（第9–17位）校验不通过（校验位错误：按第9–16位，"
                f"第17位应为“{expected_org}”，实为“{organisation[8]}”）；错处可能在这几位中的任何一位，"
                f"请核对整个代码，不要只改第17位：{code}"
            )
    return code


def is_valid(raw: str | None) -> bool:
    try:
        validate(raw)
    except CreditCodeError:
        return False
    return True


def describe(raw: str) -> CreditCodeInfo:
    code = validate(raw)
    authority = _REGISTRATION_AUTHORITIES[code[0]]
    return CreditCodeInfo(code=code, authority=authority, category=_category(code),
                          division_code=code[2:8])


def _category(code: str) -> str:
    name = _CATEGORIES[code[0]].get(code[1])
    if name is None:
        return f"未知类别（{code[1]}）"
    return name or f"类别{code[1]}"


def _listed(characters: list[str]) -> str:
    return characters[0] if len(characters) == 1 else (
        "、".join(characters[:-1]) + "或" + characters[-1])


def known_category(code: str) -> bool:
    """Whether the table knows the 2nd character of a valid code for its authority."""
    return code[1] in _CATEGORIES[code[0]]


def kind_warning(code: str) -> str | None:
    """What an import says of a valid code that is not an enterprise's (91…): a 个体工商户,
    a 机关, a 社会团体 … (they may carry support measures, so it is not refused), or a 2nd
    character the table does not know for its authority (the table is a third-party
    page's: said, not refused). None for an enterprise's code."""
    if code[:2] == ENTERPRISE:
        return None
    authority = _REGISTRATION_AUTHORITIES[code[0]]
    categories = _CATEGORIES[code[0]]
    if not known_category(code):
        return (f"统一社会信用代码第2位机构类别代码“{code[1]}”不在已知的类别中：第1位为"
                f"{code[0]}（{authority}登记）时，第2位应为{_listed(sorted(categories))}，"
                f"请核对；这也不是企业的代码，梯度认定要求企业法人：{code}")
    category = _category(code)
    what = f"{authority}登记的{category if category != '其他' else '其他组织'}"
    return (f"不是企业的代码：{code} 是{what}（第1–2位“{code[:2]}”；企业为“91”），"
            "梯度认定要求企业法人")


def make(prefix17_without_org_check: str) -> str:
    """Complete a 16-character stem (authority, category, division, 8 org chars) into a
    valid 18-character code by adding both check characters. Used by the demo and tests."""
    stem = normalise(prefix17_without_org_check)
    if len(stem) != 16:
        raise ValueError("stem must have 16 characters")
    first17 = stem + check_char_11714(stem[8:16])
    return first17 + check_char_32100(first17)


# --- a column of codes at once ----------------------------------------------------------
# The weighted sums as integers read in another base, so that C does the arithmetic:
# GB 32100's weights are 3^i mod 31 and 34 ≡ 3 (mod 31), so Σ v_i·3^i ≡ int(the 17
# values reversed, written as base-34 digits, 34) (mod 31); GB 11714's are 2^(8-i) mod 11
# and 35 ≡ 2 (mod 11), so Σ v_i·w_i ≡ 2·int(the 8 characters, 35) (mod 11), a code's
# characters being base-35 digits already (Y, the largest, is 34).
_AS_BASE_34 = str.maketrans(ALPHABET, "0123456789ABCDEFGHIJKLMNOPQRSTU")
_ORGANISATION_8 = slice(8, 16)
_CHECK_BY_SUM_32100 = tuple(ALPHABET[(31 - r) % 31] for r in range(31))
_CODES = re.compile(f"[{ALPHABET}]*")
_FIRST_TWO_SLICE = slice(0, 2)


def valid_codes(raws: list[str]) -> list[str | None]:
    """validate() of many texts at once (an import's column): each one's code, or None
    where validate() would refuse it or fold it first (ask validate() for that one). In C
    loops over the column (measured: a third of a validate() call per code)."""
    codes = list(map(str.upper, raws))
    if not (set(map(len, raws)) == {18} and "".join(raws).isascii()
            and _CODES.fullmatch("".join(codes))):  # some odd ones: one by one
        return [code if len(raw) == 18 and raw.isascii() and _ALLOWED.issuperset(code)
                and _passes(code) else None for raw, code in zip(raws, codes, strict=True)]
    # all codes as base-34 digits, reversed: code k's first 17 characters, last first,
    # are the 17 after its check character there
    reversed_digits = "".join(codes).translate(_AS_BASE_34)[::-1]
    n = len(codes)
    sums = map(int, map(getitem, repeat(reversed_digits),
                        map(slice, range(18 * (n - 1) + 1, -1, -18), range(18 * n, 0, -18))),
               repeat(34))
    ok_32100 = map(eq, map(_CHECK_BY_SUM_32100.__getitem__, map(mod, sums, repeat(31))),
                   map(itemgetter(17), codes))
    organisations = map(int, map(getitem, codes, repeat(_ORGANISATION_8)), repeat(35))
    ok_11714 = map(eq, map(_CHECK_11714.__getitem__,
                           map(mod, map(mul, organisations, repeat(2)), repeat(11))),
                   map(itemgetter(16), codes))
    first_two = map(_FIRST_TWO.__contains__, map(getitem, codes, repeat(_FIRST_TWO_SLICE)))
    passed = list(map(all, zip(ok_32100, ok_11714, first_two, strict=True)))
    if all(passed):
        return codes
    return [code if ok else None for code, ok in zip(codes, passed, strict=True)]


def _passes(code: str) -> bool:
    """An upper-case code of 18 characters of the alphabet: both checks, the authority
    and (under 9) the category."""
    return (code[:2] in _FIRST_TWO and code[17] == _check_32100(code)
            and code[16] == _check_11714(code[8:17]))
