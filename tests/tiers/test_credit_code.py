import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiers import credit_code
from tiers.credit_code import CreditCodeError, validate


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
