"""What the review of the merged #16/#17/#19 work found, held as tests: a package's undo
never duplicates or resurrects records; 公示中 titles count for nothing until confirmed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from importers.undo import undo_batch
from importers.undo.types import UndoRefused
from tests.tiers.exchange_helpers import DAY, WUJIN, county_database
from tiers.exchange import export_package, import_package, read_package
from tiers.model import ladder, reference
from tiers.model.orm import ChainRole, Enterprise, ImportBatch, Recognition
from tiers.progress import drain
from tiers.queries import dashboard, firm_chains
from tiers.services import bulk, enterprises, recognitions
from tiers.storage.database import open_database

RECORD_COLUMNS = ("tier_code", "level", "issuer", "batch_label", "batch_year", "is_review",
                  "document_number", "recognized_on", "valid_until", "chain_code")


@pytest.fixture
def offices(tmp_path):
    county = county_database(str(tmp_path / "county.sqlite3"), enterprises=30)
    city = open_database(str(tmp_path / "city.sqlite3"))
    counter = iter(range(100))

    def send(when):
        name = tmp_path / f"{next(counter)}.zip"
        with county.session() as session:
            drain(export_package(session, name, counties=[WUJIN], now=when))
        with city.session() as session:
            return drain(import_package(session, read_package(name), user="市局"))

    yield county, city, send
    city.dispose()
    county.dispose()


def _first_recognitions(session, count=3):
    return session.scalars(select(Recognition).join(Enterprise).where(
        Enterprise.county_code == WUJIN).order_by(Recognition.id)).all()[:count]


def test_undoing_a_package_never_puts_back_a_record_entered_again_since(offices):
    county, city, send = offices
    send(DAY)
    with county.session() as session:
        gone = _first_recognitions(session)
        saved = [(r.enterprise_id, {c: getattr(r, c) for c in RECORD_COLUMNS}) for r in gone]
        for recognition in gone:
            recognitions.delete(session, recognition.id)
    deleting = send(DAY + dt.timedelta(days=1))
    with county.session() as session:  # the county enters them again
        for firm, values in saved:
            recognitions.add(session, firm, recognitions.clean(values))
    send(DAY + dt.timedelta(days=2))
    with city.session() as session:
        before = session.scalar(select(func.count(Recognition.id)))
    with pytest.raises(UndoRefused, match="请先撤销批次"), city.session() as session:
        drain(undo_batch(session, deleting.batch_id))
    with city.session() as session:
        assert session.scalar(select(func.count(Recognition.id))) == before


def test_a_package_whose_records_a_later_one_deleted_is_undone_after_it(offices):
    county, city, send = offices
    first = send(DAY)
    with county.session() as session:
        for recognition in _first_recognitions(session):
            recognitions.delete(session, recognition.id)
    later = send(DAY + dt.timedelta(days=1))
    with pytest.raises(UndoRefused, match=f"请先撤销批次 {later.batch_id}"), \
            city.session() as session:
        drain(undo_batch(session, first.batch_id))
    with city.session() as session:  # newest first works, and nothing of an undone batch
        drain(undo_batch(session, later.batch_id))
    with city.session() as session:
        drain(undo_batch(session, first.batch_id))
    with city.session() as session:
        undone = set(session.scalars(select(ImportBatch.id).where(
            ImportBatch.undone_at.is_not(None))))
        assert {first.batch_id, later.batch_id} <= undone
        assert not session.scalars(select(Recognition.id).where(
            Recognition.import_batch_id.in_(undone))).all()


def _firm(session):
    from tests.conftest import make_code

    return enterprises.create(session, {"credit_code": make_code(4242),
                                        "name": "常州公示测试有限公司", "county": "武进区"})


def test_a_pending_title_is_neither_reviewed_nor_counted_nor_a_chain_leader(session):
    firm = _firm(session)
    recognitions.add(session, firm.id, {"tier_code": "innovative", "level": "省级",
                                        "batch_year": 2023, "is_pending": True})
    chain = reference.chains()[0].code
    leader = recognitions.add(session, firm.id, {"tier_code": "chain_leader", "level": "市级",
                                                 "batch_year": 2026, "is_pending": True,
                                                 "chain_code": chain})
    session.flush()
    assert not session.scalars(select(ChainRole)).all()  # 公示中: nobody leads yet
    assert dashboard.recognitions_per_year(session) == []
    preview = bulk.preview(session, "review", [firm.id],
                           {"tier_code": "innovative", "batch_year": 2026})
    assert [item.skip for item in preview.items] == ["没有创新型中小企业的认定，不能复核"]
    assert not session.scalars(select(Recognition.id).where(
        ladder.held_condition(dt.date.today()))).all()
    recognitions.confirm(session, leader.id)  # confirmed: now the firm leads the chain,
    assert firm.id in session.scalars(  # by the title (firm_chains), with no role (chain29)
        firm_chains.leader_ids(dt.date.today(), [chain])).all()
    assert not session.scalars(select(ChainRole)).all()


def test_only_an_administrator_imports_a_package(offices, monkeypatch):
    """On a shared server an editor's rights stop at their county: the import is refused
    in Chinese before anything is read or written (the server would refuse mid-way)."""
    from tiers.errors import Refused
    from tiers.storage import write_rights

    county, city, send = offices
    monkeypatch.setattr(write_rights, "write_rights",
                        lambda session: write_rights.WriteRights(counties=frozenset({WUJIN})))
    with pytest.raises(Refused, match="导入数据包需要管理员账号"):
        send(DAY)
    with city.session() as session:
        assert session.scalar(select(func.count(Enterprise.id))) == 0
