"""A bulk action by an editor on a server: the preview names the firms of other counties
as skipped (no right), the write changes only his county's firms, and a viewer's preview
skips every firm."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tiers.model.orm import Enterprise
from tiers.services import bulk
from tiers.storage.database import open_database

pytestmark = pytest.mark.server_only


def _as(bureau, who):
    return open_database(bureau.url_of(who))


def test_an_editor_bulk_changes_only_his_county(bureau):
    database = _as(bureau, "editor")
    ids = [bureau.wujin_firm, bureau.xinbei_firm]
    try:
        with database.session() as session:
            draft = bulk.preview(session, "trash", ids, {})
            assert [item.skip for item in draft.items] == ["", "没有修改新北区企业的权限"]
            result = bulk.apply(session, "trash", ids, {})
        assert result.changed == [bureau.wujin_firm]
        with database.session() as session:
            trashed = {row.id: row.deleted_at is not None for row in session.execute(
                select(Enterprise.id, Enterprise.deleted_at).where(Enterprise.id.in_(ids)))}
        assert trashed == {bureau.wujin_firm: True, bureau.xinbei_firm: False}
    finally:
        database.dispose()


def test_a_viewers_preview_skips_every_firm(bureau):
    database = _as(bureau, "viewer")
    try:
        with database.session() as session:
            draft = bulk.preview(session, "officer", [bureau.wujin_firm], {"officer": "王明"})
        assert draft.items[0].skip == "您的账号没有这项操作的权限"
    finally:
        database.dispose()
