from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

from tiers.progress import Progress
from tiers.queries import roster
from tiers.queries.imports import import_batches
from tiers.services import chains, cultivation, enterprises, measures
from ui.background_runner import BackgroundRunner
from ui.chains_view import CLUSTER_ROLE, ChainsView
from ui.cultivation_view import CultivationView
from ui.enterprise_picker_dialog import EnterprisePickerDialog, PickedFirm
from ui.imports_view import ImportsView
from ui.measures_view import MeasuresView
from ui.record_form_dialog import RecordFormDialog
from ui.settings_dialog import SettingsDialog


def test_models_pass_modeltester(qtmodeltester, qtbot, demo_database, settings, runner):
    views = [MeasuresView(demo_database), ChainsView(demo_database, settings),
             CultivationView(demo_database, settings), ImportsView(demo_database, settings,
                                                                   runner)]
    for view in views:
        qtbot.addWidget(view)
    qtbot.waitUntil(lambda: views[3].reading.task is None, timeout=10_000)  # on the runner
    views[1].select_chain("C32")
    for view in views:
        assert view.model.rowCount() > 0, type(view).__name__
        qtmodeltester.check(view.model)


def test_measures_filters_and_totals(qtbot, database, settings, enterprise_factory, session):
    a = enterprise_factory("常州甲科技有限公司")
    b = enterprise_factory("常州乙科技有限公司")
    measures.add(session, a.id, {"kind": "认定奖励", "amount": "50", "year": 2024})
    measures.add(session, a.id, {"kind": "贷款贴息", "amount": "12.5", "year": 2023})
    measures.add(session, b.id, {"kind": "认定奖励", "amount": "30", "year": 2024})
    session.commit()
    view = MeasuresView(database)
    qtbot.addWidget(view)
    assert view.model.rowCount() == 3
    assert "92.50" in view.totals.text()
    view.kind.setCurrentIndex(view.kind.findData("认定奖励"))
    assert view.model.rowCount() == 2 and "80.00" in view.totals.text()
    view.year.setCurrentIndex(view.year.findData(2024))
    view.search.setText("czyk")  # 常州乙科 initials
    view.refresh()
    assert view.model.rowCount() == 1 and view.model.record(0)["amount"] == Decimal("30")


def test_measures_total_is_money_and_the_rest_is_said_apart(qtbot, database, settings,
                                                            enterprise_factory, session):
    """support29: a 专精特新贷 is a loan, a 研发费用加计扣除 a deduction: the page's 合计 is the
    money (资金奖补) and the others are named beside it, not added."""
    a = enterprise_factory("常州甲科技有限公司")
    for kind, amount in (("认定奖励", "50"), ("专精特新贷", "3000"), ("研发费用加计扣除", "120")):
        measures.add(session, a.id, {"kind": kind, "amount": amount, "year": 2025})
    session.commit()
    view = MeasuresView(database)
    qtbot.addWidget(view)
    assert view.model.rowCount() == 3
    text = view.totals.text()
    assert "资金奖补合计 50.00 万元" in text, text
    assert "另有融资额 3,000.00、税收优惠额 120.00 万元，不计入" in text, text


def test_chain_tree_and_assignment(qtbot, database, settings, enterprise_factory, session,
                                   monkeypatch, runner):
    leader = enterprise_factory("常州链主有限公司")
    member = enterprise_factory("常州配套有限公司")
    chains.set_role(session, member.id, "C14", "配套企业")
    session.commit()
    view = ChainsView(database, settings, runner=runner)
    qtbot.addWidget(view)
    assert sum(item.childCount() for item in view.cluster_items.values()) == 50
    assert len(view.cluster_items) == 14
    with qtbot.waitSignal(view.loaded, timeout=10_000):  # (the firms read on the runner)
        view.select_chain("C14")
    assert view.model.rowCount() == 1
    monkeypatch.setattr(EnterprisePickerDialog, "pick_firm", classmethod(
        lambda cls, *a, **k: PickedFirm(leader.id, leader.name)))
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(
        lambda cls, parent, title, fields, values, *a: {**values, "role": "链主", "note": ""}))
    with qtbot.waitSignal(view.save_finished, timeout=10_000) as finished:
        view.assign()
        assert not view.isEnabled() and view.title.text() == "正在保存…"  # on the runner
    assert finished.args == [True] and view.isEnabled()
    assert [view.model.record(r)["name"] for r in range(2)] == ["常州链主有限公司",
                                                                 "常州配套有限公司"]
    qtbot.waitUntil(lambda: view.items["C14"].text(1) == "2")  # (counted on the runner)


def test_cultivation_add_and_edit(qtbot, database, settings, enterprise_factory, session,
                                  monkeypatch, runner):
    firm = enterprise_factory("常州培育有限公司")
    session.commit()
    view = CultivationView(database, settings, runner=runner)
    qtbot.addWidget(view)
    monkeypatch.setattr(EnterprisePickerDialog, "pick", classmethod(lambda cls, *a, **k: firm.id))
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(
        lambda cls, *a: {"target_tier": "zjtx", "target_year": "2026", "officer": "王丽",
                         "status": "培育中", "note": ""}))
    # the firm's name and defaults are read on the runner before the form (加入培育库 — 名称),
    # so the write starts after add() returns: look at the page as the write starts
    writing, real_write = [], view._write

    def write(action):
        task = real_write(action)
        writing.append((view.isEnabled(), view.count.text()))
        return task

    monkeypatch.setattr(view, "_write", write)
    with qtbot.waitSignal(view.save_finished, timeout=10_000) as finished:
        view.add()
    [(enabled, count)] = writing
    assert not enabled and count == "正在保存…"  # on the runner
    assert finished.args == [True] and view.isEnabled()
    assert view.model.rowCount() == 1 and view.model.record(0)["officer"] == "王丽"
    view.table.selectRow(0)
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(
        lambda cls, parent, title, fields, values, *a: {**{k: values[k] for k in
                                                           cultivation.FIELDS},
                                                        "status": "已申报"}))
    with qtbot.waitSignal(view.save_finished, timeout=10_000):
        view.edit_selected()
    assert view.model.record(0)["status"] == "已申报"


def test_picker_searches(qtbot, database, enterprise_factory, session):
    enterprise_factory("常州恒立液压股份有限公司")
    enterprise_factory("江苏天合光能有限公司")
    session.commit()
    picker = EnterprisePickerDialog(database)
    qtbot.addWidget(picker)
    with qtbot.waitSignal(picker.model.counts_changed, timeout=2000):
        picker.search.setText("thgn")
    picker.table.selectRow(0)
    assert picker.model.row(0)["name"] == "江苏天合光能有限公司"
    assert picker.chosen() == picker.model.ids[0]
    assert picker.chosen_name() == "江苏天合光能有限公司"
    assert picker.chosen_code() == picker.model.row(0)["credit_code"]
    assert picker.chosen_county() == picker.model.row(0)["county"]


def test_runner_progress_result_and_cancel(qtbot, runner):
    def counting(task):
        for number in range(3):
            yield Progress("步骤", number + 1, 3)
        return "完成"

    task = runner.submit("计数", counting)
    progress = []
    task.progress.connect(lambda done, total, _m: progress.append((done, total)))
    with qtbot.waitSignal(task.succeeded, timeout=5000) as result:
        pass
    assert result.args == ["完成"]
    qtbot.waitUntil(lambda: progress == [(1, 3), (2, 3), (3, 3)])

    import threading

    gate = threading.Event()

    def endless(task):
        while True:
            gate.wait(0.01)
            yield Progress("", 0, 0)

    task = runner.submit("无尽", endless)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.cancel()
    failing = runner.submit("失败", lambda task: 1 / 0)
    with qtbot.waitSignal(failing.failed, timeout=5000) as failed:
        pass
    assert "division" in failed.args[0]


def test_runner_shutdown_cancels_running_job(qtbot):
    runner = BackgroundRunner()

    def slow(task):
        while True:
            yield 0, 0, ""

    runner.submit("慢", slow)
    assert runner.shutdown(5000)
    assert runner.pool.activeThreadCount() == 0


def test_settings_remembered(qtbot, database, settings, runner):
    dialog = SettingsDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    dialog.organisation.setText("常州市武进区工业和信息化局")
    dialog.officer.setText("陈晓东")
    dialog.phone.setText("0519-86310000")
    dialog.save()
    assert (settings.organisation_of(database), settings.officer, settings.phone) == (
        "常州市武进区工业和信息化局", "陈晓东", "0519-86310000")


@pytest.mark.sqlite_only  # a copy of the file and its restore (a server's: tiers backup)
def test_backup_and_restore(qtbot, database, settings, runner, enterprise_factory, session,
                            tmp_path, monkeypatch, code):
    from ui.ask import FileDialog

    enterprise_factory("常州备份前有限公司")
    session.commit()
    target = tmp_path / "backup.sqlite3"
    task = SettingsDialog.backup(None, database, settings, runner, str(target))
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert target.exists()
    with database.session() as s:
        enterprises.create(s, {"credit_code": code(999), "name": "常州备份后有限公司"})
    dialog = SettingsDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(FileDialog, "open_file", classmethod(lambda cls, *a: str(target)))
    with qtbot.waitSignal(dialog.database_chosen, timeout=10_000) as chosen:
        task = dialog.restore()  # copied on the background thread
        assert task is not None and not task.done.is_set()
    restored = chosen.args[0]
    assert dialog.database is restored
    with restored.session() as s:
        names = [r["name"] for r in roster.roster(s, roster.RosterFilter())]
    assert names == ["常州备份前有限公司"]
    assert list((database.path.parent / "backups").glob("*before-restore*"))
    restored.dispose()


def test_import_batches_listed(qtbot, demo_database, settings, runner):
    view = ImportsView(demo_database, settings, runner)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)  # read on the runner
    assert view.model.record(0)["file_name"] == "演示数据"
    with demo_database.session() as session:
        assert import_batches(session)[0]["counts"] == {"enterprises": 120}


def test_picker_enter_in_search_box_picks_the_match(qtbot, database, enterprise_factory,
                                                    session):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog

    enterprise_factory("常州恒立液压股份有限公司")
    wanted = enterprise_factory("江苏天合光能有限公司")
    session.commit()
    picker = EnterprisePickerDialog(database)
    qtbot.addWidget(picker)
    picker.show()
    picker.search.setFocus()
    qtbot.keyClicks(picker.search, "thgn")
    qtbot.keyClick(picker.search, Qt.Key_Return)  # before the search timer fired
    assert picker.result() == QDialog.Accepted
    assert picker.chosen() == wanted.id


def test_chain_tree_shows_counts_and_cluster_heading(qtbot, database, settings,
                                                     enterprise_factory, session, monkeypatch):
    firm = enterprise_factory("常州链上有限公司")
    other = enterprise_factory("常州第二有限公司")
    chains.set_role(session, firm.id, "C14", "配套企业")
    chains.set_role(session, other.id, "C14", "链主")
    session.commit()
    view = ChainsView(database, settings)
    qtbot.addWidget(view)
    view.resize(1024, 700)
    view.show()
    qtbot.waitExposed(view)
    item = view.items["C14"]
    tree = view.tree
    count_rect = tree.visualItemRect(item)
    header = tree.header()
    assert item.text(1) == "2"
    # the count column lies inside the visible part of the tree
    assert header.sectionViewportPosition(1) + header.sectionSize(1) <= tree.viewport().width()
    assert header.sectionSize(1) >= tree.fontMetrics().horizontalAdvance("999")
    assert count_rect.isValid()
    cluster = item.parent()
    assert cluster.text(1) == "2"
    view.select_chain("C14")
    assert view.title.text().startswith("C14") is False and "2 家企业" in view.title.text()
    tree.setCurrentItem(cluster)
    assert cluster.data(0, CLUSTER_ROLE) in view.title.text()
    assert "2 家企业" in view.title.text()
    assert view.model.rowCount() == 2 and not view.table.isColumnHidden(0)
    # the chain-role form names the firm
    titles = []
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(
        lambda cls, parent, title, fields, values, *a: titles.append(title)))
    view.select_chain("C14")
    view.table.selectRow(0)
    view.edit_role()
    assert titles and titles[0].endswith("常州第二有限公司")


def test_measure_filter_combos_show_their_whole_text(qtbot, database):
    view = MeasuresView(database)
    qtbot.addWidget(view)
    view.resize(1024, 700)
    view.show()
    qtbot.waitExposed(view)
    for combo in (view.kind, view.year, view.county, view.status):
        needed = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i))
                     for i in range(combo.count()))
        # the text's room, beside the arrow (Qt sized it by the glyphs' ink, and the ink of
        # a full-width （ ） is half its width: the officer saw （全部 cut off at 1366)
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        field = combo.style().subControlRect(QStyle.CC_ComboBox, option,
                                             QStyle.SC_ComboBoxEditField, combo)
        assert field.width() >= needed, combo.itemText(0)


def test_long_cells_are_capped_with_the_full_text_in_the_tooltip(
        qtbot, firm_window, database, settings, runner, enterprise_factory, session):
    from PySide6.QtCore import Qt

    from tiers.services import recognitions

    firm = enterprise_factory("常州长文本有限公司")
    issuer = "江苏省工业和信息化厅、江苏省财政厅、江苏省科学技术厅联合认定" * 2
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "level": "省级",
                                        "batch_year": 2024, "issuer": issuer})
    session.commit()
    dialog = firm_window(firm.id)
    tab = dialog.recognition_tab
    column = [c.key for c in tab.model.columns].index("issuer")
    assert tab.table.columnWidth(column) <= 260
    assert tab.model.index(0, column).data(Qt.ToolTipRole) == issuer
