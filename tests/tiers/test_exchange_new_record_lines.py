"""A package's preview names what it adds, as it names what it updates and deletes: the new
firms by name and the new records in words (常州甲公司：扶持措施“认定奖励 2026年” 20 万元),
those of firms already here first; the table's 扶持措施 新增 2 alone left the officer to
guess which firms and what (tester29). Capped before any line is made: a county's first
package of 100,000 firms must not make a sentence per record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from tests.conftest import make_code
from tests.tiers.exchange_helpers import DAY, WUJIN, imported, sent
from tiers.exchange import additions, preview_package
from tiers.model.orm import Enterprise
from tiers.progress import drain
from tiers.services import enterprises, measures


def _second(county, city, tmp_path):
    """武进's second package: a measure added to a firm the city has, and a new firm with a
    measure of its own. The names of the two firms."""
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with county.session() as session:
        firm = session.scalars(select(Enterprise).where(Enterprise.county_code == WUJIN)
                               .order_by(Enterprise.id)).first()
        measures.add(session, firm.id, {"kind": "认定奖励", "amount": Decimal("20"),
                                        "year": 2026})
        new = enterprises.create(session, {"credit_code": make_code(990),
                                           "name": "常州新来科技有限公司", "county": "武进区"})
        measures.add(session, new.id, {"kind": "研发补助", "amount": Decimal("5.5"),
                                       "year": 2026})
        names = firm.name, new.name
    return names, sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))


def test_the_preview_names_the_new_firms_and_records(county, city, tmp_path):
    (firm, new), package = _second(county, city, tmp_path)
    with city.session() as session:
        preview = preview_package(session, package)
    assert preview.created["support_measures"] == 2 and preview.created["enterprises"] == 1
    assert preview.created_firms == [new]
    # the firm here first, then the new firm's: each with what it is and its amount
    assert preview.created_records == [f"{firm}：扶持措施“认定奖励 2026年” 20 万元",
                                       f"{new}：扶持措施“研发补助 2026年” 5.5 万元"]
    said = preview.as_json()
    assert said["created_firms"] == [new] and said["created_records"] == preview.created_records
    assert said["records_created"] == 2


def test_the_import_says_them_too(county, city, tmp_path):
    (firm, _new), package = _second(county, city, tmp_path)
    from tiers.exchange import import_package

    with city.session() as session:
        result = drain(import_package(session, package))
    assert f"{firm}：扶持措施“认定奖励 2026年” 20 万元" in result.created_records


def test_a_first_package_makes_only_the_lines_shown(county, city, tmp_path, monkeypatch):
    """Every record of a first package is new: the lines shown are made, not one per
    record, and the count of them all is the table's."""
    made: list[int] = []
    real = additions.record_words

    def counting(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(additions, "record_words", counting)
    monkeypatch.setattr(additions, "SHOWN", 5)
    package = sent(county, tmp_path / "wj1.zip", WUJIN, DAY)
    with city.session() as session:
        preview = preview_package(session, package)
    assert preview.records_created > 5 and preview.created["enterprises"] > 5
    assert len(preview.created_records) == 5 == len(made)
    assert len(preview.created_firms) == 5
