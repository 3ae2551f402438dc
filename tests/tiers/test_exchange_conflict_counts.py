"""A firm in two counties' packages (moved, say) is a conflict, left unmerged: 报送情况's
企业数 says the firms imported and the conflict apart (42 said for 新北区 with 41
imported: tester22, 10_city_order_conflict.sh), and the preview of a newer package that
changes nothing else does not say 数据与库中一致 while the conflict stands."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select

from tests.tiers.exchange_helpers import DAY, WUJIN, XINBEI, imported, sent
from tiers.exchange import package_status, preview_package
from tiers.model.orm import Enterprise
from tiers.services import enterprises
from ui.cli.main import main


def _target(database) -> str:
    return str(database.path) if database.path else database.engine.url.render_as_string(
        hide_password=False)


def test_the_conflict_is_counted_apart_and_not_called_consistent(county, city, tmp_path,
                                                                  capsys):
    imported(city, sent(county, tmp_path / "wj.zip", WUJIN, DAY))
    imported(city, sent(county, tmp_path / "xb1.zip", XINBEI, DAY))
    with county.session() as session:  # a 武进 firm moves to 新北, nothing else changes
        moved = session.scalars(select(Enterprise).where(Enterprise.county_code == WUJIN)
                                .order_by(Enterprise.id)).first()
        enterprises.update(session, moved.id, {"county": "新北区", "town": ""})
        in_xinbei = session.scalar(select(func.count()).select_from(Enterprise).where(
            Enterprise.county_code == XINBEI, Enterprise.deleted_at.is_(None)))
    second = sent(county, tmp_path / "xb2.zip", XINBEI, DAY + dt.timedelta(days=1))
    with city.session() as session:
        preview = preview_package(session, second)
    assert len(preview.conflicts) == 1 and preview.only_sent

    db = ["--db", _target(city)]
    assert main([*db, "package", "import", str(tmp_path / "xb2.zip"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "与库中一致" not in out
    assert "没有可写入的变化，但 1 家企业冲突未合并（见上）；导入将只登记这次报送" in out
    imported(city, second)

    with city.session() as session:
        lines = {line.code: line for line in package_status(session, city_code="320400", year=DAY.year)}
    assert (lines[XINBEI].firms, lines[XINBEI].conflicts) == (in_xinbei - 1, 1)
    assert lines[XINBEI].firms_text == f"{in_xinbei - 1}（冲突 1）"
    assert lines[WUJIN].conflicts == 0
    assert main([*db, "package", "list", "--city", "320400", "--year", str(DAY.year), "--json"]) == 0
    listed = {line["code"]: line for line in json.loads(capsys.readouterr().out)}
    assert (listed[XINBEI]["firms"], listed[XINBEI]["conflicts"]) == (in_xinbei - 1, 1)
    assert main([*db, "package", "list", "--city", "320400", "--year", str(DAY.year)]) == 0
    assert f"{in_xinbei - 1}（冲突 1）" in capsys.readouterr().out
