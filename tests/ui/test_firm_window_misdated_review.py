"""The firm window's 梯度认定 says, in the 年度 cell, that a 复核 recorded at the year of the
batch it renews is likely wrong and which year it should be (tiers check lists them all);
a 复核 of its own year reads as it is."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tiers.services import recognitions
from ui.enterprise_dialog import EnterpriseDialog

BATCH_COLUMN, YEAR_COLUMN = 2, 3


def test_a_misdated_review_is_said_in_its_year_cell(qtbot, database, settings, runner,
                                                     enterprise_factory, session):
    firm = enterprise_factory("常州复核年度有限公司")
    misdated = recognitions.add(session, firm.id, {
        "tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
        "is_review": True, "review_of_batch": "第二批"})
    right = recognitions.add(session, firm.id, {"tier_code": "little_giant",
                                                "batch_label": "第三批", "is_review": True})
    # 专精特新's 复核 of the 2022 round, 复核批次 blank: its label is the round's year, right
    yearly = recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_label": "2022年度",
                                                 "batch_year": 2022, "is_review": True})
    session.commit()
    dialog = EnterpriseDialog(database, settings, firm.id, runner=runner)
    qtbot.addWidget(dialog)
    tab = dialog.recognition_tab
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3, timeout=10_000)
    assert tab.model.headerData(YEAR_COLUMN, Qt.Horizontal) == "年度"
    cells = {r["id"]: tab.model.data(tab.model.index(n, YEAR_COLUMN))
             for n, r in enumerate(tab.model.rows)}
    assert cells[misdated.id] == "2020（疑为 2023）"
    assert cells[right.id] == "2024"
    assert cells[yearly.id] == "2022"  # review26 #1: it read 2022（疑为 2025…）
    tips = {r["id"]: tab.model.data(tab.model.index(n, YEAR_COLUMN), Qt.ToolTipRole)
            for n, r in enumerate(tab.model.rows)}
    # the whole sentence, and what to do, in the tooltip (rich text, so that it wraps)
    assert tips[misdated.id].startswith("<p>年度 2020 疑为记错，应为 2023 年度。复核不会与所复核批次同年：")
    assert "更正复核年度" in tips[misdated.id] and tips[misdated.id].endswith("</p>")
    assert tips[right.id] == "2024" and tips[yearly.id] == "2022"
    # tester27b #8: a 复核 says so in its batch (it read 第二批, like the batch's own title)
    assert tab.model.headerData(BATCH_COLUMN, Qt.Horizontal) == "批次"
    batches = {r["id"]: tab.model.data(tab.model.index(n, BATCH_COLUMN))
               for n, r in enumerate(tab.model.rows)}
    assert batches == {misdated.id: "第二批（复核）", right.id: "第三批（复核）",
                       yearly.id: "2022年度（复核）"}


def test_the_misdated_year_cell_is_read_whole(qtbot, database, settings, runner,
                                              enterprise_factory, session):
    """The 年度 cell's 疑为 … was cut off (…) at 1366×768: the column, fitted to at most its
    share of the window, was narrower than the sentence the cell held."""
    firm, misdated, _title = _misdated_firm(session, enterprise_factory)
    dialog = EnterpriseDialog(database, settings, firm.id, runner=runner)
    qtbot.addWidget(dialog)
    dialog.resize(1120, 700)  # as it opens on a 1366×768 screen
    dialog.show()
    tab = dialog.recognition_tab
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=10_000)
    assert "疑为 2023" in _year_cell(tab, misdated)
    # as wide as its contents ask (the widest cell, its margins included): nothing elided
    qtbot.waitUntil(lambda: tab.table.columnWidth(YEAR_COLUMN)
                    >= tab.table.sizeHintForColumn(YEAR_COLUMN), timeout=5_000)


def _misdated_firm(session, enterprise_factory):
    firm = enterprise_factory("常州复核年度有限公司")
    misdated = recognitions.add(session, firm.id, {
        "tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
        "is_review": True, "review_of_batch": "第二批"})
    title = recognitions.add(session, firm.id, {"tier_code": "little_giant",
                                                "batch_label": "第二批", "batch_year": 2020})
    session.commit()
    return firm, misdated.id, title.id


def _select(tab, recognition_id) -> None:
    position = next(n for n, r in enumerate(tab.model.rows) if r["id"] == recognition_id)
    tab.table.setCurrentIndex(tab.model.index(position, 0))
    tab.table.selectRow(position)


def _year_cell(tab, recognition_id) -> str:
    position = next(n for n, r in enumerate(tab.model.rows) if r["id"] == recognition_id)
    return tab.model.data(tab.model.index(position, YEAR_COLUMN))


def _batch_cell(tab, recognition_id) -> str:
    position = next(n for n, r in enumerate(tab.model.rows) if r["id"] == recognition_id)
    return tab.model.data(tab.model.index(position, BATCH_COLUMN))


def test_the_misdated_review_is_corrected_from_its_row(qtbot, database, settings, runner,
                                                       enterprise_factory, session,
                                                       monkeypatch):
    """更正复核年度 beside the mark: shown while the firm has such a 复核, enabled on that
    row only; it asks, corrects this one record through the core's own call (tiers check
    --fix's) off the GUI thread, shows the corrected row, and 导入记录's undo puts it back."""
    import datetime as dt

    from sqlalchemy import select

    from tests.importers.helpers import undo
    from tiers.model.orm import ImportBatch, Recognition
    from tiers.services.review_check import BATCH_NAME
    from ui.ask import ConfirmDialog

    firm, misdated, title = _misdated_firm(session, enterprise_factory)
    dialog = EnterpriseDialog(database, settings, firm.id, runner=runner)
    qtbot.addWidget(dialog)
    dialog.show()
    tab = dialog.recognition_tab
    button = tab.review_year_button
    assert not button.isHidden() and button.text() == "更正复核年度(&N)"
    _select(tab, title)
    assert not button.isEnabled() and "疑为" in button.toolTip()
    _select(tab, misdated)
    assert button.isEnabled()
    asked = []
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(
        lambda cls, parent, heading, text, **k: asked.append(text) or True))
    changed = []
    dialog.changed.connect(changed.append)
    button.click()
    assert "由 2020 更正为 2023" in asked[0] and "可在那里撤销" in asked[0]
    # the record asked about is named as the row shows it, a 复核, without a 2020年度 that
    # a numbered batch does not have (tester27b #8)
    assert asked[0].startswith("把“专精特新“小巨人”企业 第二批（复核）”的年度由 2020 更正为 2023")
    qtbot.waitUntil(lambda: dialog.saving is None and runner.settled, timeout=15_000)
    assert _year_cell(tab, misdated) == "2023"
    # after it, the row still reads as a 复核, not as a 2023 title of 第二批 (tester27b #8)
    assert _batch_cell(tab, misdated) == "第二批（复核）"
    assert _batch_cell(tab, title) == "第二批"
    assert "已更正复核年度：小巨人 第二批（复核） 2020 → 2023，有效期至 2026-12-31" in \
        dialog.message.text()
    assert button.isHidden()  # no misdated 复核 left on this firm
    assert changed and changed[-1].recognitions and changed[-1].imports
    assert not dialog.has_unsaved_changes()
    with database.session() as check:
        record = check.get(Recognition, misdated)
        assert (record.batch_year, record.valid_until) == (2023, dt.date(2026, 12, 31))
        batch = check.scalars(select(ImportBatch).where(
            ImportBatch.file_name == BATCH_NAME)).one()
        assert check.get(Recognition, title).batch_year == 2020  # the title itself untouched
    undo(database, batch.id)
    with database.session() as check:
        assert check.get(Recognition, misdated).batch_year == 2020


def test_unsaved_edits_first_and_a_read_only_window_cannot(qtbot, database, settings, runner,
                                                           enterprise_factory, session,
                                                           monkeypatch):
    """It writes at once: with other edits unsaved in the window it says to save them first
    and writes nothing; a viewer's window has it greyed with why."""
    from tiers.model.orm import Recognition
    from tiers.storage.write_rights import WriteRights
    from ui.ask import ConfirmDialog

    firm, misdated, _title = _misdated_firm(session, enterprise_factory)
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(lambda cls, *a, **k: True))
    dialog = EnterpriseDialog(database, settings, firm.id, runner=runner)
    qtbot.addWidget(dialog)
    dialog.set_field("contact_person", "王丽")
    _select(dialog.recognition_tab, misdated)
    dialog.correct_review_year()
    assert dialog.saving is None and "请先保存" in dialog.message.text()
    with database.session() as check:
        assert check.get(Recognition, misdated).batch_year == 2020

    database.rights = WriteRights(counties=frozenset(), may_write=False, role="viewer")
    viewer = EnterpriseDialog(database, settings, firm.id, runner=runner)
    qtbot.addWidget(viewer)
    _select(viewer.recognition_tab, misdated)
    button = viewer.recognition_tab.review_year_button
    assert not button.isEnabled() and button.toolTip() == viewer.read_only
    viewer.correct_review_year()
    assert viewer.saving is None
    with database.session() as check:
        assert check.get(Recognition, misdated).batch_year == 2020


def test_a_review_listed_under_its_rounds_batch_reads_as_it_is(
        qtbot, database, settings, runner, enterprise_factory, session):
    """复核批次 blank: 第八批 2026 is the round's batch the 复核 is listed under (no 疑为),
    while 第五批 2023 beside the firm's own 第五批 2023 title is the batch reviewed (疑为
    2026), and only that one offers 更正复核年度."""
    from ui.enterprise_dialog.review_year import is_misdated

    firm = enterprise_factory("常州复核批次有限公司")
    title = recognitions.add(session, firm.id, {"tier_code": "little_giant",
                                                "batch_label": "第五批", "batch_year": 2023})
    misdated = recognitions.add(session, firm.id, {
        "tier_code": "little_giant", "batch_label": "第五批", "batch_year": 2023,
        "is_review": True})
    listed = recognitions.add(session, firm.id, {
        "tier_code": "little_giant", "batch_label": "第八批", "batch_year": 2026,
        "is_review": True})
    session.commit()
    dialog = EnterpriseDialog(database, settings, firm.id, runner=runner)
    qtbot.addWidget(dialog)
    tab = dialog.recognition_tab
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3, timeout=10_000)
    assert _year_cell(tab, listed.id) == "2026"
    assert _year_cell(tab, misdated.id) == "2023（疑为 2026）"
    assert _year_cell(tab, title.id) == "2023"
    rows = {r["id"]: r for r in tab.model.rows}
    assert [i for i, r in rows.items() if is_misdated(r, tab.rows)] == [misdated.id]
