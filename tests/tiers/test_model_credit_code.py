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


made_codes = st.builds(lambda org, county, first: credit_code.make(f"{first}1{county}{org}"),
                       st.text(_ALPHABET, min_size=8, max_size=8),
                       st.sampled_from(["320412", "320000", "110105"]),
                       st.sampled_from("9159NYA"))
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
