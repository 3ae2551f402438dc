import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiers.model import credit_code
from tiers.model.credit_code import CreditCodeError, validate


@pytest.mark.parametrize("code", ["91512081MA62K0260E", "912201011239989159"])
def test_published_codes_are_valid(code):
    assert validate(code) == code


def test_lower_case_and_spaces_are_normalised():
    assert validate(" 91512081ma62k0260e ") == "91512081MA62K0260E"
    assert validate("9151 2081 MA62 K026 0E") == "91512081MA62K0260E"
    assert validate("９１５１２０８１ＭＡ６２Ｋ０２６０Ｅ") == "91512081MA62K0260E"


def test_wrong_check_digit_is_refused_with_the_expected_one():
    with pytest.raises(CreditCodeError, match="第18位应为“E”"):
        validate("91512081MA62K0260F")


def test_a_typo_in_the_body_is_not_blamed_on_the_check_digit():
    """A typo in the middle made "第18位应为“7”": an officer changed the last character,
    and a valid code of another firm came out. The message says the code does not check
    and to look at all of it, keeping the precise figure."""
    typo = "91512081MA62K0360E"  # the 14th character mistyped
    with pytest.raises(CreditCodeError) as refused:
        validate(typo)
    message = str(refused.value)
    assert "校验不通过" in message and "按前17位" in message
    assert "请核对整个代码，不要只改最后一位" in message
    assert f"第18位应为“{credit_code._check_32100(typo)}”" in message


def test_standard_negative_example_is_refused():
    with pytest.raises(CreditCodeError):
        validate("91350100M000100Y4Z")


def test_bad_characters_are_named():
    with pytest.raises(CreditCodeError, match="I、O"):
        validate("91512081MA62K02I0E")


def test_wrong_length():
    with pytest.raises(CreditCodeError, match="18位，实为17位"):
        validate("91512081MA62K0260")


def test_empty():
    with pytest.raises(CreditCodeError, match="为空"):
        validate("  ")


def test_wrong_embedded_organisation_code_is_refused():
    # change the organisation code's check (pos 17) and recompute pos 18 so that only the
    # GB 11714 check can catch it
    first16 = "91512081MA62K026"
    wrong17 = first16 + "1"
    assert credit_code.check_char_11714("MA62K026") == "0"
    code = wrong17 + credit_code.check_char_32100(wrong17)
    with pytest.raises(CreditCodeError, match="组织机构代码"):
        validate(code)


def test_describe_reads_the_parts():
    info = credit_code.describe("91512081MA62K0260E")
    assert (info.authority, info.category, info.division_code) == ("市场监管（工商）", "企业", "512081")


@given(st.text(alphabet=credit_code.ALPHABET, min_size=8, max_size=8),
       st.sampled_from(["320412", "320583", "321302"]))
def test_made_codes_always_validate(org, county):
    code = credit_code.make("91" + county + org)
    assert credit_code.is_valid(code)
    # any single-character change of the last two positions breaks it
    broken = code[:17] + ("0" if code[17] != "0" else "1")
    assert not credit_code.is_valid(broken)


# --- valid_codes: a column at once, as validate() one by one ------------------------------

_ALPHABET = credit_code.ALPHABET


def _mutations(code: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.just(code), st.just(code.lower()), st.just(f" {code[:6]} {code[6:]}"),
        st.just(code[:17]), st.just(code + "0"),
        st.builds(lambda i, ch: code[:i] + ch + code[i + 1:],
                  st.integers(0, 17), st.sampled_from(_ALPHABET + "IOSVZ-ｘı")),
    )


made_codes = st.builds(lambda org, county, first: credit_code.make(f"{first}{county}{org}"),
                       st.text(_ALPHABET, min_size=8, max_size=8),
                       st.sampled_from(["320412", "320000", "110105"]),
                       st.sampled_from(["91", "92", "93", "94", "95", "9Y", "11", "14", "51",
                                        "N3", "Y1", "Y2", "A1"]))
cells = st.one_of(made_codes.flatmap(_mutations), st.text(max_size=20),
                  st.text(_ALPHABET, min_size=18, max_size=18))


@settings(max_examples=300, deadline=None)
@given(st.lists(cells, max_size=8))
def test_a_column_of_codes_is_read_as_validate_reads_each(raws):
    for raw, code in zip(raws, credit_code.valid_codes(raws), strict=True):
        try:
            expected = validate(raw)
        except CreditCodeError:
            assert code is None
            continue
        plain = len(raw) == 18 and raw.isascii() and raw.isalnum()
        # None only for a code validate() had to fold first (spaces, full width …)
        assert code == expected if plain else code in (None, expected)


def test_a_column_of_valid_codes_comes_back_as_it_is():
    codes = [credit_code.make(f"91320412{i:08d}") for i in range(50)]
    assert credit_code.valid_codes(codes) == codes
    assert credit_code.valid_codes([c.lower() for c in codes]) == codes
    broken = codes[3][:17] + ("1" if codes[3][17] == "0" else "0")
    assert credit_code.valid_codes([codes[0], broken, codes[5]]) == [codes[0], None, codes[5]]
    assert credit_code.valid_codes([]) == []


# --- the 2nd character (机构类别) by the 1st (登记管理部门): GB 32100-2015, domain.md §4 ---


def _code(first_two: str) -> str:
    return credit_code.make(first_two + "32041200000001")


def test_a_market_regulation_code_of_an_unknown_category_is_refused():
    """95…: registered by 市场监管 (9), whose categories are 1 企业, 2 个体工商户, 3 农民专业
    合作社 only. With both check characters valid it was taken as a new firm; such a code
    is made up or wrong twice (mod 31 catches a single typo)."""
    for code in ("95320412000000019H", _code("90"), _code("9A"), _code("9Y")):
        with pytest.raises(CreditCodeError) as refused:
            validate(code)
        message = str(refused.value)
        assert f"第2位机构类别代码“{code[1]}”无效" in message
        assert "第2位应为1、2或3" in message and code in message
        assert not credit_code.is_valid(code)


@pytest.mark.parametrize("first_two", ["91", "92", "93", "11", "12", "13", "19", "51", "53",
                                       "59", "31", "35", "N1", "N3", "A1", "A9", "Y1",
                                       # not in the third-party table: a warning, not refused
                                       "14", "Y2", "A5", "81"])
def test_other_pairs_validate(first_two):
    assert validate(_code(first_two)) == _code(first_two)


def test_an_enterprise_code_has_nothing_to_say():
    assert credit_code.kind_warning("91512081MA62K0260E") is None


@pytest.mark.parametrize(("first_two", "words"), [
    ("92", "个体工商户"), ("93", "农民专业合作社"), ("11", "机关"), ("51", "社会团体"),
    ("52", "民办非企业单位"), ("N2", "村级")])
def test_a_code_of_no_enterprise_is_said(first_two, words):
    said = credit_code.kind_warning(_code(first_two))
    assert said.startswith("不是企业的代码：") and words in said
    assert "梯度认定要求企业法人" in said and _code(first_two) in said


@pytest.mark.parametrize(("first_two", "expected"), [
    ("14", "1、2、3或9"), ("Y2", "1"), ("A5", "1或9"), ("37", "1、2、3、4、5或9")])
def test_an_unknown_pair_of_another_authority_is_said(first_two, expected):
    said = credit_code.kind_warning(_code(first_two))
    assert f"第2位机构类别代码“{first_two[1]}”" in said and f"第2位应为{expected}" in said
    assert "请核对" in said and "梯度认定要求企业法人" in said


def test_describe_names_the_category_by_the_authority():
    assert credit_code.describe(_code("92")).category == "个体工商户"
    assert credit_code.describe(_code("12")).category == "事业单位"
    assert credit_code.describe(_code("14")).category == "未知类别（4）"


def test_a_column_refuses_an_unknown_market_regulation_category():
    codes = [credit_code.make(f"91320412{i:08d}") for i in range(50)]
    odd = [_code("92"), _code("93"), _code("14"), _code("Y2")]
    assert credit_code.valid_codes(codes + odd) == codes + odd
    assert credit_code.valid_codes([codes[0], "95320412000000019H", codes[1]]) == [
        codes[0], None, codes[1]]
    assert credit_code.valid_codes(["95320412000000019h", " " + codes[2]]) == [None, None]
