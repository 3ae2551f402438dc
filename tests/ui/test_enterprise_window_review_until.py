"""The enterprise window's new 复核 row, given no dates, showed 有效期至 as 31 December of its
year plus the tier's validity (a bare ``clean``) until the record was saved; the save then
stored the renewed term, from the day the renewed title ended (recognitions.add), and the
row changed under the officer's eyes. The row now shows before saving what the save writes,
marked （推算）, by the core's own choice over the window's rows."""

from __future__ import annotations

import datetime as dt

from tests.ui.firm_window_helpers import cell, rows_by_id
from tiers.model import ladder
from tiers.services import recognitions
from ui.record_form_dialog import RecordFormDialog


def test_a_new_review_row_shows_the_date_the_save_writes(
        qtbot, firm_window, database, settings, runner, save_and_wait, enterprise_factory, session,
        monkeypatch):
    today = dt.date.today()  # the window judges on the real day
    ends = dt.date(today.year, 12, 27) if today < dt.date(today.year, 12, 27) \
        else today + dt.timedelta(days=20)
    firm = enterprise_factory("常州合海环保设备科技有限公司")
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": ends.year - 3,
                                        "valid_until": ends})
    session.commit()
    renewed = ladder.renewed_valid_until("zjtx", previous_end=ends)
    assert renewed == ends.replace(year=ends.year + 3)  # not 31 December

    dialog = firm_window(firm.id)
    tab = dialog.recognition_tab
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(lambda cls, *a, **k: {
        "tier_code": "zjtx", "batch_year": str(ends.year), "is_review": True,
        "batch_label": f"{ends.year}年度", "valid_until": None}))
    tab.add()
    new = len(tab.model.rows) - 1
    assert tab.model.rows[new]["valid_until"] == renewed
    shown = cell(tab, new, "有效期至")
    assert shown == f"{renewed.isoformat()}（推算）"
    assert save_and_wait(dialog)
    # saved and read back: the same date, the same mark
    row = next(n for n, r in enumerate(tab.model.rows) if r.get("is_review"))
    assert cell(tab, row, "有效期至") == shown


def test_the_new_review_row_follows_the_title_it_renews_edited_before_saving(
        qtbot, firm_window, database, settings, runner, save_and_wait, enterprise_factory, session,
        monkeypatch):
    """The new 复核 row's date was worked out once, when added: the officer then corrected
    the 有效期至 of the title it renews (or deleted or revoked that row), and the row kept
    showing the old date, marked （推算）, while the save wrote another. It is asked of the
    core again after each edit of the tab."""
    today = dt.date.today()
    ends = dt.date(today.year, 12, 27) if today < dt.date(today.year, 12, 27) \
        else today + dt.timedelta(days=20)
    corrected = ends - dt.timedelta(days=40)  # the list's true date, typed in afterwards
    firm = enterprise_factory("常州改期复核有限公司")
    old = recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": ends.year - 3,
                                              "valid_until": ends})
    session.commit()

    dialog = firm_window(firm.id)
    tab = dialog.recognition_tab
    review = {"tier_code": "zjtx", "batch_year": str(ends.year), "is_review": True,
              "batch_label": f"{ends.year}年度", "valid_until": None}
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(lambda cls, *a, **k: review))
    tab.add()
    new = len(tab.model.rows) - 1
    renewed = ladder.renewed_valid_until("zjtx", previous_end=ends)
    assert cell(tab, new, "有效期至") == f"{renewed.isoformat()}（推算）"

    # the title it renews deleted: nothing to run on from, the tier's own estimate
    rows = rows_by_id(tab)
    tab.select_row(rows[old.id])
    tab.delete_selected()
    alone = recognitions.clean(dict(review))["valid_until"]
    assert alone != renewed
    new = len(tab.model.rows) - 1
    assert cell(tab, new, "有效期至") == f"{alone.isoformat()}（推算）"

    # back (a fresh window), then its end corrected
    dialog = firm_window(firm.id)
    tab = dialog.recognition_tab
    tab.add()
    rows = rows_by_id(tab)
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(lambda cls, *a, **k: {
        "tier_code": "zjtx", "batch_year": str(ends.year - 3), "valid_until": corrected}))
    tab.select_row(rows[old.id])
    tab.edit_selected()
    follows = ladder.renewed_valid_until("zjtx", previous_end=corrected)
    assert follows != renewed
    new = next(n for n, r in enumerate(tab.model.rows) if r.get("id") is None)
    assert tab.model.rows[new]["valid_until"] == follows
    shown = cell(tab, new, "有效期至")
    assert shown == f"{follows.isoformat()}（推算）"
    assert save_and_wait(dialog)
    # what the save wrote is what the row showed
    row = next(n for n, r in enumerate(tab.model.rows) if r.get("is_review"))
    assert cell(tab, row, "有效期至") == shown
