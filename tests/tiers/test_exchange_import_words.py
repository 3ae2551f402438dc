"""The plan in words (in_words: the firms binned, the values updated, kept…) is read inside
an import's write transaction for the command line, which prints them; the client's window
shows its own preview's words (the import checks it writes that preview), so it asks for
none and the transaction does not read them a second time (review of session 24)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.tiers.exchange_helpers import DAY, WUJIN, imported, sent
from tiers.exchange import apply, import_package, preview_package, preview_summary
from tiers.model.orm import Enterprise
from tiers.progress import drain
from tiers.services import enterprises


def _newer(county, city, tmp_path):
    """武进's second package: one firm's phone changed, one firm no longer sent."""
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with county.session() as session:
        firms = session.scalars(select(Enterprise).where(Enterprise.county_code == WUJIN)
                                .order_by(Enterprise.id)).all()
        enterprises.update(session, firms[0].id, {"contact_phone": "0519-11112222"})
        enterprises.soft_delete(session, firms[1].id)
    return sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))


def _counted(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = apply.in_words

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(apply, "in_words", counting)
    return calls


def test_an_import_asked_for_no_words_reads_none(county, city, tmp_path, monkeypatch):
    newer = _newer(county, city, tmp_path)
    with city.session() as session:
        preview = preview_package(session, newer)
    assert preview.values_updated and preview.deleted_firms
    calls = _counted(monkeypatch)
    with city.session() as session:
        result = drain(import_package(session, newer, expected=preview_summary(preview),
                                      words=False))
    assert result.batch_id is not None and result.updated == preview.updated
    assert calls == []
    assert (result.updated_values, result.values_updated) == ([], 0)


def test_an_import_says_them_by_default(county, city, tmp_path, monkeypatch):
    newer = _newer(county, city, tmp_path)
    calls = _counted(monkeypatch)
    with city.session() as session:
        result = drain(import_package(session, newer))
    assert calls == [1]
    assert result.values_updated >= 1 and result.deleted_firms
