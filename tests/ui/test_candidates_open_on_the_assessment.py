"""打开企业 from 候选企业 opened the firm's window on 基本信息, its 对标预审 (when the officer
went there) on the next rung up under the rule set the firm's own data call for: a firm
listed 差一项 for 专精特新 under the 2026 办法 read 条件均满足 under the 2022 rules. The officer
came from a readiness list: the window opens on 对标预审, with the list's target tier and
rule set."""

from __future__ import annotations

from tests.ui.candidates_helpers import candidates_in_window
from tiers.assess import ONE_SHORT
from ui.main_window import MainWindow


def _listed(qtbot, demo_database, settings, runner, tier: str):
    window, candidates = candidates_in_window(qtbot, demo_database, settings, runner)
    candidates.select_tier(tier)
    with qtbot.waitSignal(candidates.finished, timeout=30_000):
        assert candidates.run() is not None
    assert candidates.model.rowCount() > 0
    return window, candidates


def _opened(qtbot, window, candidates, row: int):
    candidates.table.selectRow(row)
    candidates.open_button.click()
    dialog = window.enterprise_dialogs[candidates.model.record(row)["enterprise_id"]]
    tab = dialog.assessment_tab
    qtbot.waitUntil(lambda: tab.ready and bool(tab.shown), timeout=10_000)
    return dialog, tab


def test_the_window_opens_on_the_lists_tier_and_rule_set(qtbot, demo_database, settings,
                                                         runner):
    window, candidates = _listed(qtbot, demo_database, settings, runner, "zjtx")
    model = candidates.model
    rows = [r for r in range(model.rowCount()) if model.record(r)["readiness_code"] == ONE_SHORT]
    assert rows
    rule_set = candidates.found.rules.rule_set.name
    for row in rows[:3]:
        dialog, tab = _opened(qtbot, window, candidates, row)
        assert dialog.tabs.currentWidget() is tab  # not 基本信息
        assert tab.tier.currentData() == "zjtx"
        assert [item.rule_set for item in tab.shown] == [rule_set]
        # the verdict the list gave, not the one of another rule set (复核：… for a firm in
        # its 复核, a title held whose round is this year among them, as the list's cell)
        record = model.record(row)
        assert tab.readiness.text() == record["readiness_text"]
        dialog.reject()
    window.close()


def test_a_window_already_open_turns_to_the_lists_assessment(qtbot, demo_database, settings,
                                                             runner):
    """A list for 小巨人: the firm's window, already open on 基本信息 (or on another tier),
    turns to 对标预审 on 小巨人, not the next rung up."""
    window, candidates = _listed(qtbot, demo_database, settings, runner, "little_giant")
    firm = candidates.model.record(0)["enterprise_id"]
    dialog = window.open_enterprise(firm)
    assert dialog.tabs.currentIndex() == 0
    dialog.tabs.setCurrentWidget(dialog.assessment_tab)
    tab = dialog.assessment_tab
    qtbot.waitUntil(lambda: tab.ready and bool(tab.shown), timeout=10_000)
    dialog.tabs.setCurrentIndex(0)
    again, tab = _opened(qtbot, window, candidates, 0)
    assert again is dialog and dialog.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: tab.ready and tab.tier.currentData() == "little_giant",
                    timeout=10_000)
    assert tab.shown[0].rule_set == candidates.found.rules.rule_set.name
    assert tab.readiness.text() == candidates.model.record(0)["readiness_text"]
    window.close()


def test_a_rule_set_other_than_the_firms_own_is_picked(qtbot, database, settings, runner,
                                                       session, enterprise_factory):
    """A list judged under another rule set than the firm's data call for: the window picks
    the list's; the same one as the data's stays 按申报类型自动选择 (its reason said)."""
    from tests.ui.test_assess_tab_2026 import issue_firm
    from ui.enterprise_dialog import EnterpriseDialog

    dialog = EnterpriseDialog(database, settings, issue_firm(session, enterprise_factory),
                              runner=runner)
    qtbot.addWidget(dialog)
    dialog.show()
    tab = dialog.assessment_tab
    dialog.show_assessment("little_giant", "2022暂行办法")
    assert dialog.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: tab.ready and [i.rule_set for i in tab.shown] == ["2022暂行办法"],
                    timeout=10_000)
    assert tab.rules.currentData() == "2022暂行办法"
    dialog.show_assessment("little_giant", "2026办法")  # shown already: at once
    qtbot.waitUntil(lambda: tab.ready and [i.rule_set for i in tab.shown] == ["2026办法"],
                    timeout=10_000)
    assert tab.rules.currentData() == ""  # the data's own choice, with its reason
    assert "新申报" in tab.rule_label.text()
    dialog.reject()


def test_a_list_asking_while_a_rule_set_is_reading_is_heard(qtbot, database, settings, runner,
                                                            session, enterprise_factory):
    """打开企业 from 候选企业 while the window's own rule set pick (并列对比) was still reading
    was ignored: the window waited for any read, then showed the pick on the old tier. Only a
    refresh is waited for; a pick under way is dropped for the list's request."""
    from tests.ui.test_assess_tab_2026 import issue_firm
    from ui.assessment_view import COMPARE
    from ui.enterprise_dialog import EnterpriseDialog

    dialog = EnterpriseDialog(database, settings, issue_firm(session, enterprise_factory),
                              runner=runner)
    qtbot.addWidget(dialog)
    dialog.show()
    tab = dialog.assessment_tab
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    tab.select_tier("zjtx")
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    tab.select_rules(COMPARE)
    assert tab.picking.task is not None and tab.latest.task is None  # the pick is reading
    dialog.show_assessment("little_giant", "2022暂行办法")
    # every read over and delivered: a dropped pick's result, were it shown, is in
    qtbot.waitUntil(lambda: tab.ready and runner.settled, timeout=10_000)
    assert tab.tier.currentData() == "little_giant"
    assert tab.rules.currentData() == "2022暂行办法"
    assert [item.rule_set for item in tab.shown] == ["2022暂行办法"]
    assert all(item.tier_code == "little_giant" for item in tab.shown)
    dialog.reject()


def test_a_window_already_open_wastes_no_read_on_a_lists_year(qtbot, database, settings,
                                                              runner, session, enterprise_factory):
    """The firm's window already open, 打开企业 from a list run on a year the officer picked,
    under a rule set other than the data's: the window assessed under that rule set on its old
    year, then read everything again on the list's year (a wasted read). The year is taken
    first: the refresh on the list's year, then the list's rule set on it, nothing more."""
    from tests.ui.test_assess_tab_2026 import issue_firm

    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    firm = issue_firm(session, enterprise_factory)
    dialog = window.open_enterprise(firm)
    tab = dialog.assessment_tab
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.ready and runner.settled, timeout=10_000)
    reads: list[str] = []
    submit = runner.submit
    runner.submit = lambda name, job: reads.append(name) or submit(name, job)
    year = tab.shown[0].figures_year - 1
    again = window.open_enterprise(firm, year, assessment=("little_giant", "2022暂行办法"))
    assert again is dialog
    qtbot.waitUntil(lambda: tab.ready and runner.settled, timeout=10_000)
    assert len(reads) == 2, reads  # (the refresh; the rule set picked, on its year)
    assert tab.year == year and tab.tier.currentData() == "little_giant"
    assert [item.rule_set for item in tab.shown] == ["2022暂行办法"]
    assert tab.shown[0].figures_year == year
    dialog.reject()
    window.close()


def test_a_firm_in_its_review_opens_on_its_reviews_rule_set(qtbot, database, settings, runner,
                                                            session, enterprise_factory):
    """A 小巨人 (第五批, 2023) run out but still in its 2026 复核 round is listed by that
    复核's rule set (2022暂行办法), not the list's (2026办法): 打开企业 passed the list's rule
    set, which the window took as the officer's pick, and judged the firm 不符合 under 2026办法
    where its row said 待人工核实 under 2022暂行办法. The window shows what the row said."""
    import datetime as dt

    import time_machine

    from tests.tiers.test_assess_prerequisite_lost import add_title, giant_in_db

    firm = giant_in_db(session, enterprise_factory, "常州打开复核科技有限公司")
    add_title(session, firm.id, "little_giant", year=2023, on=dt.date(2023, 8, 1),
              batch_label="第五批")
    session.commit()
    with time_machine.travel(dt.datetime(2026, 9, 1, 2, 0, tzinfo=dt.UTC), tick=True):
        window, candidates = candidates_in_window(qtbot, database, settings, runner)
        candidates.include_not_ready.setChecked(True)
        candidates.select_tier("little_giant")
        with qtbot.waitSignal(candidates.finished, timeout=30_000):
            assert candidates.run() is not None
        found, model = candidates.found, candidates.model
        [row] = [r for r in range(model.rowCount())
                 if model.record(r)["enterprise_id"] == firm.id]
        own = found.rules_of(firm.id)[0].rule_set.name
        assert own != found.rules.rule_set.name  # (the case: the 复核's, not the list's)
        dialog, tab = _opened(qtbot, window, candidates, row)
        assert tab.tier.currentData() == "little_giant"
        assert [item.rule_set for item in tab.shown] == [own]
        assert tab.rules.currentData() == ""  # the data's own choice, not a pick
        # the verdict the row gave (the window's badge says it is the 复核)
        assert tab.readiness.text() == model.record(row)["readiness_text"]
        assert tab.readiness.text().startswith("复核：") and tab.readiness.text().count("复核") == 1
        dialog.reject()
        window.close()
