"""The user's corrections to a detection: a tier and level that cannot go together are
refused, a tier given against the title's is warned and takes its own level."""

from __future__ import annotations

import pytest

from importers import ImportRefused, detect, open_source
from tests.conftest import make_code
from tests.importers.helpers import plan_file, write_xlsx
from ui.cli.main import main


def _plain_list(tmp_path, title="2023年度企业名单"):
    return write_xlsx(tmp_path / "名单.xlsx", {"S": [
        [title], ["企业名称", "统一社会信用代码"], ["甲科技有限公司", make_code(1)]]})


def test_tier_and_level_that_cannot_go_together_are_refused(database, tmp_path, capsys, db_target):
    detection = detect(open_source(_plain_list(tmp_path)))
    with pytest.raises(ImportRefused, match="创新型中小企业的认定级别只能是省级、市级，不能是国家级"):
        detection.with_options(kind="recognitions", tier="创新型", level="国家级")
    assert main(["--db", str(db_target), "import", str(_plain_list(tmp_path)),
                 "--tier", "创新型", "--level", "国家级", "--dry-run"]) == 2
    assert "不能是国家级" in capsys.readouterr().err
    ok = detection.with_options(kind="recognitions", tier="创新型", level="市级")
    assert ok.metadata.level == "市级"


def test_tier_override_against_the_title_warns_and_takes_the_tiers_level(database, tmp_path):
    path = _plain_list(tmp_path, "第五批专精特新“小巨人”企业名单")
    detection = detect(open_source(path)).with_options(tier="省级专精特新")
    assert detection.metadata.tier == "zjtx" and detection.metadata.level == "省级"
    assert any("标题写的是" in p.message for p in detection.problems)
    plan = plan_file(database, path, tier="省级专精特新")
    assert any("标题写的是" in p.message for p in plan.problems)
    assert plan.rows[0].records[0].values["level"] == "省级"
