"""A newer package that moved some of a county's firms to the recycle bin, imported a second
time, changes nothing: the binned firms' records stay with them (as the first import left
them, so that undo or the county sending the firm again brings them back whole)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from tests.tiers.exchange_helpers import (
    DAY,
    WUJIN,
    sent,
)
from tiers.exchange import import_package, preview_package
from tiers.model.orm import Enterprise, ImportBatch, Recognition
from tiers.progress import drain
from tiers.services import enterprises, recognitions


def test_a_newer_package_that_bins_firms_imported_again_changes_nothing(county, city, tmp_path):
    with city.session() as session:
        drain(import_package(session, sent(county, tmp_path / "wj1.zip", WUJIN, DAY)))
    with county.session() as session:
        firm_ids = session.scalars(select(Enterprise.id).join(Recognition).where(
            Enterprise.county_code == WUJIN).order_by(Enterprise.id).distinct()).all()
        for firm_id in firm_ids[:2]:  # firms with recognitions: their records stay with them
            enterprises.soft_delete(session, firm_id)
    newer = sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))
    with city.session() as session:
        first = drain(import_package(session, newer))
    assert first.deleted["enterprises"] == 2 and first.deleted["recognitions"] == 0
    with city.session() as session:
        batches = session.scalar(select(func.count(ImportBatch.id)))
        recognitions = session.scalar(select(func.count(Recognition.id)))
        again = preview_package(session, newer)
    assert not any(again.deleted.values()), again.deleted
    assert not any(again.created.values()) and not any(again.updated.values())
    with city.session() as session:
        result = drain(import_package(session, newer))
        assert result.batch_id is None
        assert session.scalar(select(func.count(ImportBatch.id))) == batches
        assert session.scalar(select(func.count(Recognition.id))) == recognitions


def test_the_preview_names_each_record_the_county_deleted(county, city, tmp_path):
    with city.session() as session:
        drain(import_package(session, sent(county, tmp_path / "wj1.zip", WUJIN, DAY)))
    with county.session() as session:
        firm_id, tier, year = session.execute(
            select(Enterprise.id, Recognition.tier_code, Recognition.batch_year)
            .join(Recognition).where(Enterprise.county_code == WUJIN)
            .order_by(Recognition.id)).first()
        name = session.get(Enterprise, firm_id).name
        recognition_id = session.scalars(select(Recognition.id).where(
            Recognition.enterprise_id == firm_id, Recognition.tier_code == tier)).first()
        recognitions.delete(session, recognition_id)
    with city.session() as session:
        preview = preview_package(session, sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1)))
    from tiers.model.ladder import tier_label

    assert preview.deleted["recognitions"] == 1
    assert len(preview.deleted_records) == 1
    line = preview.deleted_records[0]
    assert line.startswith(f"{name}：认定“{tier_label(tier)}"), line
    assert f"{year}年度" in line


def test_a_recognitions_year_is_said_once():
    from tiers.exchange.deletions import record_words
    from tiers.exchange.format import RECORD_TABLES

    recognitions_table = next(s for s in RECORD_TABLES if s.entity == "recognition")
    assert record_words(recognitions_table, {"tier_code": "innovative", "batch_year": 2023,
                                             "batch_label": "2023年度"}) \
        == "认定“创新型中小企业 2023年度”"
    assert record_words(recognitions_table, {"tier_code": "innovative", "batch_year": 2024,
                                             "batch_label": "第二批"}) \
        == "认定“创新型中小企业 2024年度 第二批”"


def test_a_blank_year_and_a_pending_recognition_are_said_as_such():
    """A measure without a year is not "（None年）"; a recognition from a 公示 list says so."""
    from tiers.exchange.deletions import record_words
    from tiers.exchange.format import RECORD_TABLES

    spec = {s.entity: s for s in RECORD_TABLES}
    assert record_words(spec["support_measure"], {"kind": "资金奖励", "name": "", "year": None}) \
        == "扶持措施“资金奖励”"
    assert record_words(spec["cultivation_entry"], {"target_tier": "innovative",
                                                    "target_year": None}) \
        == "培育库“创新型中小企业”"
    assert record_words(spec["recognition"], {"tier_code": "innovative", "batch_year": 2026,
                                              "batch_label": "第一批", "is_pending": True}) \
        == "认定“创新型中小企业 2026年度 第一批”（公示中）"
