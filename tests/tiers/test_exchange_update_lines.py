"""A newer package's preview says what each update changes, in the history window's words,
and marks first the values the city changed itself that the county's package puts back (the
county changed them too: 本市和区县都修改过; those it did not change are kept,
tests/tiers/test_exchange_merge.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select, update

from tests.tiers.exchange_helpers import DAY, WUJIN, imported, sent
from tiers.exchange import preview_package
from tiers.exchange.deletions import SHOWN
from tiers.exchange.plan import PackagePlan, RecordUpdate
from tiers.exchange.updates import update_words
from tiers.model import ladder
from tiers.model.orm import AnnualFigures, Enterprise, Recognition
from tiers.services import enterprises, recognitions
from tiers.services.profile import save_profile
from tiers.text.changes import value_text

LATER = DAY + dt.timedelta(days=1)


def _wujin_firms(database) -> list[tuple[int, str, str]]:
    """(id, credit code, name) of the county's firms in 武进区, those with a recognition
    first, in id order."""
    with database.session() as session:
        recognized = set(session.scalars(select(Recognition.enterprise_id)))
        return sorted((tuple(row) for row in session.execute(
            select(Enterprise.id, Enterprise.credit_code, Enterprise.name)
            .where(Enterprise.county_code == WUJIN))),
            key=lambda firm: (firm[0] not in recognized, firm[0]))


def _city_id(city, code: str) -> int:
    with city.session() as session:
        return session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code))


def _first_recognition(database, firm_id: int) -> Recognition:
    with database.session() as session:
        found = session.scalars(select(Recognition).where(
            Recognition.enterprise_id == firm_id).order_by(Recognition.id)).first()
        session.expunge(found)
        return found


def test_each_update_is_said_in_the_history_windows_words(county, city, tmp_path):
    firms = _wujin_firms(county)
    with county.session() as session:  # a recognition from a 公示 list, a blank field
        recognized = session.scalar(select(Recognition.id).join(Enterprise).where(
            Enterprise.county_code == WUJIN).order_by(Recognition.id))
        session.execute(update(Recognition).where(Recognition.id == recognized).values(
            is_pending=True, valid_until=dt.date(2099, 12, 31), revoked_on=None))
        session.execute(update(Enterprise).where(Enterprise.id == firms[1][0]).values(notes=""))
        figures = session.scalars(select(AnnualFigures).join(Enterprise).where(
            Enterprise.county_code == WUJIN).order_by(AnnualFigures.id)).first()
        figures_firm, old_revenue = figures.enterprise_id, figures.revenue
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with county.session() as session:  # the county corrects and confirms
        enterprises.update(session, firms[0][0], {"contact_phone": "0519-2222"})
        enterprises.update(session, firms[1][0], {"notes": "新增的备注"})
        recognitions.confirm(session, recognized)
        recognition = session.get(Recognition, recognized)
        old_until = recognition.valid_until
        recognition.valid_until = dt.date(2100, 6, 30)
        session.get(AnnualFigures, figures.id).revenue = Decimal("1234.50")
        figures_name = session.get(Enterprise, figures_firm).name
        subject = ladder.tier_label(recognition.tier_code)
    with city.session() as session:
        old_phone = session.scalar(select(Enterprise.contact_phone).where(
            Enterprise.credit_code == firms[0][1]))
        preview = preview_package(session, sent(county, tmp_path / "wj2.zip", WUJIN, LATER))
    lines = preview.updated_values
    assert preview.city_edits_overwritten == 0
    assert f"{firms[0][2]}：联系电话 {old_phone or '（空）'} → 0519-2222" in lines
    assert f"{firms[1][2]}：备注 （空） → 新增的备注" in lines  # a blank old value
    status = next(line for line in lines if "状态" in line)
    assert status.endswith("状态 公示中 → 有效") and f"认定“{subject}" in status, status
    assert "（公示中）" not in status  # the status says it once
    assert any(line.endswith(f"有效期至 {old_until.isoformat()} → 2100-06-30") for line in lines)
    revenue = f"营业收入 {value_text('revenue', old_revenue)} → 1234.5"  # as the history shows it
    assert any(line.startswith(f"{figures_name}：年度数据“") and line.endswith(revenue)
               for line in lines), lines
    assert preview.values_updated == len(lines)
    assert not any("source_county" in line or "None" in line for line in lines)


def test_the_first_lines_are_shown_and_the_rest_counted(database):
    with database.session() as session:
        firm = enterprises.create(session, {"name": "常州甲公司",
                                            "credit_code": "91320412MA1N2X3Y8W"})
        plan = PackagePlan(package=None)
        plan.firm_updates = [RecordUpdate(firm.id, firm.id, {"notes": (f"旧{n}", f"新{n}")}, None)
                             for n in range(SHOWN + 50)]
        words = update_words(session, plan)
    assert words.total == SHOWN + 50 and len(words.lines) == SHOWN
    assert words.lines[0] == "常州甲公司：备注 旧0 → 新0" and words.city_edited == 0


def test_the_citys_own_edits_are_flagged_first(county, city, tmp_path):
    firms = _wujin_firms(county)
    first_recognition = _first_recognition(county, firms[0][0])
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    edited, own, taken_back = (_city_id(city, code) for _, code, _ in firms[:3])
    city_recognition = _first_recognition(city, edited)
    with city.session() as session:  # corrected by hand in the enterprise dialog
        save_profile(session, edited, {"contact_phone": "0519-2222"}, user="市局")
        recognitions.edit(session, city_recognition.id, {"document_number": "常工信〔2024〕1号"},
                          user="市局")
        was = session.get(Enterprise, taken_back).contact_phone
        save_profile(session, taken_back, {"contact_phone": "0519-7777"}, user="市局")
    with city.session() as session:  # and put back as it was: not an edit that stands
        save_profile(session, taken_back, {"contact_phone": was or ""}, user="市局")
    with county.session() as session:  # the county's own corrections
        for firm_id, phone in ((firms[0][0], "0519-1111"), (firms[1][0], "0519-3333"),
                               (firms[2][0], "0519-4444")):
            enterprises.update(session, firm_id, {"contact_phone": phone})
        recognitions.edit(session, first_recognition.id, {"document_number": "苏工信〔2024〕9号"})
    with city.session() as session:
        preview = preview_package(session, sent(county, tmp_path / "wj2.zip", WUJIN, LATER))
    lines = preview.updated_values
    assert preview.city_edits_overwritten == 2
    assert lines[0] == (f"本市和区县都修改过：{firms[0][2]}：联系电话 0519-2222（本市） → "
                        "0519-1111（区县数据包）")
    assert lines[1].startswith(f"本市和区县都修改过：{firms[0][2]}：认定“"), lines[1]
    assert lines[1].endswith("文号/入库编号 常工信〔2024〕1号（本市） → 苏工信〔2024〕9号（区县数据包）")
    assert not any(line.startswith("本市和区县都修改过") for line in lines[2:])
    assert any(line.startswith(f"{firms[1][2]}：联系电话 ") for line in lines)  # the county's
    assert any(line.startswith(f"{firms[2][2]}：联系电话 ") for line in lines)  # taken back


def test_what_the_previous_package_changed_is_not_the_citys(county, city, tmp_path):
    firms = _wujin_firms(county)
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with county.session() as session:
        enterprises.update(session, firms[0][0], {"contact_phone": "0519-1111"})
    imported(city, sent(county, tmp_path / "wj2.zip", WUJIN, LATER))
    with county.session() as session:
        enterprises.update(session, firms[0][0], {"contact_phone": "0519-2222"})
    with city.session() as session:
        preview = preview_package(session, sent(county, tmp_path / "wj3.zip", WUJIN,
                                                LATER + dt.timedelta(days=1)))
    assert preview.updated_values == [f"{firms[0][2]}：联系电话 0519-1111 → 0519-2222"]
    assert preview.city_edits_overwritten == 0


def test_a_firm_the_city_put_in_the_recycle_bin_is_flagged(county, city, tmp_path):
    firms = _wujin_firms(county)
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with city.session() as session:
        enterprises.soft_delete(session, _city_id(city, firms[0][1]), user="市局")
    with city.session() as session:
        preview = preview_package(session, sent(county, tmp_path / "wj2.zip", WUJIN, LATER))
    # leaving the bin is no value (tester24): said as a firm out of it, the city's mark on it
    assert preview.unbinned_firms == [f"{firms[0][2]}（本市移入回收站的）"]
    assert preview.updated_values == [] and preview.city_edits_overwritten == 0


def test_an_edit_taken_back_by_undoing_its_batch_is_not_flagged(county, city, tmp_path):
    """The city's bulk action (设置包挂责任人) over two firms' 培育库 entries, one of the two
    taken back by undoing the action: the package overwrites only the other's."""
    from importers.undo import undo_batch
    from tiers.model.orm import CultivationEntry
    from tiers.progress import drain
    from tiers.services import bulk

    with county.session() as session:
        entries = session.scalars(select(CultivationEntry).join(Enterprise).where(
            Enterprise.county_code == WUJIN).order_by(CultivationEntry.id)).all()[:2]
        assert len(entries) == 2
        for entry in entries:
            entry.status, entry.officer = "培育中", "张三"
        codes = [session.get(Enterprise, entry.enterprise_id).credit_code for entry in entries]
        entry_ids = [entry.id for entry in entries]
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    ids = [_city_id(city, code) for code in codes]
    with city.session() as session:
        undone = bulk.apply(session, "officer", ids[:1], {"officer": "李四"}, user="市局")
        bulk.apply(session, "officer", ids[1:], {"officer": "王五"}, user="市局")
    with city.session() as session:
        drain(undo_batch(session, undone.batch_id, user="市局"))
    with county.session() as session:
        for entry_id in entry_ids:
            session.get(CultivationEntry, entry_id).officer = "赵六"
    with city.session() as session:
        preview = preview_package(session, sent(county, tmp_path / "wj2.zip", WUJIN, LATER))
    assert preview.city_edits_overwritten == 1
    officer_lines = [line for line in preview.updated_values if "包挂责任人" in line]
    assert len(officer_lines) == 2
    assert officer_lines[0].startswith("本市和区县都修改过：") and "王五（本市） → 赵六（区县数据包）" in officer_lines[0]
    assert officer_lines[1].endswith("包挂责任人 张三 → 赵六"), officer_lines[1]


def _after_a_package_that_updated_the_phone(county, city, tmp_path):
    """The county sends the firm's phone 0519-0000, then 0519-1111 (the second package's
    own update line is the first line of the change log after it)."""
    firms = _wujin_firms(county)
    with county.session() as session:
        enterprises.update(session, firms[0][0], {"contact_phone": "0519-0000"})
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with county.session() as session:
        enterprises.update(session, firms[0][0], {"contact_phone": "0519-1111"})
    imported(city, sent(county, tmp_path / "wj2.zip", WUJIN, LATER))
    return firms, _city_id(city, firms[0][1])


def _third_package(county, firms, tmp_path):
    with county.session() as session:
        enterprises.update(session, firms[0][0], {"contact_phone": "0519-2222"})
    with county.session() as session:
        return sent(county, tmp_path / "wj3.zip", WUJIN, LATER + dt.timedelta(days=1))


def test_an_edit_taken_back_by_hand_after_a_package_update_is_not_flagged(
        county, city, tmp_path):
    """The value the package left was read from its own update line (the value before
    it): an edit changed back to what the package left was flagged (review)."""
    firms, here = _after_a_package_that_updated_the_phone(county, city, tmp_path)
    with city.session() as session:
        save_profile(session, here, {"contact_phone": "0519-7777"}, user="市局")
    with city.session() as session:
        save_profile(session, here, {"contact_phone": "0519-1111"}, user="市局")
    package = _third_package(county, firms, tmp_path)
    with city.session() as session:
        assert preview_package(session, package).city_edits_overwritten == 0


def test_an_edit_back_to_the_value_before_the_package_is_flagged(county, city, tmp_path):
    """…and a real edit back to the value before that package was missed (review)."""
    firms, here = _after_a_package_that_updated_the_phone(county, city, tmp_path)
    with city.session() as session:
        save_profile(session, here, {"contact_phone": "0519-0000"}, user="市局")
    package = _third_package(county, firms, tmp_path)
    with city.session() as session:
        assert preview_package(session, package).city_edits_overwritten == 1
