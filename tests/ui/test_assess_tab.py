"""The 对标预审 tab of the enterprise window, driven through the real dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tiers.assess import MANUAL, MET, MISSING, NOT_MET
from ui.assessment_display import READINESS_COLOURS
from ui.assessment_tree_model import NODE_ROLE, STATUS_COLOURS
from ui.enterprise_dialog import EnterpriseDialog
from ui.record_form_dialog import RecordFormDialog

# worked under the 2022 rules (the 2026 办法 has its own tests: test_assess_tab_2026.py)
pytestmark = pytest.mark.usefixtures("rules_before_2026")

def open_tab(qtbot, database, settings, runner, enterprise_id):
    dialog = EnterpriseDialog(database, settings, enterprise_id, runner=runner)
    qtbot.addWidget(dialog)
    tab = dialog.assessment_tab
    assert not tab.loaded  # nothing is computed until the tab is shown
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # read on the runner
    assert tab.loaded
    return dialog, tab


def rows(model, parent=None):
    """Every node of the tree, depth first, as (depth, node)."""
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    out = []

    def walk(index, depth):
        for row in range(model.rowCount(index)):
            child = model.index(row, 0, index)
            out.append((depth, child.data(NODE_ROLE), child))
            walk(child, depth + 1)

    walk(parent, 0)
    return out


def test_tab_is_listed_and_models_pass_modeltester(qtbot, qtmodeltester, database, settings, runner,
                                                   assess_county):
    dialog, tab = open_tab(qtbot, database, settings, runner, assess_county["one_short"])
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "基本信息", "梯度认定", "年度数据", "扶持措施", "产业链", "对标预审", "变更记录"]
    qtmodeltester.check(tab.model)
    tab.select_tier("innovative")
    qtmodeltester.check(tab.model)  # a scored tier: groups and indicators under the score


def test_defaults_to_next_tier_and_shows_the_gap(qtbot, database, settings, runner, assess_county):
    _dialog, tab = open_tab(qtbot, database, settings, runner, assess_county["one_short"])
    # holds 创新型: the next rung up is 专精特新
    assert tab.tier.currentData() == "zjtx"
    assert "（已是该梯度或更高）" in tab.tier.itemText(tab.tier.findData("innovative"))
    assert tab.readiness.text() == "差一项"
    assert tab.verdict.text().startswith("差一项：上年度研发费用总额不低于100万元")
    assert "2022暂行办法" in tab.rule_label.text()
    assert f"{assess_county['year']}年度" in tab.rule_label.text()
    assert "创新型中小企业" in tab.rule_label.text()  # the tier held now
    nodes = [node for _depth, node, _index in rows(tab.model)]
    statuses = {node.status for node in nodes}
    assert {MET, NOT_MET, MANUAL} <= statuses
    short = [node for node in nodes if node.status == NOT_MET and not node.children]
    assert short, "the short condition is a row of its own"
    rd = next(node for node in short if node.cells[3] == "差 50 万元")
    assert rd.parent.cells[3] == "差 50 万元；差 0.5 个百分点，约 10 万元"
    # the values used, with the year they come from
    assert f"（{assess_county['year']}年度）" in rd.cells[2]
    index = next(index for _d, node, index in rows(tab.model) if node is rd)
    status_index = index.siblingAtColumn(1)
    assert status_index.data(Qt.ForegroundRole).color().name() == STATUS_COLOURS[NOT_MET][0]
    assert index.data(Qt.BackgroundRole).color().name() == STATUS_COLOURS[NOT_MET][1]
    met = next(index for _d, node, index in rows(tab.model) if node.status == MET)
    assert met.siblingAtColumn(1).data(Qt.ForegroundRole).color().name() == "#1e7b34"
    manual = next(index for _d, node, index in rows(tab.model) if node.status == MANUAL)
    assert manual.data(Qt.BackgroundRole).color().name() == STATUS_COLOURS[MANUAL][1]
    # choosing a row shows its full text and the rule's source text
    tab.tree.setCurrentIndex(index)
    assert "差 50 万元" in tab.detail.toPlainText()
    assert "依据原文" in tab.detail.toPlainText()


def test_missing_data_is_grey_and_named(qtbot, database, settings, runner, assess_county):
    _dialog, tab = open_tab(qtbot, database, settings, runner, assess_county["missing"])
    assert tab.readiness.text() == "缺数据"
    grey = [index for _d, node, index in rows(tab.model) if node.status == MISSING]
    assert grey and grey[0].data(Qt.BackgroundRole).color().name() == "#eeeeee"
    assert tab.verdict.text().startswith("缺数据：")


def test_scored_tier_shows_indicators_groups_and_hints(qtbot, database, settings, runner,
                                                      assess_county):
    _dialog, tab = open_tab(qtbot, database, settings, runner, assess_county["one_short"])
    tab.select_tier("innovative")
    assert not tab.score.isHidden() and "评价得分" in tab.score.text()
    assert "及格线 60 分" in tab.score.text()
    found = rows(tab.model)
    groups = [node.title for _d, node, _i in found if node.title.startswith(("创新能力：",
                                                                            "成长性：",
                                                                            "专业化："))]
    assert len(groups) == 3 and all("/ " in title for title in groups)
    points = [node.cells[3] for _d, node, _i in found if node.cells[3].startswith("得 ")]
    assert len(points) == 6  # the six scored indicators
    # 专精特新's own tier is not scored the same way: switching back hides nothing wrongly
    tab.select_tier("zjtx")
    assert tab.tier.currentData() == "zjtx"


def test_nonsense_figures_are_flagged_not_scored(qtbot, database, settings, runner, assess_county):
    _dialog, tab = open_tab(qtbot, database, settings, runner, assess_county["nonsense"])
    assert tab.readiness.text() == "数据存疑"
    assert not tab.flags.isHidden()
    assert "研发费用" in tab.flags.text() and "数据存疑" in tab.flags.text()
    nodes = [node for _d, node, _i in rows(tab.model)]
    assert nodes and all(node.status == "数据存疑" for node in nodes)
    assert tab.score.isHidden()


def test_already_held_tier_says_so(qtbot, database, settings, runner, assess_county):
    _dialog, tab = open_tab(qtbot, database, settings, runner, assess_county["holder"])
    assert tab.tier.currentData() == "little_giant"  # holds 专精特新: the next is 小巨人
    tab.select_tier("zjtx")
    assert tab.verdict.text().startswith("已是省级专精特新中小企业")


def test_saving_new_figures_refreshes_the_assessment(qtbot, database, settings, runner,
                                                     assess_county,
                                                     monkeypatch):
    dialog, tab = open_tab(qtbot, database, settings, runner, assess_county["one_short"])
    assert tab.readiness.text() == "差一项"
    tab.select_tier("zjtx")
    year = assess_county["year"]
    figures_tab = dialog.figures_tab
    row = next(n for n, r in enumerate(figures_tab.model.rows) if r["year"] == year)
    figures_tab.select_row(row)
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(
        lambda cls, parent, title, fields, values, *a: {"year": year, "rd_expense": "100"}))
    figures_tab.edit_selected()
    # unsaved: the tab still shows what is stored
    assert tab.readiness.text() == "差一项"
    with qtbot.waitSignal(dialog.save_finished, timeout=10_000):
        dialog.buttons.button(QDialogButtonBox.Apply).click()
    assert dialog.message.text() == ""
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # the refresh reads on the runner
    # nothing is short; the 13-indicator score is a number from its recorded inputs, only the
    # routine basic conditions are left to check
    assert tab.readiness.text() == "条件均满足（另有1项待核实）"
    assert tab.verdict.text().startswith("数据所及条件均满足，另有 1 项需人工核实（基本条件")
    assert tab.tier.currentData() == "zjtx"  # the user's pick survives the refresh
    # no condition is short now (an unused direct route may still be)
    assert not [node for depth, node, _i in rows(tab.model) if depth == 0
                and node.status == NOT_MET]


def test_new_enterprise_asks_to_save_first(qtbot, firm_window, database, settings, runner):
    dialog = firm_window(None)
    dialog.tabs.setCurrentWidget(dialog.assessment_tab)
    assert "保存企业后" in dialog.assessment_tab.verdict.text()
    assert dialog.assessment_tab.model.rowCount() == 0


def test_the_badge_follows_a_held_or_publicised_tier(qtbot, database, settings, runner,
                                                     assess_county):
    """A new-user tester's finding: a firm on the 专精特新 公示 list read 待人工核实（2项核心条件）
    in the badge while the headline said 已在…公示名单中…不再推荐; a tier held read 差一项 and
    the like under 已是…（有效期内）. The badge says what the headline leads with."""
    import datetime as dt

    from tiers.services import recognitions

    firm_id = assess_county["one_short"]
    with database.session() as session:
        recognitions.add(session, firm_id, {"tier_code": "zjtx", "is_pending": True,
                                            "batch_year": dt.date.today().year,
                                            "batch_label": "公示"})
    _dialog, tab = open_tab(qtbot, database, settings, runner, firm_id)
    tab.select_tier("zjtx")
    qtbot.waitUntil(lambda: tab.current() is not None and bool(tab.current().pending_tier),
                    timeout=10_000)
    assert tab.verdict.text().startswith("已在省级专精特新中小企业公示名单中")
    assert tab.readiness.text() == "公示中（不再推荐）"
    # the headline in the badge's colour: grey, nothing to do (it was 待人工核实's blue)
    assert colours(tab) == ("#5f6368", "#5f6368")
    tab.select_tier("innovative")  # held
    qtbot.waitUntil(lambda: tab.readiness.text() == "已认定", timeout=10_000)
    assert tab.verdict.text().startswith("已是")
    assert colours(tab) == ("#5f6368", "#5f6368")
    tab.select_tier("little_giant")  # neither: the readiness group's colour, on both
    qtbot.waitUntil(lambda: tab.current() is not None
                    and tab.current().tier_code == "little_giant", timeout=10_000)
    badge, headline = colours(tab)
    assert badge == headline == READINESS_COLOURS[tab.current().readiness]


def colours(tab) -> tuple[str, str]:
    """(the badge's background, the headline's text colour), as their style sheets set them."""
    import re

    badge = re.search(r"background: (#[0-9a-f]{6})", tab.readiness.styleSheet()).group(1)
    headline = re.search(r"(?<!-)color: (#[0-9a-f]{6})", tab.verdict.styleSheet()).group(1)
    return badge, headline
