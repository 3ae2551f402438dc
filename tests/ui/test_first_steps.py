"""Help and first steps (#19): the demo offered with 是 as the default, 县区 from the credit
code in the new-enterprise form, the new firm shown after saving, units in the figures."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from ui import app
from ui.ask import ConfirmDialog
from ui.enterprise_dialog import EnterpriseDialog
from ui.help_dialog import HelpDialog
from ui.main_window import MainWindow
from ui.record_forms import figures_fields

REAL_ASK = ConfirmDialog.__dict__["ask"]  # before the fixtures replace it


@pytest.mark.sqlite_only  # a shared server is never offered the demo
def test_the_demo_is_offered_with_yes_as_the_default(database, monkeypatch):
    asked, filled = [], []
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(
        lambda cls, parent, title, text, **options: asked.append(options) or True))
    monkeypatch.setattr(app, "fill_demo", lambda db: filled.append(db))
    assert app.offer_demo(database)
    assert asked == [{"default_yes": True}] and filled == [database]


def test_confirm_default_button(monkeypatch):
    monkeypatch.setattr(ConfirmDialog, "ask", REAL_ASK)
    defaults = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda parent, title, text, buttons, default: defaults.append(default)
        or QMessageBox.Yes))
    ConfirmDialog.ask(None, "t", "x", default_yes=True)
    ConfirmDialog.ask(None, "t", "x")
    assert defaults == [QMessageBox.Yes, QMessageBox.No]


def test_new_form_fills_the_county_from_the_credit_code(qtbot, database, settings, runner,
                                                        code):
    dialog = EnterpriseDialog(database, settings, runner=runner)
    qtbot.addWidget(dialog)
    county = dialog.inputs["county"]
    qtbot.keyClicks(dialog.inputs["credit_code"], code(5))  # 91320412…
    assert county.currentText() == "武进区"
    dialog.inputs["credit_code"].setText("91320281" + code(5)[8:])  # 江阴市
    assert county.currentText() == "江阴市"
    county.setCurrentText("新北区")  # the officer's choice stays
    dialog.inputs["credit_code"].setText(code(6))
    assert county.currentText() == "新北区"


def test_an_existing_firm_keeps_its_county(qtbot, firm_window, database, settings, runner,
                                           enterprise_factory, session, code):
    firm = enterprise_factory(county="新北区")
    session.commit()
    dialog = firm_window(firm.id)
    dialog.inputs["credit_code"].setText(code(9))
    assert dialog.inputs["county"].currentText() == "新北区"


def test_a_new_firm_is_shown_and_selected_even_with_a_search(qtbot, database, settings,
                                                             runner, enterprise_factory,
                                                             session, code):
    enterprise_factory("常州老企业有限公司")
    session.commit()
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.roster.search.setText("老企业")
    window.roster.apply_filters()
    dialog = window.new_enterprise()
    dialog.set_field("credit_code", code(50))
    dialog.set_field("name", "常州新来的科技有限公司")
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.buttons.button(QDialogButtonBox.Save).click()
    qtbot.waitUntil(lambda: window.roster.selected_ids() == [saved.args[0]], timeout=5_000)
    assert window.stack.currentWidget() is window.roster
    dialog.close()
    window.close()


def test_figures_are_headed_with_their_units(qtbot, firm_window, database, settings, runner,
                                             enterprise_factory, session):
    firm = enterprise_factory()
    session.commit()
    dialog = firm_window(firm.id)
    model = dialog.figures_tab.model
    titles = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    assert "营业收入（万元）" in titles and "从业人员（人）" in titles
    assert "营业收入（万元）" in [field.label for field in figures_fields()]


def test_an_empty_database_shows_what_to_do_first(qtbot, database, settings, runner):
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.counting is None and window.overview is not None, timeout=10_000)
    assert window.content.currentWidget() is window.first_steps
    assert window.first_steps.heading.text() == "企业库还是空的"
    window.show_page(0)
    assert window.first_steps.heading.text() == "工作台还是空的"
    window.show_page(5)  # 导入记录 keeps its list
    assert window.content.currentWidget() is window.stack
    window.show_page(1)
    if database.path is None:  # a shared server: the demo is not offered
        assert not window.first_steps.demo_button.isVisible()
        window.close()
        return
    assert window.first_steps.demo_button.isVisible()
    with qtbot.waitSignal(window.runner.changed, timeout=30_000):
        window.first_steps.demo_button.click()
    qtbot.waitUntil(lambda: window.content.currentWidget() is window.stack, timeout=10_000)
    assert window.roster.model.rowCount() == 300
    window.close()


def test_first_steps_buttons_open_the_import_and_the_form(qtbot, database, settings, runner,
                                                         monkeypatch):
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    opened = []
    monkeypatch.setattr(window, "open_import_wizard", lambda path=None: opened.append("import"))
    window.first_steps.import_button.click()
    with qtbot.waitSignal(window.first_steps.new_requested):
        window.first_steps.new_button.click()
    dialog = window.enterprise_dialogs.get(None)
    assert opened == ["import"] and dialog is not None
    dialog.close()
    window.close()


def test_a_new_city_database_starts_from_its_counties_packages(qtbot, database, settings,
                                                              runner):
    """The city officer's walk: a new database for the city offered 导入名单, 演示数据 and
    新建企业, not the county packages a city's database is made of (only in 文件 menu)."""
    from ui.package_import_dialog import PackageImportDialog

    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.counting is None and window.overview is not None, timeout=10_000)
    assert window.content.currentWidget() is window.first_steps
    button = window.first_steps.package_button
    assert button.isVisible() and button.text() == "导入数据包…"
    button.click()
    [dialog] = [w for w in window.tool_windows if isinstance(w, PackageImportDialog)]
    assert dialog.isVisible()
    dialog.close()
    window.close()


def test_help_opens_the_manual_with_its_screenshots(qtbot, database, settings, runner):
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.manual_action.trigger()
    dialog = window.findChild(HelpDialog)
    assert dialog is not None and dialog.isVisible()
    text = dialog.browser.toPlainText()
    for topic in ("导入名单", "公示与认定", "对标预审", "上报", "备份与恢复", "Ctrl+C"):
        assert topic in text
    document = dialog.browser.document()
    for image in ("roster.png", "import-preview.png", "export.png"):
        picture = document.resource(QTextDocument.ImageResource, QUrl(image))
        assert picture is not None and not picture.isNull(), image
    dialog.close()
    window.close()
