"""导入数据包 in the client records the officer (设置 → 填报人), as every other import does:
the city officer's walk found the two county packages' batches in 导入记录, and every
change they made, under the computer's login (root), not under 李静."""

from __future__ import annotations

from sqlalchemy import select

from tiers.exchange import export_package
from tiers.model.orm import Change, ImportBatch
from tiers.storage.database import open_database
from ui.package_import_dialog import PackageImportDialog


def test_the_import_is_recorded_under_the_officer(qtbot, demo_database, settings, runner,
                                                  tmp_path, new_target):
    target = tmp_path / "武进区.zip"
    with demo_database.session() as session:
        for _ in export_package(session, target, counties=["320412"], source_unit="武进区工信局"):
            pass
    settings.officer = "李静"
    city = open_database(new_target("city.sqlite3"))
    try:
        dialog = PackageImportDialog(city, settings, runner, path=str(target))
        qtbot.addWidget(dialog)
        dialog.preview_button.click()
        qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=30_000)
        with qtbot.waitSignal(dialog.imported, timeout=30_000) as imported:
            dialog.import_button.click()
        with city.session() as session:
            batch = session.get(ImportBatch, imported.args[0])
            assert batch.user == "李静"
            users = set(session.scalars(select(Change.user).where(
                Change.import_batch_id == batch.id)))
            assert users == {"李静"}
    finally:
        city.dispose()
