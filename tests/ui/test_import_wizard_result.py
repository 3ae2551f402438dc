"""The wizard's result page: its buttons show their whole label at any width."""

from __future__ import annotations

import pytest

from ui.import_wizard import RESULT, ImportWizard


@pytest.mark.parametrize("width", [360, 1100])
def test_result_buttons_show_their_whole_label(qtbot, database, settings, runner, width):
    wizard = ImportWizard(database, settings, runner)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.show_step(RESULT)
    wizard.resize(width, 400)
    qtbot.waitUntil(lambda: wizard.save_problems_button.isVisible())
    for button in (wizard.save_problems_button, wizard.undo_button):
        metrics = button.fontMetrics()
        needed = max(metrics.horizontalAdvance(button.text()),
                     metrics.boundingRect(button.text()).width())
        # the label and some room on both sides (the style's margins)
        assert button.width() >= needed + 2 * metrics.averageCharWidth(), button.text()
        assert button.minimumWidth() >= needed
