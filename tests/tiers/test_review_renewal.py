"""A 复核 pass given without dates (a 复核 list with no date column, `tiers bulk review`, the
firm window's 复核 row left blank) runs the tier's validity from where the renewed title
ended (domain.md §1.5: 3 years, then 复核), not to 31 December of batch year + 3; the date is
marked 推算 wherever 有效期至 is shown; the 规则集 it was judged by is recorded; and the
batch is spelled as the lists spell it ("2026年度"), by both paths (tester23 findings 1, 2)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.conftest import make_code
from tests.importers.helpers import import_file
from tiers.model.orm import Recognition
from tiers.queries import profiles
from tiers.services import bulk, enterprises, recognitions
from ui.cli.main import main


def _firm(database, serial: int, *, tier: str, label: str, year: int, on: dt.date,
          until: dt.date) -> int:
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(serial), "county": "武进区",
                                            "name": f"常州复核{serial}科技有限公司"})
        recognitions.add(session, firm.id, {"tier_code": tier, "batch_label": label,
                                            "batch_year": year, "recognized_on": on,
                                            "valid_until": until})
        return firm.id


def _reviews(database, firm: int) -> list[Recognition]:
    with database.session() as session:
        return list(session.scalars(select(Recognition).where(
            Recognition.enterprise_id == firm, Recognition.is_review)))


def test_bulk_review_renews_from_the_old_end_and_says_it_is_estimated(database):
    firm = _firm(database, 1, tier="创新型中小企业", label="2023年度", year=2023,
                 on=dt.date(2023, 7, 5), until=dt.date(2026, 7, 4))
    values = {"tier_code": "创新型中小企业", "batch_year": 2026}
    with database.session() as session:
        draft = bulk.preview(session, "review", [firm], values)
    assert "有效期至 2029-07-04（推算）" in draft.items[0].change
    # the preview names the batch as the record will (it said "2026年")
    assert "创新型中小企业 2026年度（复核 2023年度）" in draft.items[0].change
    with database.session() as session:
        bulk.apply(session, "review", [firm], values, user="张三")
    (review,) = _reviews(database, firm)
    assert (review.valid_until, review.valid_until_estimated) == (dt.date(2029, 7, 4), True)
    assert review.recognized_on is None
    assert review.batch_label == "2026年度"  # as the 复核 lists spell it
    assert review.rule_set == "2022暂行办法"  # 创新型 is still judged by it
    with database.session() as session:
        (shown,) = [r for r in profiles.profile(session, firm)["recognitions"] if r["is_review"]]
    assert shown["valid_until_estimated"] is True


def test_a_review_list_without_dates_renews_from_the_old_end(database, tmp_path):
    firm = _firm(database, 2, tier="专精特新中小企业", label="2023年度", year=2023,
                 on=dt.date(2023, 12, 28), until=dt.date(2026, 12, 27))
    path = tmp_path / "2026年省级专精特新复核通过名单.csv"
    path.write_bytes(("2026年度江苏省专精特新中小企业复核通过企业名单\n"
                      "序号,企业名称,统一社会信用代码,所在地\n"
                      f"1,常州复核2科技有限公司,{make_code(2)},常州市武进区\n").encode("gbk"))
    import_file(database, path)
    (review,) = _reviews(database, firm)
    assert (review.valid_until, review.valid_until_estimated) == (dt.date(2029, 12, 27), True)
    assert (review.batch_label, review.batch_year) == ("2026年度", 2026)
    # the renewed term starts 2026-12-28: the 2026办法 is in force then, but the title it
    # renews began under the 2022 rules and no source says which its 复核 took (Jiangsu's
    # 2026 复核 notice not obtained): recorded as presumed, not as a fact (review29)
    assert review.rule_set == "2026办法（推定）"


def test_a_date_the_list_gives_is_not_estimated(database, tmp_path):
    firm = _firm(database, 3, tier="专精特新中小企业", label="2023年度", year=2023,
                 on=dt.date(2023, 12, 28), until=dt.date(2026, 12, 27))
    path = tmp_path / "复核.csv"
    path.write_bytes(("2026年度江苏省专精特新中小企业复核通过企业名单\n"
                      "序号,企业名称,统一社会信用代码,有效期至\n"
                      f"1,常州复核3科技有限公司,{make_code(3)},2029-12-30\n").encode("gbk"))
    import_file(database, path)
    (review,) = _reviews(database, firm)
    assert (review.valid_until, review.valid_until_estimated) == (dt.date(2029, 12, 30), False)


def test_the_firm_window_keeps_the_mark_until_the_officer_types_a_date(database):
    firm = _firm(database, 4, tier="创新型中小企业", label="2023年度", year=2023,
                 on=dt.date(2023, 7, 5), until=dt.date(2026, 7, 4))
    with database.session() as session:  # the form's new 复核 row, 有效期至 left blank
        review = recognitions.add(session, firm, {"tier_code": "创新型中小企业",
                                                  "batch_year": 2026, "is_review": True})
        assert (review.valid_until, review.valid_until_estimated) == (dt.date(2029, 7, 4),
                                                                       True)
        review_id = review.id
    with database.session() as session:  # another field edited, the date handed back
        recognitions.edit(session, review_id, {"note": "已核对",
                                               "valid_until": dt.date(2029, 7, 4)})
        assert session.get(Recognition, review_id).valid_until_estimated is True
    with database.session() as session:  # the officer types the date of the notice
        recognitions.edit(session, review_id, {"valid_until": dt.date(2029, 7, 31)})
        assert session.get(Recognition, review_id).valid_until_estimated is False
    with database.session() as session:  # cleared: computed again, from the old end
        recognitions.edit(session, review_id, {"valid_until": None})
        again = session.get(Recognition, review_id)
        assert (again.valid_until, again.valid_until_estimated) == (dt.date(2029, 7, 4), True)


def test_tiers_show_writes_the_estimate_as_such(database, db_target, capsys):
    firm = _firm(database, 5, tier="创新型中小企业", label="2023年度", year=2023,
                 on=dt.date(2023, 7, 5), until=dt.date(2026, 7, 4))
    with database.session() as session:
        bulk.apply(session, "review", [firm], {"tier_code": "创新型中小企业",
                                               "batch_year": 2026}, user="张三")
    assert main(["--db", str(db_target), "show", make_code(5)]) == 0
    lines = capsys.readouterr().out.splitlines()
    (renewed,) = [line for line in lines if "2026年度" in line]
    assert "有效期至 2029-07-04（推算）" in renewed
    (old,) = [line for line in lines if "2023年度" in line]
    assert "推算" not in old  # dates the list gave are plain
