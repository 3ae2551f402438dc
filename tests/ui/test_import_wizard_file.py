"""The wizard's first page: the kinds of file it offers and reads (.txt among them), and a
refused or broken file told in the window, with a traceback only for a bug."""

from __future__ import annotations

import logging

import pytest

from tests.ui.wizard_helpers import (
    open_wizard,
)
from ui.ask import FileDialog
from ui.import_wizard import FILE, MAPPING, ImportWizard


def test_file_dialog_offers_txt_with_the_excel_kinds(qtbot, database, settings, runner,
                                                     monkeypatch):
    asked = []
    monkeypatch.setattr(FileDialog, "open_files", classmethod(  # one file or several
        lambda cls, parent, title, folder, filters: asked.append(filters) or []))
    wizard = ImportWizard(database, settings, runner)
    qtbot.addWidget(wizard)
    wizard.browse()
    first = asked[0].split(";;")[0]
    for pattern in ("*.xlsx", "*.xlsm", "*.xls", "*.csv", "*.txt"):
        assert pattern in first


def test_tab_separated_txt_imports(qtbot, database, settings, runner, tmp_path, code):
    path = tmp_path / "名录.txt"
    lines = ["企业名称\t统一社会信用代码\t县区",
             f"常州文本一号科技有限公司\t{code(901)}\t武进区"]
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    assert wizard.current_mapping()[0] == "name"
    wizard.close()


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 truncated zip"])
def test_refused_file_is_told_not_logged_as_a_crash(qtbot, database, settings, runner, tmp_path,
                                                    caplog, content):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(content)
    wizard = ImportWizard(database, settings, runner, path=str(path))
    qtbot.addWidget(wizard)
    with caplog.at_level(logging.INFO), qtbot.waitSignal(wizard.task_failed, timeout=10_000):
        wizard.next_button.click()
    assert "名单.xlsx" in wizard.error.text()
    assert wizard.current_step() == FILE
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text


def test_an_unexpected_failure_is_still_logged(qtbot, database, settings, runner, tmp_path,
                                               caplog, monkeypatch):
    import ui.import_wizard.jobs as wizard_module

    def broken(path):
        raise RuntimeError("读取器出错")

    monkeypatch.setattr(wizard_module, "open_source", broken)
    path = tmp_path / "名单.xlsx"
    path.write_bytes(b"whatever")
    wizard = ImportWizard(database, settings, runner, path=str(path))
    qtbot.addWidget(wizard)
    with caplog.at_level(logging.INFO), qtbot.waitSignal(wizard.task_failed, timeout=10_000):
        wizard.next_button.click()
    assert "读取器出错" in wizard.error.text()
    assert "Traceback" in caplog.text and "RuntimeError" in caplog.text
