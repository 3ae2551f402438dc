"""加入培育库 after the picker names the firm in the form's title (as 产业链角色 — <firm>), so a
fast Enter cannot add the wrong firm unnoticed, and the form starts at the firm's next rung
and next year's batch (the defaults made in tiers/, only shown here)."""

from __future__ import annotations

import datetime as dt

from tiers.queries.cultivation import cultivation_entries
from tiers.services import candidates as candidate_services
from tiers.services import recognitions
from ui.cultivation_view import CultivationView


def test_the_entry_defaults_are_the_next_rung_and_next_year(session, enterprise_factory):
    firm = enterprise_factory("常州默认梯度有限公司")
    recognitions.add(session, firm.id, {"tier_code": "innovative", "batch_year": 2025,
                                        "recognized_on": dt.date(2025, 10, 1)})
    session.flush()
    today = dt.date(2026, 11, 21)
    defaults = candidate_services.entry_defaults(session, firm.id, officer="王丽", today=today)
    assert defaults == {"target_tier": "zjtx", "target_year": 2027, "officer": "王丽",
                        "status": "培育中"}


def test_the_form_after_the_picker_names_the_firm_and_starts_at_its_next_rung(
        qtbot, database, settings, runner, enterprise_factory, session, monkeypatch):
    from ui.enterprise_picker_dialog import EnterprisePickerDialog
    from ui.record_form_dialog import RecordFormDialog

    firm = enterprise_factory("常州培育点名有限公司")
    recognitions.add(session, firm.id, {"tier_code": "innovative", "batch_year": 2025,
                                        "recognized_on": dt.date(2025, 10, 1)})
    session.commit()
    view = CultivationView(database, settings, runner=runner)
    qtbot.addWidget(view)
    monkeypatch.setattr(EnterprisePickerDialog, "pick", classmethod(lambda cls, *a, **k: firm.id))
    asked = []

    def edit(cls, parent, title, fields, values, clean=None):
        asked.append((title, dict(values)))
        return {**values, "target_year": str(values["target_year"])}

    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(edit))
    with qtbot.waitSignal(view.save_finished, timeout=10_000):
        view.add()
    (title, values), = asked
    assert title == "加入培育库 — 常州培育点名有限公司"
    assert values["target_tier"] == "zjtx"
    assert values["target_year"] == dt.date.today().year + 1
    with database.session() as check:
        entry, = cultivation_entries(check)
        assert (entry["enterprise_id"], entry["target_tier"]) == (firm.id, "zjtx")
