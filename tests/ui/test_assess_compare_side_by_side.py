"""并列对比 in the firm window's 对标预审 tab: the headline led with the first rule set's result
alone (its badge and its verdict, in its colour), the 2022 pane was about half as wide as
the 2026 one (each took what its label asked for), and each pane's label said its result
twice (“2026办法：差一项　差一项：…”). Now the headline states both, the panes are equal
halves, and each result is said once."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtGui import QFont

from tests.ui.test_assess_tab_2026 import issue_firm
from tiers.assess import ONE_SHORT, candidates
from ui.assessment_view import COMPARE
from ui.enterprise_dialog import EnterpriseDialog


def _compared(qtbot, database, settings, runner, session, enterprise_factory):
    enterprise_id = issue_firm(session, enterprise_factory)
    dialog = EnterpriseDialog(database, settings, enterprise_id, runner=runner)
    qtbot.addWidget(dialog)
    dialog.resize(1120, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    tab = dialog.assessment_tab
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # read on the runner
    tab.select_rules(COMPARE)
    qtbot.waitUntil(lambda: tab.ready and len(tab.shown) == 2, timeout=10_000)
    return dialog, tab


def test_the_headline_states_both_results(qtbot, database, settings, runner, session,
                                          enterprise_factory):
    dialog, tab = _compared(qtbot, database, settings, runner, session, enterprise_factory)
    first, second = tab.shown
    assert tab.verdict.text() == (f"2022暂行办法：{first.readiness_text}；"
                                  f"2026办法：{second.readiness_text}")
    assert second.readiness_text == "不符合"
    assert tab.readiness.isHidden()  # no badge leading with the 2022 result alone
    assert "2022暂行办法" in tab.rule_label.text() and "2026办法" in tab.rule_label.text()
    # back to one rule set: its verdict and badge again
    tab.select_rules("2026办法")
    qtbot.waitUntil(lambda: tab.ready and len(tab.shown) == 1, timeout=10_000)
    assert tab.verdict.text().startswith("不符合：")
    assert not tab.readiness.isHidden() and tab.readiness.text() == "不符合"
    dialog.close()


@pytest.fixture
def app_font(qapp):
    """The font the program sets (ui.app.make_application: the CJK families), for this test
    only: under it the panes came out 251 and 461 wide on the demo's firm."""
    before = qapp.font()
    font = QFont(before)
    font.setFamilies([before.family(), "Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC",
                      "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei"])
    qapp.setFont(font)
    yield
    qapp.setFont(before)


def test_the_panes_are_equal_halves(qtbot, demo_database, settings, runner, app_font):
    with demo_database.session() as session:
        found = candidates(session, "zjtx")
    near = next(item for item in found.ranked if item.readiness == ONE_SHORT)
    dialog = EnterpriseDialog(demo_database, settings, near.enterprise_id, runner=runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    tab = dialog.assessment_tab
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # read on the runner
    tab.select_rules(COMPARE)
    qtbot.waitUntil(lambda: tab.ready and len(tab.shown) == 2, timeout=10_000)
    qtbot.wait(50)  # the layout settles
    this_side = tab.other_side.parentWidget().widget(0)  # (the splitter of the two)
    assert abs(this_side.width() - tab.other_side.width()) <= 2, (
        this_side.width(), tab.other_side.width())
    assert this_side.width() > dialog.width() // 3
    # and level: the 2022 label wraps to more lines, yet both trees start at the same height
    assert tab.tree.mapTo(dialog, tab.tree.rect().topLeft()).y() == \
        tab.other_tree.mapTo(dialog, tab.other_tree.rect().topLeft()).y()
    dialog.close()


def test_each_pane_says_its_result_once(qtbot, database, settings, runner, session,
                                        enterprise_factory):
    dialog, tab = _compared(qtbot, database, settings, runner, session, enterprise_factory)
    other = tab.other_label.text()
    assert other.startswith("2026办法：不符合　"), other
    assert other.count("不符合") == 1, other
    assert tab.shown[1].verdict.startswith("不符合：")  # (the verdict's own word, said once)
    dialog.close()


def test_comparing_leaves_the_window_its_size(qtbot, demo_database, settings, runner,
                                              app_font):
    """Picking 并列对比 made the window about three screens high, for good (保存 off the
    screen): the second pane, just shown, had no width yet, and its label measured at one
    character a line set both labels' minimum height (1616 px on a 小巨人 firm without a
    score line). A pane dragged narrow must not push the window off the screen either."""
    with demo_database.session() as session:
        found = candidates(session, "little_giant")
    dialog = EnterpriseDialog(demo_database, settings, found.ranked[0].enterprise_id,
                              runner=runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    tab = dialog.assessment_tab
    dialog.show_assessment("little_giant")  # (as 打开企业 from 候选企业 opens it)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    qtbot.wait(50)  # the layout settles
    size = dialog.size()
    for rules, shown in ((COMPARE, 2), ("", 1), (COMPARE, 2)):  # and back, and again
        tab.select_rules(rules)
        qtbot.waitUntil(lambda shown=shown: tab.ready and len(tab.shown) == shown,
                        timeout=10_000)
        qtbot.wait(50)
        assert dialog.size() == size, (rules, dialog.size(), size)
    # both panes laid out, the labels level at the panes' widths (not at one character's)
    assert 0 < tab.this_label.minimumHeight() == tab.other_label.minimumHeight() < 200
    # the window as low as it goes (a small screen), the second pane dragged narrow: the
    # labels are cut rather than the window made higher
    dialog.resize(size.width(), dialog.minimumSizeHint().height())
    qtbot.wait(50)
    low = dialog.size()
    sides = tab.other_side.parentWidget()
    sides.setSizes([sides.width() - 60, 60])
    qtbot.wait(50)
    assert dialog.size() == low, (dialog.size(), low)
    dialog.close()


def _near_compared(qtbot, demo_database, settings, runner):
    """A firm 差一项 for 专精特新, its two rule sets side by side: the 2022 one scored, the
    2026 one not (its 发展评价得分 is a condition on the platform's figure)."""
    with demo_database.session() as session:
        found = candidates(session, "zjtx")
    near = next(item for item in found.ranked if item.readiness == ONE_SHORT)
    dialog = EnterpriseDialog(demo_database, settings, near.enterprise_id, runner=runner)
    qtbot.addWidget(dialog)
    dialog.show()
    tab = dialog.assessment_tab
    dialog.show_assessment("zjtx", "")
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    tab.select_rules(COMPARE)
    qtbot.waitUntil(lambda: tab.ready and len(tab.shown) == 2, timeout=10_000)
    return dialog, tab


def test_each_rule_sets_score_is_shown(qtbot, demo_database, settings, runner):
    """Only the first rule set's 评价得分 was shown: none when the first had none, and never
    the second's."""
    dialog, tab = _near_compared(qtbot, demo_database, settings, runner)
    scored, other = tab.shown
    # 2022: the score computed out of its full marks; 2026: 发展评价得分 the platform gives
    assert scored.score is not None and scored.score.max_points
    assert other.score is not None and not other.score.max_points
    computed = (f"2022暂行办法 评价得分：{scored.score.text}，"
                f"及格线 {scored.score.pass_line} 分（满分 {scored.score.max_points} 分）")
    reported = (f"2026办法 评价得分：{other.score.text}（平台给出），"
                f"及格线 {other.score.pass_line} 分")
    assert tab.score.text().splitlines() == [computed, reported]
    unscored = replace(scored, score=None)  # the first without a score: the second's shown
    tab.display.show_assessment(unscored, others=[other])
    assert tab.score.isVisibleTo(dialog)
    assert tab.score.text() == reported
    tab.display.show_assessment(other, others=[scored])  # the scored one second
    assert tab.score.text().splitlines() == [reported, computed]
    tab.display.show_assessment(replace(other, score=None), others=[unscored])
    assert not tab.score.isVisibleTo(dialog)
    dialog.close()


class Marking(QTranslator):
    """Each of the display's sentences in a (made-up) translation: a sentence put together
    outside tr() shows up untranslated."""

    SENTENCES = {"%1（%2）": "%1 <%2>", "%4 评价得分：%1，及格线 %2 分（满分 %3 分）":
                 "%4 score %1 pass %2 of %3", "并列对比：%1　数据年度：%3年度%6　现有梯度：%4":
                 "compared: %1 year %3%6 tier %4", "；": " | "}

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002 - Qt's
        return self.SENTENCES.get(source, "") if context == "AssessmentDisplay" else ""

    def isEmpty(self):  # noqa: N802 - Qt's name
        return False


@pytest.fixture
def marking(qapp):
    translator = Marking()
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)


def test_the_comparisons_sentences_go_through_tr(qtbot, demo_database, settings, runner,
                                                  marking):
    dialog, tab = _near_compared(qtbot, demo_database, settings, runner)
    scored, other = tab.shown
    assert tab.rule_label.text().startswith(
        f"compared: 2022暂行办法 <{scored.rule_set_title}> | 2026办法 <{other.rule_set_title}>"
        f" year {scored.figures_year}"), tab.rule_label.text()
    assert tab.score.text().startswith(f"2022暂行办法 score {scored.score.text} pass "), \
        tab.score.text()
    dialog.close()


def test_side_by_side_columns_fit_their_panes(qtbot, demo_database, settings, runner,
                                              app_font):
    """At the window's first size on a 1366 × 768 laptop (1120 × 700), each pane of 并列对比
    is about 535 px wide: the fixed columns (300 + 70 + 160 + 140, and 说明) made both trees
    scroll sideways, 差距 and 说明 out of sight, and a long value (研发费用 5956.91 万元
    （2025年度）) cut to its first words. The columns share the pane now, and long text
    wraps onto a second line (the rest, if any, in its tip and the detail below)."""
    with demo_database.session() as session:
        found = candidates(session, "zjtx")
    near = next(item for item in found.ranked if item.readiness == ONE_SHORT)
    dialog = EnterpriseDialog(demo_database, settings, near.enterprise_id, runner=runner)
    qtbot.addWidget(dialog)
    dialog.resize(1120, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    tab = dialog.assessment_tab
    dialog.show_assessment("zjtx")
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    tab.select_rules(COMPARE)
    qtbot.waitUntil(lambda: tab.ready and len(tab.shown) == 2, timeout=10_000)
    qtbot.wait(50)  # the layout settles
    for tree in (tab.tree, tab.other_tree):
        header = tree.header()
        assert tree.horizontalScrollBar().maximum() == 0, tree.horizontalScrollBar().maximum()
        assert header.length() <= tree.viewport().width() + 1
        assert all(header.sectionSize(column) >= 40 for column in range(5))
        # a value wider than its column takes a second line, not a cut
        model = tree.model()
        wide = [index for index in _indexes(model)
                if tree.fontMetrics().horizontalAdvance(index.data())
                > header.sectionSize(2) - 12]
        assert wide
        single = tree.fontMetrics().height() + 4
        assert all(tree.visualRect(index).height() > single * 1.5 for index in wide)
    # one rule set again: its wide columns as before (no wrapping, one line a row)
    tab.select_rules("2026办法")
    qtbot.waitUntil(lambda: tab.ready and len(tab.shown) == 1, timeout=10_000)
    assert not tab.tree.wordWrap() and tab.tree.columnWidth(0) == 390
    dialog.close()


def _indexes(model, parent=None):
    """The 取值 cells of every row of the tree, depth first."""
    from PySide6.QtCore import QModelIndex

    parent = parent if parent is not None else QModelIndex()
    for row in range(model.rowCount(parent)):
        value = model.index(row, 2, parent)
        if value.data():
            yield value
        yield from _indexes(model, model.index(row, 0, parent))


def test_the_status_column_fits_its_word_in_a_larger_font(qtbot, demo_database, settings,
                                                          runner, qapp, app_font):
    """Under a larger font (Windows' 更改文本大小, a 13 pt system font) 结论 was measured
    wrapped at its own width, so it never grew: 需人工核实 broke over two lines. Each
    conclusion is on one line now."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFontMetrics

    font = QFont(qapp.font())
    font.setPointSize(13)
    qapp.setFont(font)  # (app_font puts the font back)
    dialog, tab = _near_compared(qtbot, demo_database, settings, runner)
    dialog.resize(1340, 700)
    qtbot.wait(50)  # the layout settles
    seen = set()
    for tree in (tab.tree, tab.other_tree):
        model = tree.model()
        for index in _status_cells(model):
            cell_font = index.data(Qt.FontRole) or tree.font()
            text = index.data()
            seen.add(text)
            need = QFontMetrics(cell_font).horizontalAdvance(text)
            assert need < tree.columnWidth(1) - 4, (text, need, tree.columnWidth(1))
        assert tree.horizontalScrollBar().maximum() == 0
    assert "需人工核实" in seen, seen
    dialog.close()


def _status_cells(model, parent=None):
    """The 结论 cells of every row of the tree, depth first."""
    from PySide6.QtCore import QModelIndex

    parent = parent if parent is not None else QModelIndex()
    for row in range(model.rowCount(parent)):
        status = model.index(row, 1, parent)
        if status.data():
            yield status
        yield from _status_cells(model, model.index(row, 0, parent))
