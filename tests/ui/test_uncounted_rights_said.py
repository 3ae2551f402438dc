"""The desktop says why the bureau's own officer may not move a firm to another county's
开发区, nor undo an import that changed one (review28: the server would let both through;
the client's rule, WriteRights.allows, says no, as it does for imports and bulk actions).
The rights are set here as the server's would read for him (本单位负责的区县 武进区, all
his); tests/tiers/server/test_uncounted_rights_undo_and_move.py reads them from a server."""

from __future__ import annotations

import pytest

from importers.undo import plan as undo_plan
from tests.conftest import make_code
from tests.importers.helpers import import_file, write_xlsx
from tiers.model.orm import Enterprise, ImportBatch
from tiers.services import enterprises
from tiers.services.unit import UnitCounties
from tiers.storage.write_rights import NO_COUNTY_WHO, WriteRights
from ui.ask import ConfirmDialog, MessageDialog
from ui.imports_view import ImportsView

OFFICER = WriteRights(counties=frozenset({"320412"}), role="editor", county_names=("武进区",),
                      unit=UnitCounties((("320412", "武进区"),)))
LIYANG_ZONE = "溧阳经济开发区"
CITY_CODE = make_code(46, "320400")  # registered at 常州市: its code places it nowhere


@pytest.fixture
def officer(database, monkeypatch) -> WriteRights:
    database.rights = OFFICER  # (as read at connection: the window opens writable)
    monkeypatch.setattr(enterprises, "write_rights", lambda session: OFFICER)
    monkeypatch.setattr(undo_plan, "write_rights", lambda session: OFFICER, raising=False)
    return OFFICER


def test_the_firm_window_says_why_a_move_to_another_countys_zone_is_refused(
        qtbot, firm_window, database, save_and_wait, officer):
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": CITY_CODE, "name": "常州武进城区有限公司",
                                            "county": "武进区"}).id
    dialog = firm_window(firm)
    assert dialog.read_only_note is None
    dialog.set_field("county", LIYANG_ZONE)
    assert save_and_wait(dialog) is False
    error = dialog.field_errors["county"]
    assert not error.isHidden()
    assert error.text().startswith(f"改为“{LIYANG_ZONE}”后，这家企业县（市、区）写作“{LIYANG_ZONE}”")
    assert NO_COUNTY_WHO in error.text()
    with database.session() as session:
        assert session.get(Enterprise, firm).county_code == "320412"
    dialog.set_field("county", "")  # out of every county, the firm his still: saved
    assert save_and_wait(dialog) is True


def test_the_imports_page_says_which_firms_an_undo_may_not_change(
        qtbot, database, settings, runner, tmp_path, monkeypatch, officer):
    path = write_xlsx(tmp_path / "名录.xlsx", {"名录": [
        ["企业名称", "统一社会信用代码", "县区"],
        ["常州武进新建有限公司", make_code(3, "320412"), "武进区"],
        ["溧阳开发区精工有限公司", make_code(41, "320400"), LIYANG_ZONE]]})
    _plan, batch_id = import_file(database, path)
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    view.show()
    asked: list[str] = []
    said: list[str] = []
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(
        lambda cls, parent, title, text, *a, **k: asked.append(text) or True))
    monkeypatch.setattr(MessageDialog, "error", classmethod(
        lambda cls, parent, title, text: said.append(text)))
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)
    view.select_batch(batch_id)
    view.undo_selected()
    qtbot.waitUntil(lambda: bool(said), timeout=15_000)
    qtbot.waitUntil(lambda: not view.undoing and view.reading.task is None, timeout=15_000)
    assert not asked  # refused at the preview: no question first
    [text] = said
    assert text.startswith(f"不能撤销导入批次 {batch_id}：撤销要改动的企业中有 1 家您的账号不能修改"), text
    assert f"\n　· 溧阳开发区精工有限公司：县（市、区）写作“{LIYANG_ZONE}”" in text
    with database.session() as session:
        assert session.get(ImportBatch, batch_id).undone_at is None
        assert session.query(Enterprise).count() == 2
