from __future__ import annotations

import openpyxl

from ui.export_dialog import ExportDialog


def test_export_roster_with_filters_and_signature(qtbot, demo_database, settings, runner,
                                                  tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(ExportDialog, "open_folder", classmethod(lambda cls, p: opened.append(p)))
    dialog = ExportDialog(demo_database, settings, runner, report="roster")
    qtbot.addWidget(dialog)
    dialog.set_filter("tier", "little_giant")
    dialog.unit.setText("常州市武进区工业和信息化局")
    dialog.filled_by.setText("陈晓东")
    dialog.phone.setText("0519-86310000")
    target = tmp_path / "小巨人名单.xlsx"
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as done:
        dialog.export_button.click()
    assert done.args == [str(target)] and target.exists()
    text = [str(c.value) for row in openpyxl.load_workbook(target).active.iter_rows()
            for c in row if c.value is not None]
    assert any("常州市武进区工业和信息化局" in t for t in text)
    assert any("小巨人" in t for t in text)
    assert settings.organisation_of(demo_database) == "常州市武进区工业和信息化局"
    assert settings.officer == "陈晓东" and settings.phone == "0519-86310000"
    dialog.open_folder_button.click()
    assert opened == [str(target)]
    again = ExportDialog(demo_database, settings, runner)
    qtbot.addWidget(again)
    assert again.unit.text() == "常州市武进区工业和信息化局"


def test_every_report_builds_its_filter_form(qtbot, demo_database, settings, runner):
    dialog = ExportDialog(demo_database, settings, runner)
    qtbot.addWidget(dialog)
    for number in range(dialog.report.count()):
        dialog.report.setCurrentIndex(number)
        assert set(dialog.filter_widgets) == set(dialog.definition().filter_names)
        dialog.request()


def test_profile_needs_a_code(qtbot, demo_database, settings, runner, tmp_path):
    dialog = ExportDialog(demo_database, settings, runner, report="profile")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "x.xlsx"))
    assert dialog.export() is None
    assert "请填写" in dialog.status.text()


def test_failed_export_leaves_no_file(qtbot, demo_database, settings, runner, tmp_path):
    dialog = ExportDialog(demo_database, settings, runner, report="profile")
    qtbot.addWidget(dialog)
    dialog.set_filter("code", "913204120000000000")
    target = tmp_path / "档案.xlsx"
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.export_failed, timeout=30_000):
        dialog.export_button.click()
    assert "失败" in dialog.status.text() and not target.exists()


def test_missing_folder_fails_with_a_message_and_no_traceback(qtbot, demo_database, settings,
                                                              runner, tmp_path, caplog):
    import logging

    dialog = ExportDialog(demo_database, settings, runner, report="roster")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "没有这个文件夹" / "名单.xlsx"))
    with caplog.at_level(logging.INFO), qtbot.waitSignal(dialog.export_failed, timeout=30_000):
        dialog.export_button.click()
    assert "导出失败" in dialog.status.text()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert all("Traceback" not in r.getMessage() for r in caplog.records)


def test_the_form_rows_are_exactly_the_reports_filters(qtbot, demo_database, settings, runner):
    from PySide6.QtWidgets import QFormLayout

    from ui.mnemonics import with_mnemonics

    dialog = ExportDialog(demo_database, settings, runner)
    qtbot.addWidget(dialog)
    for number in range(dialog.report.count()):
        dialog.report.setCurrentIndex(number)
        form = dialog.filters_form
        labels = [form.itemAt(row, QFormLayout.LabelRole).widget().text()
                  for row in range(form.rowCount())]
        # each with its Alt letter (none the dialog's own), which puts the focus in its field
        expected = with_mnemonics([s.label + ("＊" if s.required else "")
                                   for s in dialog.definition().filters], dialog.fixed_letters)
        assert labels == expected
        letters = [label[label.index("(&") + 2] for label in labels]
        assert len(set(letters)) == len(letters)
        assert not {letter.lower() for letter in letters} & dialog.fixed_letters
        for row, widget in enumerate(dialog.filter_widgets.values()):
            assert form.itemAt(row, QFormLayout.LabelRole).widget().buddy() is widget
        assert any(label.startswith("到期天数(&") for label in labels) == (
            "days" in dialog.definition().filter_names)


def _saved_meanwhile(monkeypatch, target, save) -> None:
    """``save`` puts a file at ``target`` while the report is being written."""
    import tiers.reports as reports

    write = reports.write_steps

    def writing(*args, **kwargs):
        result = yield from write(*args, **kwargs)
        save(target)
        return result

    monkeypatch.setattr(reports, "write_steps", writing)


def _officers_workbook(path) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "科室自己的台账"
    book.save(path)


def test_a_foreign_file_saved_meanwhile_under_a_new_name_is_kept(qtbot, demo_database,
                                                                  settings, runner, tmp_path,
                                                                  monkeypatch):
    """No file was there when the officer chose the name, so nobody agreed to replace one:
    a workbook the officer saved there in Excel while the report was written is kept, and
    the export refused as the command line refuses it (tiers.outputs), leaving no
    temporary file."""
    from tiers import outputs

    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "名单.xlsx"
    _saved_meanwhile(monkeypatch, target, _officers_workbook)
    dialog = ExportDialog(demo_database, settings, runner, report="roster")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.export_failed, timeout=30_000) as failed:
        dialog.export_button.click()
    assert failed.args == [outputs.refusal(target)]
    assert "导出失败" in dialog.status.text() and outputs.refusal(target) in dialog.status.text()
    assert openpyxl.load_workbook(target).active["A1"].value == "科室自己的台账"
    assert [p.name for p in target.parent.iterdir()] == ["名单.xlsx"]  # no temporary file left


def test_a_file_the_officer_agreed_to_replace_is_replaced(qtbot, demo_database, settings,
                                                          runner, tmp_path, monkeypatch):
    """Asked (覆盖它吗？ answered yes) about the file that was there: it is replaced, even
    when it is the officer's own workbook."""
    from ui.ask import ConfirmDialog

    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "名单.xlsx"
    _officers_workbook(target)
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(lambda cls, *a, **k: True))
    dialog = ExportDialog(demo_database, settings, runner, report="roster")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        dialog.export_button.click()
    assert openpyxl.load_workbook(target).active["A1"].value != "科室自己的台账"
    assert [p.name for p in target.parent.iterdir()] == ["名单.xlsx"]
