"""A firm that moved to another county and that the city had put in the recycle bin, sent
again by its new county's package: the preview and the undo count only the values the
officer sees (tester24 item 8). Its 县区代码 is shown by its 县（市、区） (one value, not two),
and leaving the recycle bin is said as a firm out of the bin, not as a value
在回收站中 → 恢复; the undo's result says what it did (移回回收站企业 1 家), not 将企业 ….
And ``tiers package import`` (no --dry-run) says what it did in the past tense, with the
city's values the county overwrote (tester24 item 2)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from importers.undo import plan_undo, undo_batch
from tests.tiers.exchange_helpers import DAY, WUJIN, XINBEI, imported, sent
from tiers.exchange import preview_package
from tiers.model.orm import Enterprise
from tiers.progress import drain
from tiers.services import enterprises
from ui.cli.main import main
from ui.import_wizard.summary import undo_summary


def _target(database) -> str:
    return str(database.path) if database.path else database.engine.url.render_as_string(
        hide_password=False)


def test_a_moved_firm_out_of_the_bin_counts_the_values_seen(county, city, tmp_path, capsys):
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    imported(city, sent(county, tmp_path / "xb1.zip", XINBEI, DAY))
    with county.session() as session:
        firm = session.scalars(select(Enterprise).where(Enterprise.county_code == WUJIN)
                               .order_by(Enterprise.id)).first()
        code, name = firm.credit_code, firm.name
        enterprises.update(session, firm.id, {"county": "新北区", "town": "",
                                              "contact_phone": "0519-77778888"})
    with city.session() as session:  # the city had put it in the recycle bin
        enterprises.soft_delete(session, session.scalars(select(Enterprise.id).where(
            Enterprise.credit_code == code)).one(), user="市局")
    xb2 = sent(county, tmp_path / "xb2.zip", XINBEI, DAY + dt.timedelta(days=1))
    with city.session() as session:
        preview = preview_package(session, xb2)
    mine = [line for line in preview.updated_values if line.startswith(name)
            or name in line]
    assert not any("县区代码" in line or "在回收站中" in line for line in mine), mine
    assert any("县（市、区） 武进区 → 新北区" in line for line in mine)
    assert preview.values_updated == len(preview.updated_values)
    assert preview.unbinned_firms == [f"{name}（本市移入回收站的）"]
    assert (preview.unbinned_count, preview.unbinned_city_binned) == (1, 1)
    assert main(["--db", _target(city), "package", "import", str(tmp_path / "xb2.zip"),
                 "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"区县再次报送、将移出回收站的企业：{name}（本市移入回收站的）" in out
    assert "注意：其中 1 家是本市移入回收站的" in out and "县区代码" not in out

    batch = imported(city, xb2).batch_id
    with city.session() as session:
        plan = drain(plan_undo(session, batch))
    assert "县区代码" not in plan.field_names and "县（市、区）" in plan.field_names
    assert plan.field_count == len(plan.field_names)
    assert plan.restored == sum(1 for line in mine if "→" in line)
    with city.session() as session:
        result = drain(undo_batch(session, batch))
    text = undo_summary(result)
    assert "移回回收站企业 1 家" in text and "将企业" not in text


def test_the_command_line_result_says_what_was_done(county, city, tmp_path, capsys):
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with county.session() as session:
        firms = session.scalars(select(Enterprise).where(Enterprise.county_code == WUJIN)
                                .order_by(Enterprise.id)).all()
        edited, dropped = firms[0], firms[1]
        code, name, gone = edited.credit_code, edited.name, dropped.name
        enterprises.update(session, edited.id, {"contact_phone": "0519-11112222"})
        enterprises.soft_delete(session, dropped.id)
    with city.session() as session:  # the city corrected the phone too, differently
        enterprises.update(session, session.scalars(select(Enterprise.id).where(
            Enterprise.credit_code == code)).one(), {"contact_phone": "0519-33334444"},
            user="市局")
    sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))
    assert main(["--db", _target(city), "package", "import", str(tmp_path / "wj2.zip")]) == 0
    out = capsys.readouterr().out
    assert "本市修改过的 1 项值已被区县数据包的值覆盖" in out
    assert f"本市和区县都修改过：{name}：联系电话 0519-33334444（本市） → 0519-11112222（区县数据包）" in out
    assert "已更新的值（" in out
    assert f"该区县本次未再报送、已移入回收站的企业：{gone}" in out
    assert "将" not in out, out


def test_the_command_lines_json_carries_the_lines_it_prints(county, city, tmp_path, capsys):
    """--json had only counts after an import: the past-tense lines the text prints (the
    values updated, the firms binned) are its ``lines``, beside the named keys."""
    import json

    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with county.session() as session:
        firms = session.scalars(select(Enterprise).where(Enterprise.county_code == WUJIN)
                                .order_by(Enterprise.id)).all()
        enterprises.update(session, firms[0].id, {"contact_phone": "0519-11112222"})
        enterprises.soft_delete(session, firms[1].id)
        name, gone = firms[0].name, firms[1].name
    sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))
    assert main(["--db", _target(city), "package", "import", str(tmp_path / "wj2.zip"),
                 "--json"]) == 0
    applied = json.loads(capsys.readouterr().out)
    assert {"file", "source_unit", "counties", "package_date", "created", "updated", "deleted",
            "unchanged", "conflicts", "batch_id", "problems", "lines"} <= set(applied)
    lines = applied["lines"]
    assert f"该区县本次未再报送、已移入回收站的企业：{gone}" in lines
    assert any(line.startswith("已更新的值（") for line in lines)
    assert any(line.startswith(f"  {name}：联系电话 ") and "0519-11112222" in line
               for line in lines)
    assert lines[-1] == (f"已导入，批次 {applied['batch_id']}"
                         f"（撤销：tiers undo-import {applied['batch_id']}）")
    assert not any("将" in line for line in lines), lines
