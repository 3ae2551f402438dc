"""The 企业档案 shows the inputs of the 2026 办法 and of the 2022 score beside the older figures,
and a recognition's number is called what it is: 入库编号 for 科技型中小企业, 文号 otherwise,
both where a list mixes them (issue #17)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from python_calamine import CalamineWorkbook

from tests.conftest import TODAY
from tiers import reports
from tiers.progress import drain
from tiers.reports import ReportRequest
from tiers.services import figures, recognitions


def export(session, tmp_path: Path, name: str, **filters) -> list[list]:
    target = tmp_path / f"{name}-{len(list(tmp_path.iterdir()))}.xlsx"
    request = ReportRequest(**filters, unit="武进区工信局", filled_on=TODAY, today=TODAY)
    drain(reports.export_steps(session, name, target, request))
    return CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()


def row_of(rows: list[list], label: str) -> list:
    return next(row for row in rows if row[0] == label)


def test_the_profile_shows_the_new_inputs(session, enterprise_factory, tmp_path):
    firm = enterprise_factory("常州新指标科技有限公司")
    figures.set_year(session, firm.id, 2025, {
        "revenue": 6000, "development_score": "72.5", "domestic_rank": 2,
        "lead_product_ratio": "61.5", "national_rd_centers": 0, "provincial_rd_centers": 1,
        "provincial_award_rank": 3, "digital_level": 3, "quality_items": 2,
        "lead_field_class": 1, "distinctive_score": 12, "ip_class1_high_value": 1,
        "ip_class1_own": 2, "municipal_rd_centers": 1, "lower_rd_centers": 0})
    session.flush()
    rows = export(session, tmp_path, "profile", code=firm.credit_code)
    last = -1  # the latest year is in the last column
    assert row_of(rows, "专精特新发展评价得分（分）")[last] == 72.5
    assert row_of(rows, "国内细分市场排名（名）")[last] == 2
    assert row_of(rows, "主导产品收入占比（%）")[last] == 61.5
    assert row_of(rows, "省部级研发机构（个）")[last] == 1
    assert row_of(rows, "省部级科技奖励排名（名）")[last] == 3
    assert row_of(rows, "数字化水平等级（级）")[last] == 3
    assert row_of(rows, "质量管理水平达标项（项）")[last] == 2
    assert row_of(rows, "主导产品领域档次（档）")[last] == 1
    assert row_of(rows, "特色化指标得分（分）")[last] == 12
    assert row_of(rows, "高价值Ⅰ类知识产权（项）")[last] == 1
    assert row_of(rows, "市级研发机构（个）")[last] == 1
    # a figure never recorded has no row (国家级科技奖励排名)
    assert not any(row[0].startswith("国家级科技奖励排名") for row in rows)


def test_a_tech_sme_is_numbered_by_its_registration_number(session, enterprise_factory,
                                                           tmp_path):
    tech = enterprise_factory("常州科技型有限公司")
    recognitions.add(session, tech.id, {"tier_code": "tech_sme", "batch_year": 2026,
                                        "recognized_on": dt.date(2026, 5, 10),
                                        "document_number": "202632041200123"})
    giant = enterprise_factory("常州小巨人有限公司")
    recognitions.add(session, giant.id, {"tier_code": "little_giant", "batch_year": 2025,
                                         "recognized_on": dt.date(2025, 8, 1),
                                         "document_number": "工信部企业〔2025〕88号"})
    session.flush()
    profile = [v for row in export(session, tmp_path, "profile", code=tech.credit_code)
               for v in row]
    assert "入库编号" in profile and "认定文号" not in profile
    profile = [v for row in export(session, tmp_path, "profile", code=giant.credit_code)
               for v in row]
    assert "认定文号" in profile and "入库编号" not in profile
    headers = [v for row in export(session, tmp_path, "roster")[:6] for v in row]
    assert "认定文号/入库编号" in headers
    headers = [v for row in export(session, tmp_path, "roster", tier="科技型中小企业")[:6]
               for v in row]
    assert "入库编号" in headers and "认定文号/入库编号" not in headers
    headers = [v for row in export(session, tmp_path, "expiring", days=400)[:6] for v in row]
    assert "认定文号/入库编号" in headers
