"""A county officer's re-test (session 30) of a second import: rows updating firms the
library has, with problems. The 问题 text can be read whole (rows fitted again after a sort
or a width the officer chose; the selected row's problems in full in a pane reached by
Tab); the 完成 page repeats what the preview warned of; a sheet the wizard refuses leaves
下一步 greyed, with the reason on the page and the focus on the sheets."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.importers.helpers import write_xlsx
from tests.ui.wizard_helpers import INSTRUCTIONS, open_wizard, roster_rows, wait_idle
from tiers import reports
from tiers.progress import drain
from tiers.reports.base import ReportRequest
from tiers.services import enterprises
from ui.import_wizard import MAPPING, PREVIEW, RESULT, SHEET
from ui.import_wizard.preview_page import tallest_row
from ui.plan_table_model import PROBLEMS_COLUMN
from ui.table_comforts import USER_WIDTHS

NOT_MONEY = "金额不计入资金奖补合计"
KINDS = ("融资担保（省信保）", "专精特新贷", "税收减免", "认定奖励", "服务券", "融资担保费补贴",
         "奖补资金", "研发费用加计扣除")


def _measures(database, tmp_path, code):
    """Measures for 8 firms the library has (an update each), one with a wrong check digit,
    the kinds that are no money said once each."""
    with database.session() as session:
        for n in range(1, 9):
            enterprises.create(session, {"credit_code": code(n), "county": "武进区",
                                         "name": f"常州第{n}精密机械科技有限公司"})
    rows = [["企业名称", "统一社会信用代码", "扶持类别", "项目名称", "金额（万元）", "年度"]]
    for n, kind in enumerate(KINDS, start=1):
        credit = code(n)
        if n == 3:  # the check digit wrong: an error row, not imported
            credit = credit[:-1] + ("0" if credit[-1] != "0" else "1")
        rows.append([f"常州第{n}精密机械科技有限公司", credit, kind, f"项目{n}", 100 * n, 2026])
    return write_xlsx(tmp_path / "扶持措施.xlsx", {"S": rows})


def _preview(qtbot, database, settings, runner, tmp_path, code):
    wizard = open_wizard(qtbot, database, settings, runner, _measures(database, tmp_path, code),
                         MAPPING, size=(1100, 700))
    qtbot.waitExposed(wizard)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    return wizard


def _cut_rows(view) -> list[int]:
    """Rows lower than their wrapped text needs, up to ROW_LINES lines (a row is no taller:
    beyond, its problems are read whole in the details pane): their problems are cut off."""
    tallest = tallest_row(view)
    return [row for row in range(view.model().rowCount())
            if view.rowHeight(row) < min(view.sizeHintForRow(row), tallest)]


def _cut_rows_in_view(view) -> list[int]:
    last = view.rowAt(view.viewport().height() - 1)
    shown = range(max(view.rowAt(0), 0),
                  (last if last >= 0 else view.model().rowCount() - 1) + 1)
    return [row for row in _cut_rows(view) if row in shown]


def test_the_problems_stay_whole_after_a_sort_and_a_width_chosen(
        qtbot, database, settings, runner, tmp_path, code):
    wizard = _preview(qtbot, database, settings, runner, tmp_path, code)
    view = wizard.preview
    qtbot.waitUntil(lambda: not _cut_rows(view), timeout=3000)
    view.sortByColumn(PROBLEMS_COLUMN, Qt.DescendingOrder)  # (a click on 问题's header)
    qtbot.waitUntil(lambda: not _cut_rows(view), timeout=3000)
    # a width the officer dragged is kept, and the rows follow it: those in view, then
    # those scrolled to (a resize, too, fits only the rows in view: all froze the window)
    view.setProperty(USER_WIDTHS, True)
    view.setColumnWidth(PROBLEMS_COLUMN, 200)
    qtbot.waitUntil(lambda: not _cut_rows_in_view(view), timeout=3000)
    view.scrollToBottom()
    qtbot.waitUntil(lambda: not _cut_rows_in_view(view), timeout=3000)
    assert view.columnWidth(PROBLEMS_COLUMN) == 200
    wizard.close()


def test_the_selected_rows_problems_are_shown_whole_and_reached_by_tab(
        qtbot, database, settings, runner, tmp_path, code):
    wizard = _preview(qtbot, database, settings, runner, tmp_path, code)
    page, model, view = wizard.preview_page, wizard.plan_model, wizard.preview
    details = page.problem_details
    assert details.isVisibleTo(wizard) and details.focusPolicy() & Qt.TabFocus
    (position,) = [p for p in range(model.rowCount()) if model.row_at(p).row == 4]
    view.setFocus()
    view.setCurrentIndex(model.index(position, 0))
    text = details.toPlainText()
    assert "校验位" in text and "第 4 行" in text, text
    assert model.data(model.index(position, PROBLEMS_COLUMN)) in text  # the whole of it
    view.setCurrentIndex(model.index(0, 0))  # another row: its own problems
    assert NOT_MONEY in details.toPlainText() and "校验位" not in details.toPlainText()
    # reached from the table with Tab: the details come before the buttons
    chain, widget = [], view
    for _ in range(300):
        widget = widget.nextInFocusChain()
        if widget is view:
            break
        if widget.isVisible() and widget.isEnabled() and widget.focusPolicy() & Qt.TabFocus:
            chain.append(widget)
    assert details in chain and chain.index(details) < chain.index(wizard.back_button)
    wizard.close()


def test_the_finished_page_repeats_the_previews_warnings(
        qtbot, database, settings, runner, tmp_path, code):
    wizard = _preview(qtbot, database, settings, runner, tmp_path, code)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, RESULT)
    page = wizard.result_page
    warnings = page.warnings
    assert warnings.isVisibleTo(wizard)
    text = warnings.toPlainText()
    assert text.count(NOT_MONEY) == 3, text  # 融资担保（省信保）, 专精特新贷, 研发费用加计扣除
    assert "第 4 行" in text and "校验位" in text  # the row not imported, and why
    assert "未写状态" in text  # the note about the file as a whole
    assert "提示与问题（" in page.warnings_title.text()
    assert page.save_problems_button.isEnabled()
    wizard.close()


def _on_the_page(wizard) -> bool:
    """The message is shown on the sheet page itself, under the sheets."""
    return wizard.sheet_page.isAncestorOf(wizard.error) and wizard.error.isVisibleTo(wizard)


def _report(demo_database, tmp_path):
    path = tmp_path / "拟推荐企业名单.xlsx"
    with demo_database.session() as session:
        drain(reports.export_steps(session, "candidates", path,
                                   ReportRequest(tier="省级专精特新")))
    return path


def test_a_refused_report_greys_next_and_says_why_on_the_page(
        qtbot, demo_database, settings, runner, tmp_path):
    wizard = open_wizard(qtbot, demo_database, settings, runner,
                         _report(demo_database, tmp_path), SHEET)
    qtbot.waitUntil(lambda: "拟推荐企业名单" in wizard.error.text(), timeout=5000)
    for row in (1, 0):  # 已满足条件明细 and 拟推荐企业名单: both refused
        wizard.sheets.setCurrentRow(row)
        assert not wizard.next_button.isEnabled()
        assert "拟推荐企业名单" in wizard.error.text() and _on_the_page(wizard)
    assert wizard.focusWidget() is wizard.sheets
    wizard.close()


def test_a_sheet_refused_after_next_greys_next_until_another_is_chosen(
        qtbot, database, settings, runner, tmp_path, code):
    path = write_xlsx(tmp_path / "名录.xlsx", {"填报说明": INSTRUCTIONS,
                                             "武进区": roster_rows(code)})
    wizard = open_wizard(qtbot, database, settings, runner, path, SHEET)
    wizard.sheets.setCurrentRow(0)
    assert wizard.next_button.isEnabled()
    wizard.next_button.click()
    qtbot.waitUntil(lambda: bool(wizard.error.text()) and wizard.runner.settled,
                    timeout=15_000)
    assert wizard.current_step() == SHEET and "填报说明" in wizard.error.text()
    assert not wizard.next_button.isEnabled() and _on_the_page(wizard)
    assert wizard.focusWidget() is wizard.sheets
    wizard.sheets.setCurrentRow(1)
    assert wizard.next_button.isEnabled() and not wizard.error.text()
    wizard.sheets.setCurrentRow(0)  # the refused one again: still greyed, still said
    assert not wizard.next_button.isEnabled() and "填报说明" in wizard.error.text()
    wizard.close()


def test_a_long_preview_fits_the_rows_in_view_only(qtbot):
    """Past WRAPPED_ROWS, measuring every row would hold the window for seconds: the rows in
    view are fitted, and those scrolled to; the others are not measured."""
    from types import SimpleNamespace

    from importers import PlanRow
    from importers.errors import Problem
    from ui.import_wizard.preview_page import WRAPPED_ROWS, PreviewPage

    long = "措施类别“融资担保（省信保）”类别：融资，金额不计入资金奖补合计（另列为融资额）" * 2
    rows = [PlanRow(row=n + 2, action="update", name=f"常州第{n}精密机械有限公司",
                    problems=[Problem("S", n + 2, "C", "", long, "warning")])
            for n in range(WRAPPED_ROWS + 500)]
    page = PreviewPage()
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitExposed(page)
    page.plan_model.set_plan(SimpleNamespace(rows=rows))
    view = page.preview
    view.setColumnWidth(PROBLEMS_COLUMN, 250)
    page.fit_rows()

    def in_view():
        first = view.rowAt(0)
        return range(first, view.rowAt(view.viewport().height() - 1) + 1)

    assert len(in_view()) > 1 and all(view.rowHeight(r) >= view.sizeHintForRow(r)
                                      for r in in_view())
    one_line = view.verticalHeader().defaultSectionSize()
    assert view.rowHeight(WRAPPED_ROWS) == one_line  # far below: left alone
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)
    qtbot.waitUntil(lambda: all(view.rowHeight(r) >= view.sizeHintForRow(r)
                                for r in in_view()), timeout=3000)
    assert view.rowHeight(in_view()[0]) > one_line


def _instructions_and_roster(tmp_path, code):
    return write_xlsx(tmp_path / "名录.xlsx", {"填报说明": INSTRUCTIONS,
                                             "武进区": roster_rows(code)})


def test_a_file_error_or_a_program_error_on_next_leaves_next_usable_to_retry(
        qtbot, database, settings, runner, tmp_path, code, monkeypatch):
    """Only the importer's own refusal of a sheet (no list on it, a Tiers report) is
    remembered against it: a file locked meanwhile, or an error of the program, is said
    and 下一步 stays live, to try again (reviewer, session 30)."""
    from ui.import_wizard import jobs

    wizard = open_wizard(qtbot, database, settings, runner,
                         _instructions_and_roster(tmp_path, code), SHEET)
    real = jobs.detect_sheet
    for error, said in ((PermissionError(13, "Permission denied", "名录.xlsx"), "名录"),
                        (RuntimeError("boom"), "意外错误")):
        def failing(_source, _sheet, error=error):
            raise error

        monkeypatch.setattr(jobs, "detect_sheet", failing)
        wizard.sheets.setCurrentRow(0)
        wizard.next_button.click()
        qtbot.waitUntil(lambda: bool(wizard.error.text()) and wizard.runner.settled,
                        timeout=15_000)
        assert wizard.current_step() == SHEET and said in wizard.error.text()
        assert wizard.next_button.isEnabled(), wizard.error.text()
        assert not wizard.sheet_page.refusal_of("填报说明")
    monkeypatch.setattr(jobs, "detect_sheet", real)
    wizard.next_button.click()  # the retry reads the sheet: it holds no list, and says so
    qtbot.waitUntil(lambda: "填报说明" in wizard.error.text() and wizard.runner.settled,
                    timeout=15_000)
    assert not wizard.next_button.isEnabled()
    wizard.close()


def test_a_resize_after_a_width_chosen_fits_the_rows_in_view_only(
        qtbot, database, settings, runner, tmp_path, code):
    """Once the officer dragged a width, each resize of the window re-measured every row
    (up to 2,000: about a second's freeze each time): the widths do not change then, only
    the rows scrolled into view need fitting, as after a scroll (reviewer, session 30)."""
    wizard = _preview(qtbot, database, settings, runner, tmp_path, code)
    view = wizard.preview
    view.setProperty(USER_WIDTHS, True)
    view.setColumnWidth(PROBLEMS_COLUMN, 200)
    qtbot.waitUntil(lambda: not _cut_rows_in_view(view), timeout=3000)
    whole, in_view = [], []
    real_whole, real_one = view.resizeRowsToContents, view.resizeRowToContents
    view.resizeRowsToContents = lambda: (whole.append(1), real_whole())
    view.resizeRowToContents = lambda row: (in_view.append(row), real_one(row))
    page, height = wizard.preview_page, view.viewport().height()
    wizard.resize(wizard.width() - 40, wizard.height() - 40)
    qtbot.waitUntil(lambda: view.viewport().height() != height and bool(in_view)
                    and not page._refit.isActive() and not page._refit_rows.isActive(),
                    timeout=3000)
    assert not whole and not _cut_rows_in_view(view)
    assert view.columnWidth(PROBLEMS_COLUMN) == 200
    wizard.close()


def test_the_preview_details_and_the_finished_warnings_are_the_same_read_only_box(qtbot):
    """One helper sets both up (ui.read_only_look.read_only_text): read-only, selectable
    by mouse and keyboard, Tab moves on."""
    from PySide6.QtWidgets import QPlainTextEdit

    from ui.import_wizard.preview_page import PreviewPage
    from ui.import_wizard.result_page import ResultPage

    preview, result = PreviewPage(), ResultPage()
    qtbot.addWidget(preview)
    qtbot.addWidget(result)
    for box in (preview.problem_details, result.warnings):
        assert box.isReadOnly() and box.tabChangesFocus()
        assert box.textInteractionFlags() == (Qt.TextSelectableByKeyboard
                                              | Qt.TextSelectableByMouse)
        assert box.lineWrapMode() == QPlainTextEdit.WidgetWidth
