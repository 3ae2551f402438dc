"""The desktop's one-file exports asked 覆盖它吗？ only about a file that was there when the
name was chosen; a file saved under a free name while the export ran (the officer's
workbook from Excel, a package received from a county) was replaced unasked. Each now
checks the target again before the replace, as the command line does (tiers.outputs):
refused with its message, the file kept, no temporary file left. (导出报表: in
test_export_dialog.py.) The officer's 覆盖 covers the file he was asked about, as it was
then (WorkFooter.replace_agreed): another file saved under the name while the export ran
(a colleague's return, his own edit in WPS) is judged as if nobody had been asked
(issue #16)."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

import tiers.reports.output as report_output
from tests.tiers.unit_helpers import county_laptop
from tiers import outputs
from ui.ask import ConfirmDialog
from ui.collection_dialog import CollectionDialog
from ui.export_dialog import ExportDialog
from ui.package_export_dialog import PackageExportDialog
from ui.template_dialog import TemplateDialog

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "importers"))
from test_template_fill import make_template  # noqa: E402


@pytest.fixture(autouse=True)
def own_memory(tmp_path, monkeypatch):
    monkeypatch.setenv("TIERS_IMPORT_MAPPINGS", str(tmp_path / "mappings.json"))


def _officers_workbook(path: Path) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "科室自己的台账"
    book.save(path)


def _kept(target: Path) -> bool:
    return openpyxl.load_workbook(target).active["A1"].value == "科室自己的台账"


def _saved_just_before_the_move(monkeypatch, save) -> None:
    """``save(target)`` runs when the written file is about to be moved into place."""
    move = report_output.move_into_place

    def moving(temporary, target, **kwargs):
        save(Path(target))
        return move(temporary, target, **kwargs)

    monkeypatch.setattr(report_output, "move_into_place", moving)


def _colleagues_return(path: Path) -> bytes:
    """Another workbook (a colleague's return) saved under the name, as Excel and WPS save:
    written beside it and renamed over it. Returns its bytes."""
    book = openpyxl.Workbook()
    book.active["A1"] = "同事交回的采集表，已填写"
    book.active["B2"] = 42
    written = path.with_name("~同事的副本.xlsx")
    book.save(written)
    data = written.read_bytes()
    written.replace(path)
    return data


def _agreed_then_replaced_by_another(monkeypatch, target: Path) -> dict[str, bytes]:
    """The officer's workbook A is under ``target`` and he agrees to replace it; just
    before the written file is moved into place, B (another workbook) takes its name.
    Returns {"B": its bytes} once saved."""
    _officers_workbook(target)
    asked: list[str] = []
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(
        lambda cls, parent, title, text, *a, **k: asked.append(text) or True))
    saved: dict[str, bytes] = {}
    _saved_just_before_the_move(monkeypatch,
                                lambda path: saved.setdefault("B", _colleagues_return(path)))
    saved["asked"] = asked  # type: ignore[assignment]
    return saved


def _told_and_kept(target: Path, saved: dict, told: str) -> None:
    assert len(saved["asked"]) == 1 and "覆盖" in saved["asked"][0]  # A was agreed to
    assert target.read_bytes() == saved["B"]  # B kept byte for byte
    assert target.name in told and "不会覆盖" in told and "覆盖之后" in told
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary file


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_the_one_file_collection_keeps_a_workbook_saved_meanwhile(qtbot, demo_database,
                                                                   settings, runner, out,
                                                                   monkeypatch):
    target = out / "采集表.xlsx"
    _saved_just_before_the_move(monkeypatch, _officers_workbook)
    dialog = CollectionDialog(demo_database, settings, runner, listed=[1, 2, 3])
    qtbot.addWidget(dialog)
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.footer.finished, timeout=30_000):
        dialog.export_button.click()
    assert outputs.refusal(target) in dialog.status.text() and _kept(target)
    assert [p.name for p in out.iterdir()] == ["采集表.xlsx"]


def test_the_one_file_collection_replaces_what_the_officer_agreed_to(qtbot, demo_database,
                                                                      settings, runner, out,
                                                                      monkeypatch):
    target = out / "采集表.xlsx"
    _officers_workbook(target)
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(lambda cls, *a, **k: True))
    dialog = CollectionDialog(demo_database, settings, runner, listed=[1, 2, 3])
    qtbot.addWidget(dialog)
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        dialog.export_button.click()
    assert not _kept(target) and [p.name for p in out.iterdir()] == ["采集表.xlsx"]


def _template_dialog(qtbot, database, settings, runner, tmp_path) -> TemplateDialog:
    dialog = TemplateDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.read, timeout=20_000):
        dialog.open_template(str(make_template(tmp_path / "省厅模板.xlsx")))
    return dialog


def test_the_filled_template_keeps_a_workbook_saved_meanwhile(qtbot, demo_database, settings,
                                                              runner, tmp_path, out,
                                                              monkeypatch):
    target = out / "已填写.xlsx"
    _saved_just_before_the_move(monkeypatch, _officers_workbook)
    dialog = _template_dialog(qtbot, demo_database, settings, runner, tmp_path)
    dialog.target.setText(str(target))
    with qtbot.waitSignal(dialog.failed, timeout=30_000) as failed:
        dialog.fill_button.click()
    assert failed.args == [outputs.refusal(target)] and _kept(target)
    assert [p.name for p in out.iterdir()] == ["已填写.xlsx"]


def test_the_filled_template_replaces_what_the_officer_agreed_to(qtbot, demo_database,
                                                                  settings, runner, tmp_path,
                                                                  out, monkeypatch):
    target = out / "已填写.xlsx"
    _officers_workbook(target)
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(lambda cls, *a, **k: True))
    dialog = _template_dialog(qtbot, demo_database, settings, runner, tmp_path)
    dialog.target.setText(str(target))
    with qtbot.waitSignal(dialog.filled, timeout=30_000):
        dialog.fill_button.click()
    assert not _kept(target) and [p.name for p in out.iterdir()] == ["已填写.xlsx"]


def _received_package(path: Path) -> None:
    """A package another unit sent (溧阳's), saved under the name meanwhile."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", '{"format": "tiers-exchange-package", '
                                          '"source_unit": "溧阳市工业和信息化局"}')


def test_the_package_export_keeps_a_package_received_meanwhile(qtbot, database, settings,
                                                                runner, out, monkeypatch):
    """金坛区's laptop exports its package under a free name; 溧阳's package, received and
    saved there meanwhile, is not this unit's: kept."""
    import tiers.exchange.writer as writer

    county_laptop(database)
    target = out / "数据包.zip"
    manifest = writer._manifest

    def writing_the_manifest(*args, **kwargs):
        _received_package(target)
        return manifest(*args, **kwargs)

    monkeypatch.setattr(writer, "_manifest", writing_the_manifest)
    dialog = PackageExportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: runner.settled and dialog.unit.text() != "", timeout=10_000)
    assert dialog.unit.text() == "常州市金坛区工业和信息化局"
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.footer.finished, timeout=30_000):
        dialog.export_button.click()
    assert outputs.refusal(target) in dialog.status.text()
    assert "溧阳市工业和信息化局" in outputs.refusal(target)
    assert "溧阳市工业和信息化局" in zipfile.ZipFile(target).read("manifest.json").decode()
    assert [p.name for p in out.iterdir()] == ["数据包.zip"]


def _package_dialog(qtbot, database, settings, runner, target: Path) -> PackageExportDialog:
    county_laptop(database)
    dialog = PackageExportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: runner.settled and dialog.unit.text() != "", timeout=10_000)
    dialog.path.setText(str(target))
    return dialog


def test_the_package_export_replaces_only_the_file_the_officer_agreed_to(
        qtbot, database, settings, runner, out, monkeypatch):
    """The officer agreed to replace the file that was under the name (review27b #10: that
    consent then let any file be replaced): 溧阳's package saved there while the export ran
    is another file, and not this unit's — kept, the export refused."""
    import tiers.exchange.writer as writer

    target = out / "数据包.zip"
    target.write_bytes(b"an old file the officer saw and agreed to replace")
    asked: list[str] = []
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(
        lambda cls, parent, title, text, *a, **k: asked.append(text) or True))
    manifest = writer._manifest

    def writing_the_manifest(*args, **kwargs):
        _received_package(target)
        return manifest(*args, **kwargs)

    monkeypatch.setattr(writer, "_manifest", writing_the_manifest)
    dialog = _package_dialog(qtbot, database, settings, runner, target)
    with qtbot.waitSignal(dialog.footer.finished, timeout=30_000):
        dialog.export_button.click()
    assert len(asked) == 1 and "覆盖" in asked[0]
    assert outputs.refusal(target) in dialog.status.text()
    assert "溧阳市工业和信息化局" in zipfile.ZipFile(target).read("manifest.json").decode()
    assert [p.name for p in out.iterdir()] == ["数据包.zip"]


def test_the_package_export_replaces_the_agreed_file_left_as_it_was(
        qtbot, database, settings, runner, out, monkeypatch):
    """The file agreed to, unchanged when the package is moved into place, is replaced
    though it is no package of this unit's (the officer said so)."""
    target = out / "数据包.zip"
    target.write_bytes(b"an old file the officer saw and agreed to replace")
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(lambda cls, *a, **k: True))
    dialog = _package_dialog(qtbot, database, settings, runner, target)
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        dialog.export_button.click()
    assert "常州市金坛区工业和信息化局" in zipfile.ZipFile(target).read(
        "manifest.json").decode()
    assert [p.name for p in out.iterdir()] == ["数据包.zip"]


def test_the_report_export_keeps_another_file_saved_over_the_agreed_one(
        qtbot, demo_database, settings, runner, out, monkeypatch):
    """导出报表: the officer agreed to replace his 名单.xlsx (A); a colleague's workbook (B)
    saved under the name while the report was written is kept, and he is told why."""
    target = out / "名单.xlsx"
    saved = _agreed_then_replaced_by_another(monkeypatch, target)
    dialog = ExportDialog(demo_database, settings, runner, report="roster")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.export_failed, timeout=30_000) as failed:
        dialog.export_button.click()
    _told_and_kept(target, saved, dialog.status.text())
    assert failed.args[0] in dialog.status.text()


def test_the_one_file_collection_keeps_another_file_saved_over_the_agreed_one(
        qtbot, demo_database, settings, runner, out, monkeypatch):
    """采集表 (one file): the same, B a firm's filled-in return saved under the name."""
    target = out / "采集表.xlsx"
    saved = _agreed_then_replaced_by_another(monkeypatch, target)
    dialog = CollectionDialog(demo_database, settings, runner, listed=[1, 2, 3])
    qtbot.addWidget(dialog)
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.footer.finished, timeout=30_000):
        dialog.export_button.click()
    assert "导出失败" in dialog.status.text()
    _told_and_kept(target, saved, dialog.status.text())


def test_the_filled_template_keeps_another_file_saved_over_the_agreed_one(
        qtbot, demo_database, settings, runner, tmp_path, out, monkeypatch):
    """填写上级模板: the same."""
    target = out / "已填写.xlsx"
    saved = _agreed_then_replaced_by_another(monkeypatch, target)
    dialog = _template_dialog(qtbot, demo_database, settings, runner, tmp_path)
    dialog.target.setText(str(target))
    with qtbot.waitSignal(dialog.failed, timeout=30_000) as failed:
        dialog.fill_button.click()
    _told_and_kept(target, saved, failed.args[0])
    assert failed.args[0] in dialog.status.text()


def test_the_collection_per_firm_keeps_a_return_saved_into_the_folder_meanwhile(
        qtbot, demo_database, settings, runner, out, monkeypatch):
    """采集表 per firm into a folder: nobody is asked about its files, so a firm's return
    saved under its name while the export ran is kept as the command line keeps it (the
    files checked again just before they are moved in), and nothing is written."""
    from tiers.reports import output_folder

    def export() -> CollectionDialog:
        dialog = CollectionDialog(demo_database, settings, runner, listed=[1, 2, 3])
        qtbot.addWidget(dialog)
        dialog.split.setCurrentIndex(dialog.split.findData("firm"))
        dialog.path.setText(str(out))
        with qtbot.waitSignal(dialog.footer.finished, timeout=30_000):
            dialog.export_button.click()
        return dialog

    assert export().written
    sent = sorted(out.iterdir())
    returned: list[bytes] = []
    commit = output_folder.FolderFiles.commit

    def committing(self):
        returned.append(_colleagues_return(sent[1]))
        return commit(self)

    monkeypatch.setattr(output_folder.FolderFiles, "commit", committing)
    before = sent[0].read_bytes()
    dialog = export()
    assert dialog.status.text().startswith("导出失败：") and sent[1].name in dialog.status.text()
    assert returned and sent[1].read_bytes() == returned[0] and sent[0].read_bytes() == before
    assert sorted(out.iterdir()) == sent


# --- 导出当前列表 and the import wizard's 问题行: the file dialog asks about the file there --
# (Qt's 覆盖 question when the name chosen is taken); the file agreed to is the one under the
# name when the dialog returns, re-checked as the others' just before the replace (recheck29)

def _chosen_in_the_file_dialog(monkeypatch, target: Path) -> list[str]:
    """The officer picks ``target`` in the save dialog (agreeing to replace a file there);
    returns the titles of the dialogs shown."""
    from ui.ask import FileDialog

    shown: list[str] = []
    monkeypatch.setattr(FileDialog, "save_file", classmethod(
        lambda cls, parent, title, path, filters: shown.append(title) or str(target)))
    return shown


def _roster_view(qtbot, database, settings, runner):
    from ui.roster_view import RosterView

    view = RosterView(database, settings, runner=runner)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: runner.settled and not view.model.listing_pending, timeout=15_000)
    return view


def _list_exported(qtbot, view) -> None:
    task = view.comforts.export_current_list()
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass


def _is_a_current_list(target: Path) -> bool:
    return any("筛选条件" in str(cell) for row in openpyxl.load_workbook(target).active
               .iter_rows(values_only=True) for cell in row if cell)


def test_the_current_list_keeps_another_file_saved_over_the_one_agreed_to(
        qtbot, demo_database, settings, runner, out, monkeypatch, messages):
    target = out / "企业库.xlsx"
    _officers_workbook(target)
    shown = _chosen_in_the_file_dialog(monkeypatch, target)
    saved: dict[str, bytes] = {}
    _saved_just_before_the_move(monkeypatch,
                                lambda path: saved.setdefault("B", _colleagues_return(path)))
    view = _roster_view(qtbot, demo_database, settings, runner)
    _list_exported(qtbot, view)
    assert len(shown) == 1 and target.read_bytes() == saved["B"]  # B kept byte for byte
    assert [kind for kind, _ in messages] == ["error"]
    told = messages[0][1]
    assert target.name in told and "不会覆盖" in told and "覆盖之后" in told
    assert [p.name for p in out.iterdir()] == [target.name]  # no temporary file


def test_the_current_list_keeps_a_workbook_that_appeared_meanwhile(
        qtbot, demo_database, settings, runner, out, monkeypatch, messages):
    target = out / "企业库.xlsx"
    _chosen_in_the_file_dialog(monkeypatch, target)  # a free name: nothing asked
    _saved_just_before_the_move(monkeypatch, _officers_workbook)
    view = _roster_view(qtbot, demo_database, settings, runner)
    _list_exported(qtbot, view)
    assert messages == [("error", outputs.refusal(target))] and _kept(target)
    assert [p.name for p in out.iterdir()] == [target.name]


def test_the_current_list_replaces_the_file_agreed_to_left_as_it_was(
        qtbot, demo_database, settings, runner, out, monkeypatch, messages):
    target = out / "企业库.xlsx"
    _officers_workbook(target)
    _chosen_in_the_file_dialog(monkeypatch, target)
    view = _roster_view(qtbot, demo_database, settings, runner)
    _list_exported(qtbot, view)
    assert messages == [] and _is_a_current_list(target)
    assert [p.name for p in out.iterdir()] == [target.name]


@pytest.fixture
def wizard(qtbot, database, settings, runner, tmp_path):
    """The import wizard with a plan whose one row has a problem (a code too short)."""
    from tests.importers.helpers import plan_file
    from ui.import_wizard import ImportWizard

    roster = tmp_path / "名录.csv"
    roster.write_text("企业名称,统一社会信用代码\n常州乙公司,913204001234\n", encoding="utf-8")
    wizard = ImportWizard(database, settings, runner)
    qtbot.addWidget(wizard)
    wizard.plan = plan_file(database, roster, kind="roster")
    return wizard


def _problems_saved(qtbot, wizard) -> None:
    task = wizard.save_problems()
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass


def _is_a_problem_rows_file(target: Path) -> bool:
    return openpyxl.load_workbook(target).active["A1"].value == "原行号"


def test_the_problem_rows_keep_another_file_saved_over_the_one_agreed_to(
        qtbot, wizard, out, monkeypatch, messages):
    target = out / "名录-问题行.xlsx"
    _officers_workbook(target)
    shown = _chosen_in_the_file_dialog(monkeypatch, target)
    saved: dict[str, bytes] = {}
    _saved_just_before_the_move(monkeypatch,
                                lambda path: saved.setdefault("B", _colleagues_return(path)))
    _problems_saved(qtbot, wizard)
    assert len(shown) == 1 and target.read_bytes() == saved["B"]
    assert [kind for kind, _ in messages] == ["error"]
    told = messages[0][1]
    assert target.name in told and "不会覆盖" in told and "覆盖之后" in told
    assert [p.name for p in out.iterdir()] == [target.name]


def test_the_problem_rows_keep_a_workbook_that_appeared_meanwhile(
        qtbot, wizard, out, monkeypatch, messages):
    target = out / "名录-问题行.xlsx"
    _chosen_in_the_file_dialog(monkeypatch, target)
    _saved_just_before_the_move(monkeypatch, _officers_workbook)
    _problems_saved(qtbot, wizard)
    assert messages == [("error", outputs.refusal(target))] and _kept(target)
    assert [p.name for p in out.iterdir()] == [target.name]


def test_the_problem_rows_replace_the_file_agreed_to_left_as_it_was(
        qtbot, wizard, out, monkeypatch, messages):
    target = out / "名录-问题行.xlsx"
    _officers_workbook(target)
    _chosen_in_the_file_dialog(monkeypatch, target)
    _problems_saved(qtbot, wizard)
    assert [kind for kind, _ in messages] == ["info"] and _is_a_problem_rows_file(target)
    assert [p.name for p in out.iterdir()] == [target.name]
