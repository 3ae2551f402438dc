"""A newer county package that moves to the recycle bin a firm the city corrected by hand:
the preview lists it under 将移入回收站的企业 marked 本市修改过 (the words of the merge's
lines), first, and counts such firms; a firm the city did not touch, or whose correction
was taken back, is listed as before (tester22: 05_city.sh, edit_firm.sh, 06_countyA_v2.sh
— the city's correction went into the bin without a word)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.tiers.exchange_helpers import DAY, WUJIN, imported, sent
from tiers.exchange import preview_package
from tiers.model.orm import Enterprise
from tiers.services import enterprises
from tiers.services.profile import save_profile
from ui.cli.main import main


def _firms(database, count: int) -> list[tuple[int, str, str]]:
    with database.session() as session:
        return [(f.id, f.credit_code, f.name) for f in session.scalars(
            select(Enterprise).where(Enterprise.county_code == WUJIN)
            .order_by(Enterprise.id)).all()[:count]]


def _city_id(city, code: str) -> int:
    with city.session() as session:
        return session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code))


def test_a_firm_the_city_corrected_is_marked_where_a_package_bins_it(
        county, city, tmp_path, capsys):
    (a_id, a_code, a_name), (b_id, b_code, b_name), (c_id, c_code, c_name) = _firms(county, 3)
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with city.session() as session:  # the city corrects A, and changes C and back again
        save_profile(session, _city_id(city, a_code), {"contact_phone": "0519-8888"},
                     user="市局")
        original = enterprises.get(session, _city_id(city, c_code)).address
        enterprises.update(session, _city_id(city, c_code), {"address": "临时"}, user="市局")
        enterprises.update(session, _city_id(city, c_code), {"address": original},
                           user="市局")
    with county.session() as session:  # the county deletes A, B and C
        for firm_id in (a_id, b_id, c_id):
            enterprises.soft_delete(session, firm_id)
    second = sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))
    with city.session() as session:
        preview = preview_package(session, second)
    assert preview.deleted_firms[0] == f"{a_name}（本市修改过）"
    assert sorted(preview.deleted_firms[1:]) == sorted([b_name, c_name])
    assert preview.binned_city_edited == 1
    assert preview.as_json()["binned_city_edited"] == 1

    path = tmp_path / "wj2.zip"
    target = str(city.path) if city.path else city.engine.url.render_as_string(
        hide_password=False)
    assert main(["--db", target, "package", "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"将移入回收站的企业：{a_name}（本市修改过）、" in out
    assert "注意：其中 1 家本市修改过" in out


def test_a_firm_the_city_added_a_record_to_is_marked_where_a_package_bins_it(county, city, tmp_path):
    """A measure the city recorded itself (市级专精特新奖励 15 万元) on a firm the county's newer
    package moves to the bin: the firm is 本市修改过 too (tester26 #2: it went unmarked,
    binned_city_edited 0, the city's 15 万元 only counted under 随企业移入回收站); one the city
    added and deleted again is not."""
    import decimal

    from tiers.services import measures

    (a_id, a_code, a_name), (b_id, b_code, b_name) = _firms(county, 2)
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with city.session() as session:
        measures.add(session, _city_id(city, a_code), {
            "kind": "奖励资金", "name": "市级专精特新奖励", "amount": decimal.Decimal("15"),
            "paid_on": dt.date(2026, 11, 30)}, user="市局")
        taken_back = measures.add(session, _city_id(city, b_code), {
            "kind": "奖励资金", "name": "市级专精特新奖励", "amount": decimal.Decimal("15"),
            "paid_on": dt.date(2026, 11, 30)}, user="市局")
        measures.delete(session, taken_back.id, user="市局")
    with county.session() as session:
        for firm_id in (a_id, b_id):
            enterprises.soft_delete(session, firm_id)
    second = sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))
    with city.session() as session:
        preview = preview_package(session, second)
    assert preview.deleted_firms == [f"{a_name}（本市修改过）", b_name]
    assert preview.binned_city_edited == 1
