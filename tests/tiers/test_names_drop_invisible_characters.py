"""Names lose the characters nobody sees (controls, bidi overrides, zero-width ones) before
they are stored or keyed: the same firm keeps one key, a terminal gets no escape codes."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from tiers.model.names import (
    INVISIBLE,
    clean_display,
    clean_displays,
    drop_invisible,
    has_invisible,
    name_key,
)
from tiers.model.orm import Enterprise
from tiers.services import enterprises

CLEAN = "常州甲科技有限公司"
# each one hidden in the middle of the name
HIDDEN = {
    "BEL": "\x07", "ESC[31m": "\x1b[31m", "NUL": "\x00", "DEL": "\x7f", "C1 CSI": "\x9b",
    "RLO U+202E": "\u202e", "LRE U+202A": "\u202a", "LRI U+2066": "\u2066",
    "PDI U+2069": "\u2069", "LRM U+200E": "\u200e", "RLM U+200F": "\u200f",
    "ZWSP U+200B": "\u200b", "ZWNJ U+200C": "\u200c", "ZWJ U+200D": "\u200d",
    "WJ U+2060": "\u2060", "BOM U+FEFF": "\ufeff", "soft hyphen": "\xad",
}


def hidden_in(name: str, hidden: str) -> str:
    return name[:2] + hidden + name[2:] + hidden


@pytest.mark.parametrize("hidden", HIDDEN.values(), ids=HIDDEN.keys())
def test_a_name_with_an_invisible_character_is_cleaned_and_keyed_as_the_clean_name(hidden):
    dirty = hidden_in(CLEAN, hidden)
    assert clean_display(dirty) == CLEAN
    assert name_key(dirty) == name_key(CLEAN)
    assert clean_displays([dirty, CLEAN]) == [CLEAN, CLEAN]
    assert has_invisible(dirty) and drop_invisible(dirty) == CLEAN


def test_the_pattern_is_every_control_and_format_character_but_white_space():
    """Written out for speed at import: it must still be what unicodedata says."""
    wanted = {chr(c) for c in range(sys.maxunicode + 1)
              if unicodedata.category(chr(c)) in ("Cc", "Cf") and not chr(c).isspace()}
    matched = {chr(c) for c in range(sys.maxunicode + 1) if INVISIBLE.fullmatch(chr(c))}
    assert matched == wanted


def test_white_space_and_visible_text_are_left_to_the_usual_cleaning():
    assert clean_display(" 常州 甲\t科技\u3000有限公司\n") == CLEAN
    assert not has_invisible("常州甲科技（集团）有限公司 [1]")
    assert drop_invisible("常州\u200b甲\x1b[1;31m科技") == "常州甲科技"


def test_a_name_of_invisible_characters_only_is_empty(session, code):
    assert clean_display("\u200b\u202e\x07") == ""
    with pytest.raises(enterprises.ValidationError):
        enterprises.create(session, {"credit_code": code(1), "name": "\u200b\u2060"})


@pytest.mark.parametrize("hidden", HIDDEN.values(), ids=HIDDEN.keys())
def test_the_service_stores_names_and_former_names_cleaned(session, code, hidden):
    firm = enterprises.create(session, {"credit_code": code(1), "name": hidden_in(CLEAN, hidden)})
    assert (firm.name, firm.name_key) == (CLEAN, name_key(CLEAN))
    enterprises.update(session, firm.id, {"name": hidden_in("江苏乙机械有限公司", hidden)})
    session.flush()
    stored = session.get(Enterprise, firm.id)
    assert stored.name == "江苏乙机械有限公司"
    assert [(f.name, f.name_key) for f in stored.former_names] == [(CLEAN, name_key(CLEAN))]
    enterprises.add_former_name(session, firm.id, hidden_in(CLEAN, hidden))  # the same one
    enterprises.add_former_name(session, firm.id, hidden_in("武进丙电子厂", hidden))
    session.flush()
    assert sorted(f.name for f in stored.former_names) == sorted([CLEAN, "武进丙电子厂"])
