"""On a server, the wizard's import waits while a colleague imports into the same county,
and says so on its progress line (no frozen window, no error), then imports."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.importers.helpers import write_xlsx
from tests.ui.wizard_helpers import open_wizard, roster_rows, wait_idle
from tiers.queries import roster
from tiers.storage import import_locks
from tiers.storage.database import open_database
from ui.import_wizard import MAPPING, PREVIEW, RESULT

pytestmark = pytest.mark.server_only


def test_the_wizard_says_it_waits_for_a_colleague_then_imports(
        qtbot, database, db_target, settings, runner, tmp_path, code, monkeypatch):
    monkeypatch.setattr(import_locks, "POLL_SECONDS", 0.02)
    path = write_xlsx(tmp_path / "名录.xlsx", {"企业名录": roster_rows(code)})
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    colleague = open_database(db_target)
    try:
        with colleague.session() as session:  # a colleague's import into 武进区 is running
            session.scalar(select(func.pg_advisory_xact_lock(import_locks.NAMESPACE, 320412)))
            # as an import marks its session (hold_county_locks): the wait says what it is
            session.scalar(select(func.set_config("application_name", "Tiers:import", True)))
            wizard.next_button.click()
            qtbot.waitUntil(lambda: "另一位同事正在向武进区导入，请稍候" in
                            wizard.progress_text.text(), timeout=15_000)
            assert not wizard.error.text()
        # the colleague's transaction has ended: the wizard's import goes on
        wait_idle(qtbot, wizard, RESULT)
    finally:
        colleague.dispose()
    with database.session() as session:
        assert roster.count(session, roster.RosterFilter()) == 3
    wizard.close()
