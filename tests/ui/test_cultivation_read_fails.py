"""培育库's list read on the runner fails (a database error, a cancel): the page says so,
and no longer counts itself as reading (what waited for the read was kept for ever, and a
saved entry never said it was saved)."""

from __future__ import annotations

from tiers.services import cultivation
from ui import cultivation_view as page
from ui.cultivation_view import CultivationView


def test_a_failed_read_ends_the_loading(qtbot, database, settings, runner, monkeypatch,
                                        isolated_settings, enterprise_factory, session):
    firm = enterprise_factory("常州甲科技有限公司", county="武进区")
    cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": 2027})
    session.commit()
    read = page.cultivation_entries

    def failing(session):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(page, "cultivation_entries", failing)
    view = CultivationView(database, settings, runner=runner, load=False)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert view.loading is None
    assert any(kind == "error" for kind, _ in isolated_settings)
    shown = []
    view._when_loaded(lambda: shown.append("now"))  # nothing being read: at once
    assert shown == ["now"]
    monkeypatch.setattr(page, "cultivation_entries", read)
    view.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10_000)
