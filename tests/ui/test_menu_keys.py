"""Every item of the 文件, 视图 and 帮助 menus has a letter of its own that chooses it once
its menu is open (Alt+F, then P: 导入数据包), as every form's fields have; the toolbar's
buttons keep their bare words."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QToolBar

from ui.main_window import MainWindow

KEY = re.compile(r"\(&(\w)\)")


def test_each_menu_item_has_a_key_of_its_own(qtbot, database, settings, runner):
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    menus = {menu.title(): menu for menu in (action.menu() for action in
                                             window.menuBar().actions()) if menu}
    for title in ("文件(&F)", "视图(&V)", "帮助(&H)"):
        items = [action.text() for action in menus[title].actions() if not action.isSeparator()]
        keys = [found.group(1) if (found := KEY.search(text)) else None for text in items]
        assert None not in keys, (title, items)
        assert len(set(keys)) == len(keys), (title, items)
    assert "导入数据包(&P)…" in [action.text() for action in menus["文件(&F)"].actions()]
    toolbar = window.findChild(QToolBar, "main_toolbar")
    words = [toolbar.widgetForAction(action).text() for action in toolbar.actions()]
    assert "导入…" in words and not [word for word in words if "(" in word or "&" in word]
