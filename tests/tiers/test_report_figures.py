"""8 专精特新企业发展情况统计表 (domain.md §6): one row per firm holding a tier in force, its
figures of one year (the latest with figures by default) in 万元 and 人, 较上年增长 of 营业收入
where last year's is known, a 合计 row whose ratios come from its sums, blanks (not 0)
where a figure is missing and a note of how many firms lack the year's figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import TODAY
from tiers import reports
from tiers.progress import drain
from tiers.reports import ReportRequest
from tiers.services import figures, recognitions
from tiers.services.unit import set_unit_counties

TITLE = "专精特新企业发展情况统计表"
GIANT, INNOVATIVE, NO_FIGURES, EXPIRED, OTHER = (
    "常州恒立液压科技有限公司", "常州天合精密机械有限公司", "常州缺数据机械有限公司",
    "常州老旧机械有限公司", "常州新北电子有限公司")


def _held(session, firm, tier: str, *, ended: bool = False) -> None:
    recognitions.add(session, firm.id, {
        "tier_code": tier, "batch_year": 2020 if ended else 2025,
        "recognized_on": dt.date(2020, 6, 1) if ended else dt.date(2025, 6, 1),
        "valid_until": dt.date(2023, 5, 31) if ended else dt.date(2028, 5, 31)})


@pytest.fixture
def county(session, enterprise_factory):
    made = {
        "giant": enterprise_factory(GIANT, listing_status="拟上市"),
        "innovative": enterprise_factory(INNOVATIVE, listing_status="未上市"),
        "no_figures": enterprise_factory(NO_FIGURES),
        "expired": enterprise_factory(EXPIRED),
        "other": enterprise_factory(OTHER, county="新北区", town="薛家镇"),
    }
    _held(session, made["giant"], "小巨人")
    _held(session, made["giant"], "创新型")  # the higher of the two is shown
    _held(session, made["innovative"], "创新型")
    _held(session, made["no_figures"], "省级专精特新")
    _held(session, made["expired"], "创新型", ended=True)
    _held(session, made["other"], "创新型")
    figures.set_year(session, made["giant"].id, 2025, {
        "revenue": "12000", "main_revenue": "11000", "net_profit": "-800", "rd_expense": "600",
        "employees": 300, "rd_staff": 60, "total_assets": "20000",
        "total_liabilities": "9000", "ip_class1": 5, "ip_class2": 20})
    figures.set_year(session, made["giant"].id, 2024, {"revenue": "10000"})
    # 研发费用 and 负债总额 not given, no 2024: their ratios and the growth are blank
    figures.set_year(session, made["innovative"].id, 2025, {
        "revenue": "3000", "employees": 50, "total_assets": "4000", "ip_class1": 0})
    figures.set_year(session, made["no_figures"].id, 2023, {"revenue": "900"})  # not 2025's
    figures.set_year(session, made["expired"].id, 2025, {"revenue": "7777"})
    figures.set_year(session, made["other"].id, 2025, {
        "revenue": "500", "rd_expense": "50", "employees": 10, "total_assets": "1000",
        "total_liabilities": "250"})
    session.flush()
    return made


def export(session, tmp_path: Path, **filters) -> Path:
    target = tmp_path / f"figures-{len(list(tmp_path.iterdir()))}.xlsx"
    drain(reports.export_steps(session, "figures", target, ReportRequest(
        **filters, unit="常州市武进区工业和信息化局", filled_on=TODAY, today=TODAY)))
    return target


def cells(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def header(rows: list[list]) -> list[str]:
    """One label per column: the lower header row's where the upper is a group's."""
    top = next(index for index, row in enumerate(rows) if row[0] == "序号")
    # a long label breaks its line (本年\n新增): compared without the break
    upper, lower = ([str(cell).replace("\n", "") for cell in row] for row in rows[top:top + 2])
    labels, group = [], ""
    for high, low in zip(upper, lower, strict=True):
        group = high or group
        labels.append(f"{group}/{low}" if low and low != high else high)
    return labels


def table(rows: list[list]) -> dict[str, dict[str, object]]:
    labels = header(rows)
    return {row[labels.index("企业名称")]: dict(zip(labels, row, strict=True))
            for row in rows if isinstance(row[0], float)}


def total(rows: list[list]) -> dict[str, object]:
    labels = header(rows)
    row = next(row for row in rows if str(row[0]).startswith("合计"))
    return dict(zip(labels, row, strict=True))


def test_it_is_a_report_of_the_cli_and_the_dialog():
    definition = reports.get("figures")
    assert definition.title == TITLE and reports.get(TITLE) is definition
    assert set(definition.filter_names) == {"year", "tier", "county", "town"}


def test_one_row_per_firm_holding_a_tier_with_its_figures(session, county, tmp_path):
    rows = cells(export(session, tmp_path, county="all"))
    assert rows[0][0] == f"常州市2025年度{TITLE}"  # the latest year with figures
    found = table(rows)
    assert set(found) == {GIANT, INNOVATIVE, NO_FIGURES, OTHER}  # not the lapsed title's
    giant = found[GIANT]
    assert giant["梯度层级"] == "专精特新“小巨人”企业"
    assert giant["营业收入/金额"] == 12000 and giant["营业收入/较上年增长（%）"] == 20
    assert giant["主营业务收入"] == 11000 and giant["净利润"] == -800
    assert giant["研发费用/金额"] == 600 and giant["研发费用/占营业收入（%）"] == 5
    assert (giant["人员（人）/从业人员"], giant["人员（人）/研发人员"]) == (300, 60)
    assert (giant["资产总额"], giant["负债总额"], giant["资产负债率（%）"]) == (20000, 9000, 45)
    assert (giant["有效知识产权（项）/Ⅰ类"], giant["有效知识产权（项）/Ⅱ类"]) == (5, 20)
    assert giant["上市情况"] == "拟上市"
    assert found[OTHER]["资产负债率（%）"] == 25 and found[OTHER]["县（市、区）"] == "新北区"


def test_a_missing_figure_is_blank_not_nought(session, county, tmp_path):
    rows = cells(export(session, tmp_path, county="all"))
    found = table(rows)
    innovative = found[INNOVATIVE]
    assert innovative["营业收入/金额"] == 3000
    assert innovative["有效知识产权（项）/Ⅰ类"] == 0  # a nought recorded stays one
    for label in ("营业收入/较上年增长（%）", "研发费用/金额", "研发费用/占营业收入（%）",
                  "负债总额", "资产负债率（%）", "人员（人）/研发人员", "主营业务收入"):
        assert innovative[label] == "", label
    lacking = found[NO_FIGURES]
    figures_labels = [label for label in header(rows)[5:-1]]
    assert all(lacking[label] == "" for label in figures_labels), lacking
    note = next(str(row[0]) for row in rows if "缺少" in str(row[0]))
    assert "1 家企业缺少 2025 年度数据" in note


def test_the_total_sums_and_takes_its_ratios_from_the_sums(session, county, tmp_path):
    rows = cells(export(session, tmp_path, county="all"))
    summed = total(rows)
    assert summed["营业收入/金额"] == 15500
    assert summed["研发费用/金额"] == 650
    assert summed["人员（人）/从业人员"] == 360 and summed["人员（人）/研发人员"] == 60
    assert summed["负债总额"] == 9250 and summed["资产总额"] == 25000
    # from the firms with both figures: not the mean of the rows' ratios
    assert summed["研发费用/占营业收入（%）"] == pytest.approx(650 / 12500 * 100, abs=0.005)
    assert summed["资产负债率（%）"] == pytest.approx(9250 / 21000 * 100, abs=0.005)
    assert summed["营业收入/较上年增长（%）"] == 20  # only the giant's last year is known
    assert summed["上市情况"] == ""


def test_a_year_asked_for_and_its_last_year(session, county, tmp_path):
    rows = cells(export(session, tmp_path, county="all", year=2024))
    assert rows[0][0] == f"常州市2024年度{TITLE}"
    found = table(rows)
    assert found[GIANT]["营业收入/金额"] == 10000
    assert found[GIANT]["营业收入/较上年增长（%）"] == ""
    note = next(str(row[0]) for row in rows if "缺少" in str(row[0]))
    assert "3 家企业缺少 2024 年度数据" in note


def test_the_default_year_is_the_latest_with_figures(session, county, tmp_path):
    figures.set_year(session, county["innovative"].id, 2026, {"revenue": "3600"})
    session.flush()
    rows = cells(export(session, tmp_path, county="all"))
    assert rows[0][0] == f"常州市2026年度{TITLE}"
    found = table(rows)
    assert found[INNOVATIVE]["营业收入/较上年增长（%）"] == 20


def test_scope_county_and_tier(session, county, tmp_path):
    assert set(table(cells(export(session, tmp_path, county="新北区")))) == {OTHER}
    assert set(table(cells(export(session, tmp_path, county="all", tier="小巨人")))) == {GIANT}
    # 创新型 held: the giant holds it too, and is listed under it
    found = table(cells(export(session, tmp_path, county="all", tier="创新型")))
    assert set(found) == {GIANT, INNOVATIVE, OTHER}
    assert found[GIANT]["梯度层级"] == "创新型中小企业"
    # the unit's firms by default (tiers.queries.unit_scope)
    set_unit_counties(session, ["武进区"])
    session.flush()
    rows = cells(export(session, tmp_path))
    assert set(table(rows)) == {GIANT, INNOVATIVE, NO_FIGURES}
    assert rows[0][0].startswith("武进区2025年度")


def test_nothing_held_is_said(session, enterprise_factory, tmp_path):
    enterprise_factory("常州无认定贸易有限公司")
    session.flush()
    rows = cells(export(session, tmp_path))
    assert any("无符合条件" in str(row[0]) for row in rows)
    assert total(rows)["营业收入/金额"] == ""


def test_the_print_setup_is_the_reports(session, county, tmp_path):
    import openpyxl

    sheet = openpyxl.load_workbook(export(session, tmp_path, county="all")).active
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert int(sheet.page_setup.fitToWidth or 1) == 1 and sheet.print_title_rows
    assert sheet["A3"].value.startswith("填报单位（盖章）：常州市武进区工业和信息化局")
    assert any(str(row[0].value or "").startswith("填报人") for row in sheet.iter_rows())
    money = next(c for row in sheet.iter_rows() for c in row if c.value == 12000)
    assert money.number_format == "#,##0.00"


def test_the_total_ratios_leave_out_a_nought_base(session, county, tmp_path,
                                                  enterprise_factory):
    """fixr29a #2: as a row's growth and shares are blank where the base is 0, the 合计's
    leave that firm out (A 100→110 and B 0→500 made a 合计 growth of 510%)."""
    started = enterprise_factory("常州新开业机械有限公司")  # no 营业收入 last year
    _held(session, started, "创新型")
    figures.set_year(session, started.id, 2024, {"revenue": "0"})
    figures.set_year(session, started.id, 2025, {
        "revenue": "500", "rd_expense": "0", "total_assets": "0", "total_liabilities": "0"})
    idle = enterprise_factory("常州停产机械有限公司")  # 研发 but no 营业收入, no 资产
    _held(session, idle, "创新型")
    figures.set_year(session, idle.id, 2025, {
        "revenue": "0", "rd_expense": "40", "total_assets": "0", "total_liabilities": "30"})
    session.flush()
    rows = cells(export(session, tmp_path, county="all"))
    found = table(rows)
    assert found["常州新开业机械有限公司"]["营业收入/较上年增长（%）"] == ""
    assert found["常州停产机械有限公司"]["研发费用/占营业收入（%）"] == ""
    summed = total(rows)
    assert summed["营业收入/金额"] == 16000 and summed["研发费用/金额"] == 690
    assert summed["营业收入/较上年增长（%）"] == 20  # the giant's only: 12000 on 10000
    # 研发 650 on 营业收入 13000 (the new firm's 0 on 500 counts; the idle firm's 40 on 0 not)
    assert summed["研发费用/占营业收入（%）"] == pytest.approx(650 / 13000 * 100, abs=0.005)
    assert summed["资产负债率（%）"] == pytest.approx(9250 / 21000 * 100, abs=0.005)


def test_rows_are_written_as_they_are_read(session, county, tmp_path, monkeypatch):
    """fixr29a #3: the 合计 (which sizes its columns) is known before the rows are written,
    and they are written as they are read, not all held in memory (100k firms: ~180 MB)."""
    from tiers.reports import figures as report

    read, read_when_written = [0], []
    original = report.rows

    def counted(*args, **kwargs):
        for row in original(*args, **kwargs):
            read[0] += 1
            yield row

    monkeypatch.setattr(report, "rows", counted)
    monkeypatch.setattr(report, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(report, "SAMPLE_ROWS", 1)
    target = tmp_path / "figures.xlsx"
    for step in reports.export_steps(session, "figures", target, ReportRequest(
            county="all", filled_on=TODAY, today=TODAY)):
        if step.stage.startswith("已写入"):
            read_when_written.append(read[0])
    assert read_when_written == [1, 2, 3, 4]  # the first written when one was read
    assert total(cells(target))["营业收入/金额"] == 15500
