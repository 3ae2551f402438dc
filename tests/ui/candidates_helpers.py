"""培育库's 候选企业 tab as the tests open it: on its own page, or in the main window, and
the candidates of a tier listed (run on the runner, its end waited for)."""

from __future__ import annotations

from ui.cultivation_view import CultivationView


def candidates_page(qtbot, database, settings, runner) -> CultivationView:
    """培育库 with its 候选企业 tab current, nothing run yet."""
    view = CultivationView(database, settings, runner=runner)
    qtbot.addWidget(view)
    view.tabs.setCurrentWidget(view.candidates)
    return view


def candidates_in_window(qtbot, database, settings, runner):
    """The main window shown on 培育库's 候选企业 tab: (the window, the tab)."""
    from ui.main_window import MainWindow

    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    window.show_page(window.pages.index(window.cultivation))
    view = window.cultivation
    view.tabs.setCurrentWidget(view.candidates)
    return window, view.candidates


def list_candidates(qtbot, candidates, tier: str, *, timeout: int = 20_000) -> None:
    """The candidates of ``tier`` listed: 开始 on the runner, and its end arrived."""
    candidates.select_tier(tier)
    with qtbot.waitSignal(candidates.finished, timeout=timeout):
        assert candidates.run() is not None
