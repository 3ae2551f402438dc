"""Every item of every menu of the main window has its Alt letter (导入数据包(&P)…), none used
twice in one menu, and the menus' own titles differ too (README: 菜单项各有一个字母);
tester26b found the 批量操作 menu without any."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QMenu

from ui.main_window import MainWindow

_LETTER = re.compile(r"\(&([A-Z0-9])\)")


def _letter(text: str) -> str | None:
    found = _LETTER.findall(text)
    return found[0] if len(found) == 1 else None


def _walk(menu: QMenu, where: str, missing: list[str], twice: list[str]) -> None:
    seen: dict[str, str] = {}
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        text = action.text()
        letter = _letter(text)
        if letter is None:
            missing.append(f"{where} › {text}")
        elif letter in seen:
            twice.append(f"{where} › {seen[letter]} / {text}")
        else:
            seen[letter] = text
        if action.menu() is not None:
            _walk(action.menu(), f"{where} › {text}", missing, twice)


def test_every_menu_item_has_a_letter_of_its_own(qtbot, database, settings, runner):
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    missing: list[str] = []
    twice: list[str] = []
    titles: dict[str, str] = {}
    menus = [a for a in window.menuBar().actions() if a.menu() is not None]
    assert len(menus) >= 4
    for holder in menus:
        letter = _letter(holder.text())
        assert letter is not None, holder.text()
        assert letter not in titles, (titles[letter], holder.text())
        titles[letter] = holder.text()
        _walk(holder.menu(), holder.text(), missing, twice)
    assert missing == [] and twice == [], (missing, twice)
    bulk = next(a.menu() for a in menus if a.text().startswith("批量操作"))
    assert sum(not a.isSeparator() for a in bulk.actions()) >= 7
    window.close()
