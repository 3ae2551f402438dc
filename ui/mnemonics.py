"""Alt letters for a form's labels, so that a keyboard user jumps to a field with Alt+letter:
营业收入（万元）(&Y), each letter used once in the form. The letter is the pinyin initial of
one of the label's own characters where one is free (营 → Y, 收 → S), else another letter
of its syllables, else any free letter, then a digit; a form with more fields than that
(none has) leaves the rest without one. Assigned in the form's order, so the first fields
get their own initials."""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence

from PySide6.QtWidgets import QLabel, QWidget

from tiers.model import pinyin

_SPARE = string.ascii_lowercase + "123456789"


def _wanted(label: str) -> list[str]:
    """The letters a label would like, best first: its characters' initials (an ASCII
    letter counts as itself), then the other letters of their syllables."""
    initials = [ch for ch in pinyin.initials(label) if ch.isalpha()]
    syllables = [ch for ch in pinyin.sort_key(label) if ch in string.ascii_lowercase]
    return initials + syllables


def letters_for(labels: Sequence[str], taken: Iterable[str] = ()) -> list[str]:
    """The Alt letter of each label (upper case; "" when none is left), each used once,
    none of ``taken``: the pinyin initial of one of its characters where one is free."""
    used = {letter.lower() for letter in taken}
    out = []
    for label in labels:
        letter = next((ch for ch in [*_wanted(label), *_SPARE] if ch not in used), None)
        if letter is not None:
            used.add(letter)
        out.append(letter.upper() if letter is not None else "")
    return out


def with_mnemonics(labels: Sequence[str], taken: Iterable[str] = ()) -> list[str]:
    """Each label with its Alt letter appended as Chinese programs write it (年度(&N));
    ``taken`` are letters the window already uses (its buttons')."""
    out = []
    for label, letter in zip(labels, letters_for(labels, taken), strict=True):
        plain = label.replace("&", "&&")  # an & of the label's own is shown, not a shortcut
        out.append(f"{plain}(&{letter})" if letter else plain)
    return out


def buddy_label(text: str, field: QWidget) -> QLabel:
    """A form label whose Alt letter puts the focus in ``field`` (QFormLayout.addRow makes
    a buddy only when the field is a single widget, not a field with its message below)."""
    label = QLabel(text)
    label.setBuddy(field)
    return label
