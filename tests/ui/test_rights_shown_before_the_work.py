"""The client greys out what the login may not do, saying why, as soon as it is connected
(Database.rights, read from the server's roles and counties): a viewer gets no 新建企业,
导入, 导入数据包, 立即备份, 删除 nor 批量操作, and read-only firm windows; an editor
gets the firm window of another county's firm read-only, with a note saying so. (The
server's refusal after the work was all the officer had.) The rights are set here as the
server's would read; tests/tiers/server/test_account_rights.py reads them from a server."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit

from tiers.storage.write_rights import WriteRights
from ui.main_window import MainWindow

VIEWER = WriteRights(counties=frozenset(), may_write=False, role="viewer")
WUJIN_EDITOR = WriteRights(counties=frozenset({"320412"}), role="editor",
                           county_names=("武进区",))


def _window(qtbot, database, settings, runner):
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_viewer_sees_what_writes_greyed_with_the_reason(qtbot, database, settings, runner,
                                                          enterprise_factory, session):
    enterprise_factory("常州只读界面有限公司")
    session.commit()
    database.rights = VIEWER
    window = _window(qtbot, database, settings, runner)
    for action in (window.new_action, window.import_action, window.package_import_action,
                   window.backup_action, window.bulk_undo_action,
                   *window.bulk_actions.values()):
        assert not action.isEnabled(), action.text()
        assert action.toolTip() == "只读账号不能修改数据", action.text()
    for button in (window.roster.new_button, window.roster.delete_button):
        assert not button.isEnabled() and button.toolTip() == "只读账号不能修改数据"
    # what only reads stays
    for action in (window.export_action, window.package_status_action, window.refresh_action):
        assert action.isEnabled()
    window.roster.trash.setChecked(True)
    window.roster.trash.setChecked(False)
    assert not window.roster.new_button.isEnabled()  # the 回收站's toggle gives it not back


def test_an_editor_may_write_but_not_import_packages(qtbot, database, settings, runner):
    database.rights = WUJIN_EDITOR
    window = _window(qtbot, database, settings, runner)
    for action in (window.new_action, window.import_action, *window.bulk_actions.values()):
        assert action.isEnabled() and action.toolTip() != "只读账号不能修改数据"
    assert not window.package_import_action.isEnabled()
    assert window.package_import_action.toolTip().startswith("导入数据包需要管理员账号")
    assert not window.backup_action.isEnabled()  # pg_dump of a server: an admin's
    assert window.backup_action.toolTip().startswith("备份服务器数据库需要管理员账号")


def test_a_firm_of_another_county_opens_read_only_with_a_note(
        qtbot, firm_window, database, settings, runner, enterprise_factory, session):
    own = enterprise_factory("常州武进自己有限公司").id
    other = enterprise_factory("常州新北别人有限公司", county="新北区", town="").id
    session.commit()
    database.rights = WUJIN_EDITOR
    dialog = firm_window(other)
    reason = ("这家企业属于新北区，您的账号只能修改武进区的企业（如需修改，请该区县的同事或管理员修改）")
    assert dialog.read_only_note is not None
    assert dialog.read_only_note.text() == "只读：" + reason
    assert dialog.inputs["name"].isReadOnly() and dialog.inputs["county"].lineEdit().isReadOnly()
    assert all(widget.isReadOnly() for widget in dialog.inputs.values()
               if isinstance(widget, QLineEdit))
    # combo boxes fixed, not disabled (test_read_only_firm_window_looks_it)
    assert all(widget.lineEdit().isReadOnly() for widget in dialog.inputs.values()
               if isinstance(widget, QComboBox))
    for tab in dialog.record_tabs():
        assert not tab.add_button.isEnabled() and tab.add_button.toolTip() == reason
        tab.table.selectRow(0)
        assert not tab.edit_button.isEnabled() and not tab.delete_button.isEnabled()
    assert not dialog.recognition_tab.revoke_button.isEnabled()
    for which in (QDialogButtonBox.Save, QDialogButtonBox.Apply):
        assert not dialog.buttons.button(which).isEnabled()
    assert dialog.buttons.button(QDialogButtonBox.Cancel).text() == "关闭"
    dialog.save()  # Ctrl+S: nothing is sent, the reason is said
    assert dialog.saving is None and dialog.message.text() == reason

    mine = firm_window(own)
    assert mine.read_only_note is None and not mine.inputs["name"].isReadOnly()
    assert mine.recognition_tab.add_button.isEnabled()


def test_a_viewers_firm_window_is_read_only(qtbot, firm_window, database, settings, runner,
                                           enterprise_factory, session):
    firm = enterprise_factory("常州查看有限公司").id
    session.commit()
    database.rights = VIEWER
    dialog = firm_window(firm)
    assert dialog.read_only_note.text() == "只读：只读账号不能修改数据"
    assert dialog.inputs["notes"].isReadOnly()
    dialog.recognition_tab.add()  # Alt+A heard anyway: nothing is added
    assert not dialog.recognition_tab.rows and not dialog.has_unsaved_changes()


def test_a_file_has_every_right(
        qtbot, firm_window, database, settings, runner, enterprise_factory, session):
    firm = enterprise_factory("常州本机有限公司", county="新北区", town="").id
    session.commit()
    window = _window(qtbot, database, settings, runner)
    assert all(action.isEnabled() for action in (
        window.new_action, window.import_action, window.package_import_action,
        window.backup_action, *window.bulk_actions.values()))
    dialog = firm_window(firm)
    assert dialog.read_only_note is None


def test_a_viewers_other_pages_offer_no_writes(qtbot, database, settings, runner):
    from PySide6.QtWidgets import QPushButton

    database.rights = VIEWER
    window = _window(qtbot, database, settings, runner)

    def button(page, text):
        found = [b for b in page.findChildren(QPushButton) if b.text() == text]
        assert found, text
        return found[0]

    for page, texts in ((window.cultivation, ("加入培育库", "修改", "移出")),
                        (window.chains, ("加入企业", "修改角色", "移出"))):
        for text in texts:
            greyed = button(page, text)
            assert not greyed.isEnabled() and greyed.toolTip() == "只读账号不能修改数据", text
    assert button(window.cultivation, "打开企业").isEnabled()
    assert not window.cultivation.candidates.add_button.isEnabled()  # 候选企业's 加入培育库
    window.show_page(5)  # 导入记录
    qtbot.waitUntil(lambda: window.imports.undo_button.toolTip() == "只读账号不能修改数据")
    assert not window.imports.undo_button.isEnabled()
