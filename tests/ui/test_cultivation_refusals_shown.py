"""加入培育库 in the client: a second entry of one target, or a target the firm holds, is
said under 目标梯度 while the form is open (nothing written; OK does not close it); a firm
only 公示中 for its target gets a warning and may be added. The count says 家 of firms, and
条 beside it when some firm has two entries (it said 41 家 for 40 firms); two entries of one
target kept from an older version are shown, marked （重复）."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from tests.conftest import entry_kept
from tiers.queries.cultivation import cultivation_entries
from tiers.services import cultivation, recognitions
from ui.cultivation_view import CultivationView
from ui.enterprise_picker_dialog import EnterprisePickerDialog
from ui.record_form_dialog import RecordFormDialog

THIS_YEAR = dt.date.today().year


def _view(qtbot, database, settings, runner):
    view = CultivationView(database, settings, runner=runner, load=False)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
    return view


def _form_asked(qtbot, view, monkeypatch, firm_id, *, target=None):
    """Open 加入培育库 for the firm, and give back the real form it would show (with the
    values and check it was given), not shown."""
    monkeypatch.setattr(EnterprisePickerDialog, "pick", classmethod(lambda cls, *a, **k: firm_id))
    forms = []

    def edit(cls, parent, title, fields, values, validate=None):
        form = RecordFormDialog(title, fields, values, validate, parent)
        if target is not None:
            form.set_value("target_tier", target)
        forms.append(form)
        return None  # cancelled: the test presses OK itself

    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(edit))
    view.add()
    qtbot.waitUntil(lambda: bool(forms), timeout=10_000)
    return forms[0]


def test_a_second_entry_is_refused_in_the_open_form(qtbot, database, settings, runner,
                                                   enterprise_factory, session, monkeypatch):
    firm = enterprise_factory("常州表单重复有限公司")
    cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": THIS_YEAR})
    session.commit()
    view = _view(qtbot, database, settings, runner)
    form = _form_asked(qtbot, view, monkeypatch, firm.id, target="zjtx")
    qtbot.addWidget(form)
    form.accept()
    assert form.result_values is None  # still open
    message = form.errors["target_tier"].text()
    assert message.startswith(f"该企业已在培育库中：省级专精特新中小企业，目标年度{THIS_YEAR}年")
    assert "请修改已有条目" in message
    assert not form.errors["target_tier"].isHidden()
    form.set_value("target_tier", "little_giant")  # another target is fine
    form.accept()
    assert form.result_values is not None


def test_a_target_held_is_refused_and_a_publicised_one_warned(
        qtbot, database, settings, runner, enterprise_factory, session, monkeypatch):
    held = enterprise_factory("常州表单已认定有限公司")
    recognitions.add(session, held.id, {"tier_code": "zjtx", "batch_year": THIS_YEAR - 1,
                                        "batch_label": f"{THIS_YEAR - 1}年度"})
    listed = enterprise_factory("常州表单公示有限公司")
    recognitions.add(session, listed.id, {"tier_code": "innovative",
                                          "batch_year": THIS_YEAR - 1})
    recognitions.add(session, listed.id, {"tier_code": "zjtx", "batch_year": THIS_YEAR,
                                          "batch_label": f"{THIS_YEAR}年度", "is_pending": True})
    session.commit()
    view = _view(qtbot, database, settings, runner)
    form = _form_asked(qtbot, view, monkeypatch, held.id, target="zjtx")
    qtbot.addWidget(form)
    form.accept()
    assert form.result_values is None
    assert form.errors["target_tier"].text() == (
        f"该企业已是省级专精特新中小企业（{THIS_YEAR - 1}年度，有效期至{THIS_YEAR + 2}-12-31），"
        "无需加入培育库")
    form = _form_asked(qtbot, view, monkeypatch, listed.id, target="zjtx")
    qtbot.addWidget(form)
    form.accept()  # the warning first, OK again adds
    assert form.result_values is None
    assert "公示中，待正式认定" in form.errors["target_tier"].text()
    form.accept()
    assert form.result_values is not None


def test_the_count_says_firms_and_entries(qtbot, database, settings, runner,
                                          enterprise_factory, session):
    one = enterprise_factory("常州计数甲有限公司")
    two = enterprise_factory("常州计数乙有限公司")
    cultivation.add(session, one.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 1})
    cultivation.add(session, two.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 1})
    session.commit()
    view = _view(qtbot, database, settings, runner)
    assert view.count.text().startswith("共 2 家")
    # a second entry of one target, kept from an older version: still shown, and counted
    with database.session() as later:
        entry_kept(later, one.id, {"target_tier": "zjtx", "target_year": THIS_YEAR + 2})
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
    assert view.model.rowCount() == 3
    assert view.count.text().startswith("共 3 条，2 家")
    # the pair marked (目标梯度 with （重复）, what to do in its tooltip), the other not
    column = [c.key for c in view.model.columns].index("target_tier_name")
    cells = sorted((view.model.index(r, column).data(),
                    view.model.index(r, column).data(Qt.ToolTipRole))
                   for r in range(view.model.rowCount()))
    assert [text for text, _tip in cells] == ["省专精特新", "省专精特新（重复）",
                                              "省专精特新（重复）"]
    assert cells[1][1] == (f"省级专精特新中小企业\n同一企业同一目标梯度另有 1 条（目标年度 "
                           f"{THIS_YEAR + 1}）：请保留一条，修改其目标年度，移出其余")
    qtbot.waitUntil(lambda: view.overview_ready and view.overview_task is None,
                    timeout=30_000)
    assert view.count.text().startswith("共 3 条，2 家")
    with database.session() as check:
        assert len(cultivation_entries(check)) == 3
