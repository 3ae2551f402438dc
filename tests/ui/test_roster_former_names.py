"""企业库: a firm a search found by a former name says so in its name cell (a grey
“曾用名：…” after the name, and the tooltip), so the officer who typed the old name knows
why a firm of another name is listed. One query per block of rows, none per row."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from tiers.queries import search
from tiers.services import enterprises
from ui.enterprise_table_model import FORMER_NAME_ROLE
from ui.former_name_delegate import FormerNameDelegate
from ui.roster_view import RosterView

OLD = "常州（旧名）机械有限公司"
NEW = "江苏新名字智能装备有限公司"


@pytest.fixture
def view(qtbot, database, enterprise_factory, settings, session):
    firm = enterprise_factory(OLD)
    enterprises.update(session, firm.id, {"name": NEW})
    enterprise_factory("常州旧名机床有限公司")  # its present name holds the word
    session.commit()
    shown = RosterView(database, settings)
    qtbot.addWidget(shown)
    return shown


def search_for(view: RosterView, text: str) -> None:
    view.search.setText(text)
    view.apply_filters()


def cell(view: RosterView, name: str):
    model = view.model
    row = next(r for r in range(model.rowCount()) if model.data(model.index(r, 0)) == name)
    return model.index(row, 0)


def test_the_name_cell_names_the_former_name_that_found_it(view):
    search_for(view, "旧名")
    assert view.model.rowCount() == 2
    renamed = cell(view, NEW)
    assert renamed.data(Qt.DisplayRole) == NEW  # copied and exported as it is
    assert renamed.data(FORMER_NAME_ROLE) == f"曾用名：{OLD}"
    assert f"按曾用名“{OLD}”找到" in renamed.data(Qt.ToolTipRole)
    plain = cell(view, "常州旧名机床有限公司")
    assert plain.data(FORMER_NAME_ROLE) is None
    assert plain.data(Qt.ToolTipRole) == "常州旧名机床有限公司"
    # the delegate draws the hint after the name: the cell asks for the room
    delegate = view.table.itemDelegateForColumn(0)
    assert isinstance(delegate, FormerNameDelegate)
    option = QStyleOptionViewItem()
    option.initFrom(view.table)
    assert delegate.sizeHint(option, renamed).width() > \
        delegate.sizeHint(option, plain).width() + option.fontMetrics.horizontalAdvance("曾用名")


def test_no_hint_without_a_search_or_when_the_present_name_holds_the_words(view):
    assert all(view.model.index(r, 0).data(FORMER_NAME_ROLE) is None
               for r in range(view.model.rowCount()))
    search_for(view, "新名字")
    assert cell(view, NEW).data(FORMER_NAME_ROLE) is None
    search_for(view, "")
    assert view.model.rowCount() == 2
    assert cell(view, NEW).data(FORMER_NAME_ROLE) is None


def test_one_query_per_block_of_rows(view, monkeypatch):
    calls: list[int] = []
    real = search.former_name_matches
    monkeypatch.setattr(search, "former_name_matches",
                        lambda session, ids, text: calls.append(len(ids))
                        or real(session, ids, text))
    search_for(view, "有限公司")
    for row in range(view.model.rowCount()):
        for column in range(view.model.columnCount()):
            view.model.index(row, column).data(Qt.ToolTipRole)
            view.model.index(row, column).data(FORMER_NAME_ROLE)
    assert calls == [2]


def test_the_hint_is_painted(qtbot, view):
    search_for(view, "旧名")
    view.resize(1200, 400)
    view.show()
    qtbot.waitExposed(view)
    table = view.table
    table.setColumnWidth(0, 600)
    rect = table.visualRect(cell(view, NEW))
    image = table.viewport().grab(rect).toImage()
    # grey text right of the name: the hint's colour is in the cell's right half
    greys = {image.pixelColor(x, y).name() for x in range(rect.width() // 2, rect.width())
             for y in range(rect.height())}
    assert any(colour not in ("#ffffff", "#000000") and
               abs(int(colour[1:3], 16) - int(colour[3:5], 16)) < 8 and
               60 < int(colour[1:3], 16) < 220 for colour in greys)


def test_a_name_remembered_for_matching_is_no_former_name(view, database):
    """A name kept for matching only (FormerName.is_alias: a 简称 an officer linked in an
    import and asked to remember) found the firm: it was called its 曾用名 here, which it
    never was (review of session 21); it is a 记住的写法."""
    from tiers.model.names import name_key
    from tiers.model.orm import Enterprise, FormerName

    alias = "常州简称"
    with database.session() as session:
        firm = session.query(Enterprise).filter_by(name=NEW).one()
        session.add(FormerName(enterprise_id=firm.id, name=alias, name_key=name_key(alias),
                               is_alias=True))
    search_for(view, "简称")
    found = cell(view, NEW)
    assert found.data(FORMER_NAME_ROLE) == f"记住的写法：{alias}"
    assert f"按记住的写法“{alias}”找到" in found.data(Qt.ToolTipRole)
    search_for(view, "常州")  # both kinds found it: each said as what it is
    assert cell(view, NEW).data(FORMER_NAME_ROLE) == f"曾用名：{OLD}；记住的写法：{alias}"
