"""导出采集表 proposed no 发出单位 in a database none was typed for: its 填表说明 said 本表由
工业和信息化主管部门发出 and the filled forms went back to 发出本表的部门, while tiers export
collection (and the report and package dialogs) proposed the bureau of the firms' counties.
The dialog proposes the same unit now (tiers.exchange.status.proposed_unit, read on the
runner, not the GUI thread), leaves it editable and says where it came from."""

from __future__ import annotations

import threading

import openpyxl
import pytest

from tests.conftest import make_code
from tiers.exchange import status
from tiers.services import enterprises
from tiers.storage.database import open_database
from ui import collection_dialog
from ui.collection_dialog import CollectionDialog


@pytest.fixture
def county(tmp_path):
    """A county's own database: two firms in 武进区."""
    database = open_database(tmp_path / "wujin.sqlite3")
    with database.session() as session:
        for n in (1, 2):
            enterprises.create(session, {"credit_code": make_code(n), "county": "武进区",
                                         "name": f"常州武进采集{n}有限公司", "town": "湖塘镇"})
    yield database
    database.dispose()


@pytest.fixture
def proposals(monkeypatch):
    """Whether each proposal was read on the GUI thread."""
    on_gui: list[bool] = []
    original = status.proposed_unit_for

    def watched(session, **chosen):
        on_gui.append(threading.current_thread() is threading.main_thread())
        return original(session, **chosen)

    monkeypatch.setattr(collection_dialog, "proposed_unit_for", watched, raising=False)
    return on_gui


def test_the_counties_bureau_is_proposed_off_the_gui_thread_and_sent_in_the_form(
        qtbot, county, settings, runner, proposals, tmp_path):
    with county.session() as session:
        ids = [enterprises.by_code(session, make_code(n)).id for n in (1, 2)]
    dialog = CollectionDialog(county, settings, runner, listed=ids)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.unit.text() != "", timeout=10_000)
    assert proposals == [False]  # read once, on the runner
    assert dialog.unit.text() == "常州市武进区工业和信息化局"
    assert dialog.unit.isEnabled() and not dialog.unit.isReadOnly()
    assert "按所导出企业所在区县推定" in dialog.unit_note.text()
    dialog.path.setText(str(tmp_path / "采集表.xlsx"))
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as done:
        dialog.export_button.click()
    guide = openpyxl.load_workbook(done.args[0][0])["填表说明"]
    text = "\n".join(str(cell.value) for row in guide.iter_rows() for cell in row if cell.value)
    assert "本表由常州市武进区工业和信息化局发出" in text
    assert settings.organisation_of(county) == "常州市武进区工业和信息化局"


def test_a_remembered_unit_is_kept_and_said_so(qtbot, county, settings, runner, proposals):
    settings.set_organisation_of(county, "武进区工信局企业科")
    dialog = CollectionDialog(county, settings, runner, listed=[1])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert proposals == []  # nothing to propose: nothing read
    assert dialog.unit.text() == "武进区工信局企业科"
    assert "上次" in dialog.unit_note.text()


def test_what_the_officer_types_before_the_proposal_comes_is_kept(
        qtbot, county, settings, runner):
    release = threading.Event()
    runner.submit("占用", lambda _task: release.wait(10))
    dialog = CollectionDialog(county, settings, runner, listed=[1])
    qtbot.addWidget(dialog)
    assert "正在" in dialog.unit_note.text()
    dialog.unit.setFocus()
    qtbot.keyClicks(dialog.unit, "WJ-JFJ")  # (an input method's Chinese: the same edits)
    release.set()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert dialog.unit.text() == "WJ-JFJ"
    assert "推定" not in dialog.unit_note.text()


def test_no_one_bureau_is_said(qtbot, tmp_path, settings, runner):
    """Firms of two cities: no bureau to propose; the officer is told to fill it in."""
    database = open_database(tmp_path / "two.sqlite3")
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(1), "county": "武进区",
                                     "name": "常州两市一有限公司"})
        enterprises.create(session, {"credit_code": make_code(2, "320102"),
                                     "county_code": "320102", "name": "南京两市二有限公司"})
    try:
        dialog = CollectionDialog(database, settings, runner, listed=[1, 2])
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: runner.settled and "正在" not in dialog.unit_note.text(),
                        timeout=10_000)
        assert dialog.unit.text() == ""
        assert "推定不出" in dialog.unit_note.text() and "请填写" in dialog.unit_note.text()
    finally:
        database.dispose()
