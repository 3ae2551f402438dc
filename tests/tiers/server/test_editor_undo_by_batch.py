"""An editor undoes his import on a server under row-level security, by batch: the
DELETE per table and the INSERT … SELECT of the log pass the policies and the guard
triggers, a firm edited since stays, and the log names his login."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import make_code
from tests.importers.helpers import import_file, undo, write_xlsx
from tiers.model.orm import AnnualFigures, Change, Enterprise
from tiers.services import enterprises
from tiers.storage.database import open_database

pytestmark = pytest.mark.server_only


def test_an_editor_undoes_by_batch_and_keeps_what_was_edited_since(bureau, tmp_path):
    editor = open_database(bureau.url_of("editor"))
    try:
        path = write_xlsx(tmp_path / "武进区名录.xlsx", {"S": [
            ["企业名称", "统一社会信用代码", "县区", "营业收入（万元）", "年度"],
            *[[f"常州武进撤销{i}号机械有限公司", make_code(400 + i, "320412"), "武进区",
               100 + i, 2024] for i in range(6)]]})
        _plan, batch = import_file(editor, path, kind="roster")
        with editor.session() as session:
            kept = enterprises.by_code(session, make_code(401, "320412")).id
            enterprises.update(session, kept, {"contact_phone": "0519-1"})
        result = undo(editor, batch)
        assert result.removed["enterprise"] == 5 and result.removed["annual_figures"] == 6
        with editor.session() as session:
            left = session.scalars(select(Enterprise.id)
                                   .where(Enterprise.import_batch_id == batch)).all()
            figures = session.scalar(select(func.count()).select_from(AnnualFigures)
                                     .where(AnnualFigures.import_batch_id == batch))
            log = session.execute(select(Change.user, Change.entity_id).where(
                Change.entity == "enterprise", Change.action == "delete")).all()
        assert left == [kept] and figures == 0
        assert len(log) == 5 and {user for user, _ in log} == {bureau.logins["editor"]}
        assert kept not in {entity_id for _, entity_id in log}
    finally:
        editor.dispose()
