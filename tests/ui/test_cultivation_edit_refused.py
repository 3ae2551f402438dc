"""修改培育信息 in the client refuses in the open form what the write would refuse: one of two
entries of one target kept from an older version edited to the other's year (the write hit
the unique key: "意外错误：UNIQUE constraint failed…") is said under 目标梯度, nothing
written; a closed entry (未通过) beside an open one of its target is no （重复）."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from tests.conftest import entry_kept
from tests.ui.test_cultivation_refusals_shown import _view
from tiers.services import cultivation
from ui.record_form_dialog import RecordFormDialog

THIS_YEAR = dt.date.today().year


def _column(view, key):
    return [c.key for c in view.model.columns].index(key)


def _select(view, year):
    column = _column(view, "target_year")
    for row in range(view.model.rowCount()):
        if view.model.record(row)["target_year"] == year:
            view.table.setCurrentIndex(view.model.index(row, column))
            return
    raise AssertionError(year)


def test_editing_a_twin_to_the_other_year_is_refused_in_the_form(
        qtbot, database, settings, runner, enterprise_factory, session, monkeypatch):
    firm = enterprise_factory("常州修改重复有限公司")
    entry_kept(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 1})
    entry_kept(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 2})
    session.commit()
    view = _view(qtbot, database, settings, runner)
    forms = []

    def edit(cls, parent, title, fields, values, validate=None):
        form = RecordFormDialog(title, fields, values, validate, parent)
        forms.append(form)
        return None  # the test presses OK itself

    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(edit))
    _select(view, THIS_YEAR + 2)
    view.edit_selected()
    qtbot.waitUntil(lambda: bool(forms), timeout=10_000)
    form = forms[0]
    qtbot.addWidget(form)
    form.set_value("target_year", THIS_YEAR + 1)
    form.accept()
    assert form.result_values is None  # still open
    assert not form.errors["target_tier"].isHidden()
    assert form.errors["target_tier"].text() == (
        f"该企业在培育库中已有一条省级专精特新中小企业、目标年度{THIS_YEAR + 1}年的条目（培育中），"
        "同一企业同一目标梯度每个年度只能有一条。请先移出该条，再修改本条")
    form.set_value("target_year", THIS_YEAR + 3)  # another year is fine
    form.accept()
    assert form.result_values is not None


def test_a_closed_entry_is_no_twin(qtbot, database, settings, runner, enterprise_factory,
                                   session):
    firm = enterprise_factory("常州未通过再培育有限公司")
    old = cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR})
    cultivation.edit(session, old.id, {"status": "未通过"})
    cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 1})
    session.commit()
    view = _view(qtbot, database, settings, runner)
    column = _column(view, "target_tier_name")
    cells = sorted((view.model.index(r, column).data(),
                    view.model.index(r, column).data(Qt.ToolTipRole))
                   for r in range(view.model.rowCount()))
    assert cells == [("省专精特新", "省级专精特新中小企业")] * 2
