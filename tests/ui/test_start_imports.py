"""Nothing heavy is imported before it is needed: the client's window opens without the
importers, the demo generator, pypinyin or Alembic; a pinyin key needs pypinyin's
per-character dictionary only, not its phrase dictionary."""

from __future__ import annotations

import subprocess
import sys


def imported_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys; print(' '.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, env={"QT_QPA_PLATFORM": "offscreen",
                                           "PATH": "/usr/bin:/bin"})
    return set(done.stdout.split())


def test_the_window_opens_without_the_heavy_parts():
    modules = imported_after("import ui.app, ui.main_window")
    assert not {"importers", "tiers.services.demo", "pypinyin", "alembic",
                "ui.enterprise_dialog", "ui.import_wizard"} & modules


def test_a_pinyin_key_leaves_the_phrase_dictionary_alone():
    from pypinyin.pinyin_dict import pinyin_dict

    from tiers.model import pinyin

    assert pinyin._readings() == pinyin_dict  # the same dictionary, read from its file
    name = "常州恒立液压"
    modules = imported_after("from tiers.model import pinyin\n"
                             f"assert pinyin.sort_key({name!r}) == {pinyin.sort_key(name)!r}\n"
                             f"assert pinyin.initials({name!r}) == {pinyin.initials(name)!r}")
    assert "pypinyin.phrases_dict" not in modules
