"""梯度认定 → 添加 the same title a second time (fixt29b #1: 链主企业 / 起重机 / 2026-03-01 twice,
Ctrl+S, no word; revoking one copy left the firm 链主 of 起重机): the form refuses it at once,
in Chinese, by the core's own identity of a title (recognitions.duplicate_among); the save
refuses it too (recognitions.add) should it get there."""

from __future__ import annotations

from tiers.model.orm import Recognition
from tiers.services import recognitions
from tiers.services.errors import ValidationError
from ui.record_form_dialog import RecordFormDialog

LEADER = {"tier_code": "链主企业", "chain_code": "起重机", "recognized_on": "2026-03-01"}


def test_the_form_refuses_a_title_the_firm_has_or_is_adding(
        qtbot, firm_window, save_and_wait, database, enterprise_factory, session, monkeypatch):
    firm = enterprise_factory("常州重复链主窗口有限公司")
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": 2025})
    session.commit()
    dialog = firm_window(firm.id)
    tab = dialog.recognition_tab
    given, refusals = [dict(LEADER)], []

    def edit(cls, parent, title, fields, values, validate=None):
        # as the form does on 确定: validate first, closed only when nothing is refused
        try:
            validate(dict(given[0]))
        except ValidationError as refused:
            refusals.append(refused)
            return None
        return dict(given[0])

    def leaders() -> int:
        return sum(r.get("tier_code") == "chain_leader" for r in tab.rows)

    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(edit))
    tab.add()  # the first: accepted
    assert leaders() == 1 and not refusals
    tab.add()  # the second, the first not saved yet: refused at the form
    [refused] = refusals
    assert "已有这一认定" in str(refused) and "起重机" in str(refused)
    assert "tier_code" in refused.fields  # at the form's 梯度层级
    assert leaders() == 1
    given[0] = {**LEADER, "chain_code": "C01"}  # 链主 of another chain: another title
    tab.add()
    assert leaders() == 2 and len(refusals) == 1
    assert save_and_wait(dialog)
    given[0] = dict(LEADER)
    tab.add()  # saved now: refused all the same
    assert len(refusals) == 2 and leaders() == 2
    # editing the title itself is no copy of it
    row = next(n for n, r in enumerate(tab.model.rows) if r.get("chain_code") == "C05")
    tab.select_row(row)
    given[0] = {**LEADER, "note": "改备注"}
    tab.edit_selected()
    assert len(refusals) == 2
    assert save_and_wait(dialog)
    with database.session() as check:
        assert [r.note for r in check.query(Recognition).filter_by(
            enterprise_id=firm.id, chain_code="C05")] == ["改备注"]
