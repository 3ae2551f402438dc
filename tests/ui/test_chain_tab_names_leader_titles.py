"""The firm window's 产业链 tab names the chains its 链主 recognitions in force put it on,
read-only beside the editable roles (chainshow28: a 链主 imported from a 链主 list left the
tab empty); revoked in 梯度认定 and saved, the line goes."""

from PySide6.QtWidgets import QLabel

from tests.ui.firm_window_helpers import rows_by_id
from tiers.model.orm import Recognition
from tiers.services import chains, records
from ui.enterprise_dialog.revoke_dialog import RevokeDialog


def _title(session, firm, chain_code, year):
    return records.create(session, Recognition, firm.id, {
        "tier_code": "chain_leader", "level": "市级", "batch_label": f"{year}年度",
        "batch_year": year, "chain_code": chain_code}, user=None, import_batch_id=None)


def test_the_chain_tab_shows_the_titles_read_only(
        qtbot, firm_window, enterprise_factory, session, save_and_wait, monkeypatch):
    firm = enterprise_factory("常州链主窗口有限公司")
    cranes = _title(session, firm, "C05", 2025)
    _title(session, firm, "C08", 2026)
    chains.set_role(session, firm.id, "挖掘机", "核心配套")
    session.commit()
    dialog = firm_window(firm.id)
    tab = dialog.chain_tab
    note = tab.findChild(QLabel, "chain_titles")
    assert note is not None and not note.isHidden()
    assert "起重机：链主（认定：2025年度）" in note.text()
    assert "挖掘机：链主（认定：2026年度）" in note.text()
    # the roles are the table's rows, to edit as before; the titles are not among them
    assert [row["role"] for row in tab.model.rows] == ["核心配套"]
    # revoked in 梯度认定 and saved: the tab no longer names it
    monkeypatch.setattr(RevokeDialog, "ask", classmethod(lambda cls, *a, **k: "更正"))
    dialog.recognition_tab.select_row(rows_by_id(dialog.recognition_tab)[cranes.id])
    dialog.recognition_tab.revoke_button.click()
    assert save_and_wait(dialog)
    assert "起重机" not in note.text() and "挖掘机：链主（认定：2026年度）" in note.text()


def test_no_title_no_line(qtbot, firm_window, enterprise_factory, session):
    firm = enterprise_factory("常州无链主有限公司")
    session.commit()
    note = firm_window(firm.id).chain_tab.findChild(QLabel, "chain_titles")
    assert note is not None and note.isHidden()
