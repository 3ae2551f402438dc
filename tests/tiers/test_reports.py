"""The reports for upward submission, read back with readers other than the writer:
python-calamine for values and merged ranges, openpyxl for styles and print settings."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import TODAY
from tiers import reports
from tiers.model.orm import Enterprise, Recognition, SupportMeasure
from tiers.progress import drain
from tiers.queries import dashboard, roster
from tiers.reports import ReportRequest, list_cells
from tiers.services import chains, demo, enterprises, measures, recognitions

EVIL = '=HYPERLINK("http://x","y")'
SIGNATURE = {"unit": "常州市武进区工业和信息化局", "filled_by": "王丽", "phone": "0519-86310000"}


@pytest.fixture
def county(session, enterprise_factory):
    """A small county written through the services, with the awkward cases in it."""
    made = {}
    made["evil"] = enterprise_factory("常州公式测试有限公司", town="湖塘镇",
                                      contact_phone="+8613800000000",
                                      main_product="-负号开头的产品")
    # the service turns ASCII brackets full-width; an older database or another tool may
    # still hold the raw formula text, so put it there directly
    made["evil"].name = EVIL
    made["giant"] = enterprise_factory("常州恒立液压科技有限公司", town="湖塘镇",
                                       industry="通用设备制造业", main_product="液压油缸")
    made["expiring"] = enterprise_factory("常州天合精密机械有限公司", town="牛塘镇")
    made["expired"] = enterprise_factory("常州老旧机械有限公司", town="牛塘镇")
    made["other_county"] = enterprise_factory("常州新北电子有限公司", county="新北区",
                                              town="薛家镇")
    made["plain"] = enterprise_factory("常州无认定贸易有限公司", town="洛阳镇")
    add = recognitions.add
    add(session, made["evil"].id, {"tier_code": "创新型", "batch_year": 2025,
                                   "recognized_on": dt.date(2025, 6, 1)})
    add(session, made["giant"].id, {"tier_code": "创新型", "batch_year": 2022,
                                    "recognized_on": dt.date(2022, 6, 1),
                                    "valid_until": dt.date(2025, 5, 31)})
    add(session, made["giant"].id, {"tier_code": "省级专精特新", "batch_year": 2023,
                                    "batch_label": "2023年度",
                                    "document_number": "苏工信中小〔2023〕512号",
                                    "recognized_on": dt.date(2023, 12, 1)})
    add(session, made["giant"].id, {"tier_code": "小巨人", "batch_label": "第七批",
                                    "batch_year": 2026, "recognized_on": dt.date(2026, 7, 1)})
    add(session, made["giant"].id, {"tier_code": "链主", "chain_code": "挖掘机",
                                    "batch_year": 2025, "recognized_on": dt.date(2025, 3, 1)})
    add(session, made["expiring"].id, {"tier_code": "省级专精特新", "batch_year": 2023,
                                       "recognized_on": dt.date(2023, 12, 20),
                                       "valid_until": TODAY + dt.timedelta(days=30)})
    add(session, made["expiring"].id, {"tier_code": "创新型", "batch_year": 2023,
                                       "recognized_on": dt.date(2023, 9, 1),
                                       "valid_until": TODAY + dt.timedelta(days=10)})
    add(session, made["expired"].id, {"tier_code": "创新型", "batch_year": 2020,
                                      "recognized_on": dt.date(2020, 6, 1)})
    add(session, made["other_county"].id, {"tier_code": "创新型", "batch_year": 2026,
                                           "recognized_on": dt.date(2026, 5, 1)})
    chains.set_role(session, made["giant"].id, "起重机", "链主")
    chains.set_role(session, made["expiring"].id, "起重机", "核心配套")
    chains.set_role(session, made["evil"].id, "传感器", "配套企业")
    for enterprise, kind, amount, paid in (
            ("giant", "认定奖励", "50", dt.date(2026, 9, 1)),
            ("giant", "贷款贴息", "12.35", dt.date(2026, 3, 15)),
            ("evil", "认定奖励", "10", dt.date(2025, 12, 1)),
            ("expiring", "技术改造补助", "33.333", dt.date(2024, 5, 6))):
        measures.add(session, made[enterprise].id, {
            "kind": kind, "name": f"{paid.year}年度{kind}", "amount": Decimal(amount),
            "paid_on": paid, "implementer": "常州市武进区工业和信息化局",
            "policy_basis": "=武工信〔2026〕12号" if enterprise == "evil" else "武工信〔2026〕12号"})
    measures.add(session, made["giant"].id, {"kind": "奖补资金", "name": "申报中的奖补",
                                             "amount": Decimal(99), "year": 2026,
                                             "status": "申报"})
    session.flush()
    return made


def export(session, tmp_path: Path, name: str, **filters) -> Path:
    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    target = folder / f"{name}-{len(list(folder.iterdir()))}.xlsx"
    request = ReportRequest(**filters, **SIGNATURE, filled_on=TODAY, today=TODAY)
    drain(reports.export_steps(session, name, target, request))
    return target


def cells(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def header_index(rows: list[list], label: str) -> tuple[int, int]:
    for r, row in enumerate(rows[:8]):
        if label in row:
            return r, row.index(label)
    raise AssertionError(f"no header {label}")


def data_rows(rows: list[list]) -> list[list]:
    """Rows whose 序号 is a number (not title, header, 小计/合计 or signature)."""
    return [row for row in rows if isinstance(row[0], float)]


def test_registry_lists_six_reports_with_known_filters():
    names = [d.name for d in reports.REPORTS]
    assert names == ["roster", "summary", "support", "expiring", "chains", "profile",
                     "candidates", "figures"]
    fields = set(ReportRequest.__dataclass_fields__)
    for definition in reports.REPORTS:
        assert definition.title and definition.description
        assert set(definition.filter_names) <= fields
    assert reports.get("梯度培育企业名单").name == "roster"
    with pytest.raises(reports.ReportError, match="没有名为"):
        reports.get("nonsense")


@pytest.mark.parametrize("name", ["roster", "summary", "support", "expiring", "chains",
                                  "profile", "figures"])
def test_every_report_has_the_bureau_layout(session, county, tmp_path, name):
    filters = {"code": county["giant"].credit_code} if name == "profile" else {}
    path = export(session, tmp_path, name, **filters)
    rows = cells(path)
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    width = len(rows[0])
    definition = reports.get(name)
    assert definition.title in rows[0][0]
    assert ((0, 0), (0, width - 1)) in sheet.merged_cell_ranges  # title merged across
    unit_row = next(r for r in rows[:4] if str(r[0]).startswith("填报单位（盖章）："))
    assert unit_row[0] == f"填报单位（盖章）：{SIGNATURE['unit']}"
    assert any(str(v).startswith("单位：") for v in unit_row)
    tail = [v for row in rows[-2:] for v in row if v]
    assert "填报人：王丽" in tail and "联系电话：0519-86310000" in tail
    assert "填报日期：2026年11月21日" in tail

    book = openpyxl.load_workbook(path)
    ws = book.active
    # tables are landscape; the one-firm archive page is portrait, as the paper file is
    assert ws.page_setup.orientation == ("portrait" if name == "profile" else "landscape")
    assert ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # one page wide (1 is the default XlsxWriter leaves out), as many pages tall as needed
    assert int(ws.page_setup.fitToWidth or 1) == 1
    pages_tall = ws.page_setup.fitToHeight  # absent means the default, 1
    assert (1 if pages_tall is None else int(pages_tall)) == (1 if name == "profile" else 0)
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws["A1"].font.b and ws["A1"].font.sz == 18
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula"
    if name != "profile":
        header_row, _ = header_index(rows, "序号")
        header_cell = ws.cell(header_row + 1, 1)
        assert header_cell.font.b and header_cell.fill.fgColor.rgb.endswith("D9E1F2")
        assert header_cell.border.left.style == "thin"
        assert ws.print_title_rows is not None
        assert ws.freeze_panes is not None
        frozen_row = int(ws.freeze_panes[1:])
        assert rows[frozen_row - 2][0] in ("序号", "")  # just below the header


def test_roster_values_types_and_list_features(session, county, tmp_path):
    path = export(session, tmp_path, "roster")
    rows = cells(path)
    header_row, _ = header_index(rows, "序号")
    # (a label whose ） would start a line of its own is written with the bracket on a new
    # line: 县\n（市、区）, read back the same by the importer, which ignores line breaks)
    assert [str(label).replace("\n", "") for label in rows[header_row][:5]] == [
        "序号", "县（市、区）", "镇（街道）", "企业名称", "统一社会信用代码"]
    assert rows[header_row][7] == "认定情况" and rows[header_row + 1][7] == "梯度层级"
    body = data_rows(rows)
    expected = roster.count(session, roster.RosterFilter(status="有效", today=TODAY))
    assert len(body) == expected == 4  # in force: evil, giant, expiring, other_county
    assert [row[0] for row in body] == [float(i) for i in range(1, len(body) + 1)]
    by_name = {row[3]: row for row in body}
    giant = by_name["常州恒立液压科技有限公司"]
    assert giant[7] == "专精特新“小巨人”企业" and giant[9] == "第七批（2026年）"
    assert giant[11] == dt.date(2029, 6, 30)
    # each （链主） on a line of its own (a lone ） in LibreOffice otherwise), read back as written
    assert giant[13] in ("起重机\n（链主）、挖掘机\n（链主）", "起重机\n（链主）")
    assert list_cells.chains_from_label(giant[13])[0] == ("起重机", True)
    # the formula-looking texts stay text
    evil = by_name[EVIL]
    assert evil[6] == "-负号开头的产品" and evil[15] == "+8613800000000"
    book = openpyxl.load_workbook(path)
    ws = book.active
    evil_cell = next(c for row in ws.iter_rows() for c in row if c.value == EVIL)
    assert evil_cell.data_type == "s" and evil_cell.quotePrefix
    assert ws.auto_filter.ref is not None
    assert ws.auto_filter.ref.startswith(f"A{header_row + 2}")
    date_cell = ws.cell(header_row + 3, 12)
    assert date_cell.number_format == "yyyy-mm-dd" and date_cell.is_date
    assert ws.cell(header_row + 3, 1).data_type == "n"


def test_roster_filters_match_the_roster_window(session, county, tmp_path):
    for filters in ({"tier": "创新型"}, {"tier": "省级专精特新", "status": "即将到期"},
                    {"county": "新北区"}, {"chain": "起重机"}, {"year": 2026},
                    {"town": "牛塘镇"}, {"level": "国家级"}):
        body = data_rows(cells(export(session, tmp_path, "roster", **filters)))
        window = roster.count(session, roster.RosterFilter(
            **{"status": "有效", **filters}, today=TODAY))
        assert len(body) == window, filters
    enterprises.soft_delete(session, county["other_county"].id)  # the 回收站 stays out
    assert len(data_rows(cells(export(session, tmp_path, "roster")))) == 3
    summary = cells(export(session, tmp_path, "summary"))
    assert [row[1] for row in data_rows(summary)] == ["武进区"]
    expired = data_rows(cells(export(session, tmp_path, "roster", status="已到期")))
    assert {row[3] for row in expired} == {"常州恒立液压科技有限公司", "常州老旧机械有限公司"}
    everything = data_rows(cells(export(session, tmp_path, "roster", status="全部")))
    assert len(everything) == 6 - 2  # not the one without recognitions, nor the deleted


def test_summary_totals_equal_detail_rows_and_the_database(session, county, tmp_path):
    path = export(session, tmp_path, "summary")
    rows = cells(path)
    header_row, _ = header_index(rows, "序号")
    groups, labels = rows[header_row], rows[header_row + 1]
    body = data_rows(rows)
    total = next(row for row in rows if row[0] == "合计")
    assert [row[1] for row in body] == ["新北区", "武进区"]
    for col in range(2, len(labels)):
        assert total[col] == sum(row[col] for row in body)
    tier_col = {}
    for col in range(2, len(labels)):
        tier_col[(groups[col - (col - 2) % 4], labels[col])] = col
    innovative = "创新型中小企业"
    assert total[tier_col[(innovative, "累计")]] == 5
    assert total[tier_col[(innovative, "有效")]] == len(data_rows(cells(
        export(session, tmp_path, "roster", tier="创新型"))))
    assert total[tier_col[(innovative, "即将\n到期")]] == 1
    assert total[tier_col[(innovative, "本年\n新增")]] == 1  # other_county, 2026
    giant = "专精特新“小巨人”企业"
    assert total[tier_col[(giant, "本年\n新增")]] == 1 and total[tier_col[(giant, "有效")]] == 1
    zjtx = "省级专精特新中小企业"
    assert total[tier_col[(zjtx, "即将\n到期")]] == len(data_rows(cells(
        export(session, tmp_path, "roster", tier="省级专精特新", status="即将到期"))))
    assert "链主企业" not in groups
    # per town inside the county
    town_rows = cells(export(session, tmp_path, "summary", group="town", county="武进区"))
    towns = data_rows(town_rows)
    assert {row[2] for row in towns} == {"湖塘镇", "牛塘镇", "洛阳镇"}
    town_total = next(row for row in town_rows if row[0] == "合计")
    # 创新型 累计 in 武进区 (after the four columns of 科技型中小企业, the ladder's first rung)
    assert town_total[7] == sum(row[7] for row in towns) == 4


def test_support_subtotals_and_total(session, county, tmp_path):
    rows = cells(export(session, tmp_path, "support"))
    body = data_rows(rows)
    amount_col = 6
    assert len(body) == 4  # the measure still 申报 is not 兑现
    grand = next(row for row in rows if str(row[0]).startswith("合计"))
    expected = float(sum(m.amount for m in session.query(SupportMeasure)
                         .filter(SupportMeasure.status == "已兑现")))
    assert grand[amount_col] == pytest.approx(sum(r[amount_col] for r in body))
    assert grand[amount_col] == pytest.approx(expected)
    subtotal = next(row for row in rows if row[0] == "常州恒立液压科技有限公司 小计")
    assert subtotal[amount_col] == pytest.approx(62.35)
    evil = next(row for row in body if row[1] == EVIL)
    assert evil[5] == "=武工信〔2026〕12号"  # text, not a formula
    by_kind = cells(export(session, tmp_path, "support", group="kind", year=2026))
    kinds = [row for row in by_kind if str(row[0]).endswith("小计")]
    assert kinds == []  # one measure per kind in 2026: no one-line 小计
    total = next(row for row in by_kind if str(row[0]).startswith("合计"))
    assert total[amount_col] == pytest.approx(62.35)
    giants = cells(export(session, tmp_path, "support", tier="小巨人", status="全部"))
    assert {row[1] for row in data_rows(giants)} == {"常州恒立液压科技有限公司"}
    assert len(data_rows(giants)) == 3


def test_expiring_is_soonest_first_within_days(session, county, tmp_path):
    rows = cells(export(session, tmp_path, "expiring", days=60))
    body = data_rows(rows)
    assert [(row[3], row[5], row[10]) for row in body] == [
        ("常州恒立液压科技有限公司", "省级专精特新中小企业", dt.date(2026, 11, 30)),
        ("常州天合精密机械有限公司", "创新型中小企业", TODAY + dt.timedelta(days=10)),
        ("常州天合精密机械有限公司", "省级专精特新中小企业", TODAY + dt.timedelta(days=30))]
    assert [row[11] for row in body] == [9.0, 10.0, 30.0]
    assert len(data_rows(cells(export(session, tmp_path, "expiring", days=9)))) == 1
    assert len(data_rows(cells(export(session, tmp_path, "expiring", days=60,
                                      tier="创新型")))) == 1
    empty = cells(export(session, tmp_path, "expiring", days=5))
    assert data_rows(empty) == [] and any("没有到期" in str(r[0]) for r in empty)


def test_chains_distribution_counts_and_leaders(session, county, tmp_path):
    rows = cells(export(session, tmp_path, "chains"))
    body = data_rows(rows)
    crane = next(row for row in body if row[2] == "起重机")
    header_row, _ = header_index(rows, "序号")
    labels = rows[header_row + 1]
    assert crane[3] == len(data_rows(cells(export(session, tmp_path, "roster", chain="起重机",
                                                  status="全部"))))
    assert crane[labels.index("小巨人")] == 1 and crane[labels.index("省专精特新")] == 2
    assert crane[-1] == "常州恒立液压科技有限公司"
    excavator = next(row for row in body if row[2] == "挖掘机")  # from the 链主 recognition
    assert excavator[-1] == "常州恒立液压科技有限公司"
    total = next(row for row in rows if str(row[0]).startswith("合计"))
    assert total[3] == 3  # distinct: giant counts once although on two chains


def test_profile_of_one_enterprise(session, county, tmp_path):
    rows = cells(export(session, tmp_path, "profile", code=county["giant"].credit_code))
    flat = [v for row in rows for v in row if v != ""]
    assert "常州恒立液压科技有限公司" in flat and "一、基本情况" in flat
    assert "专精特新“小巨人”企业" in flat and "链主企业（挖掘机）" in flat
    assert "第七批（2026年）" in flat and "已到期" in flat
    assert "申报中的奖补（申报）" in flat
    total = next(row for row in rows if row[0] == "合计")
    assert total[5] == pytest.approx(50 + 12.35 + 99)
    with pytest.raises(reports.ReportError, match="找不到"):
        export(session, tmp_path, "profile", code=county["giant"].credit_code[:-1] + "0")


def test_bad_filters_are_refused_in_chinese(session, county, tmp_path):
    with pytest.raises(reports.ReportError, match="未知的梯度层级"):
        export(session, tmp_path, "roster", tier="金牌企业")
    with pytest.raises(reports.ReportError, match="状态应为"):
        export(session, tmp_path, "roster", status="好")
    assert list((tmp_path / "out").iterdir()) == []


def test_locked_target_is_refused_and_nothing_half_written(session, county, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "名单.xlsx"
    target.write_bytes(b"old contents")
    lock = tmp_path / "~$名单.xlsx"
    lock.write_bytes(b"")
    with pytest.raises(reports.TargetError, match="正被其他程序"):
        drain(reports.export_steps(session, "roster", target, ReportRequest(today=TODAY)))
    assert target.read_bytes() == b"old contents"
    lock.unlink()
    with pytest.raises(reports.TargetError, match="文件夹不存在"):
        drain(reports.export_steps(session, "roster", tmp_path / "no" / "x.xlsx", ReportRequest()))
    with pytest.raises(reports.TargetError, match=".xlsx"):
        drain(reports.export_steps(session, "roster", tmp_path / "x.xls", ReportRequest()))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["名单.xlsx"]


def test_cancel_leaves_no_file(session, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    for _ in demo.generate(session, enterprises=3000, today=TODAY):
        pass
    target = tmp_path / "roster.xlsx"
    seen = []
    with pytest.raises(reports.Cancelled):
        drain(reports.export_steps(session, "roster", target, ReportRequest(today=TODAY)),
              lambda step: seen.append(step) or len(seen) >= 2)
    assert list(tmp_path.iterdir()) == []
    steps = reports.export_steps(session, "roster", target, ReportRequest(today=TODAY))
    next(steps)
    next(steps)
    steps.close()  # the GUI stops iterating
    assert list(tmp_path.iterdir()) == []
    done: list[reports.Progress] = []
    saved = drain(reports.export_steps(session, "roster", target, ReportRequest(today=TODAY)),
                  done.append)
    assert saved == target and done[-1].done == done[-1].total > 1000
    assert [p.name for p in tmp_path.iterdir()] == ["roster.xlsx"]


def test_demo_county_summary_agrees_with_roster_and_database(session, tmp_path):
    for _ in demo.generate(session, enterprises=1500, today=TODAY):
        pass
    rows = cells(export(session, tmp_path, "summary"))
    header_row, _ = header_index(rows, "序号")
    groups, labels = rows[header_row], rows[header_row + 1]
    total = next(row for row in rows if row[0] == "合计")
    body = data_rows(rows)
    for col in range(2, len(labels)):
        assert total[col] == sum(row[col] for row in body)
    roster_rows = data_rows(cells(export(session, tmp_path, "roster")))
    assert len(roster_rows) == roster.count(
        session, roster.RosterFilter(status="有效", today=TODAY))
    window = {row["area"]: row for row in dashboard.holders_by_tier(session, today=TODAY)}
    for col in range(2, len(labels), 4):
        tier_name = groups[col]
        code = next(t.code for t in reports.summary.reference.tiers() if t.name == tier_name)
        assert labels[col + 2] == "有效"
        for row in body:
            assert row[col + 2] == window.get(row[1], {}).get(code, 0)
        cumulative = session.query(Recognition.enterprise_id).join(Enterprise).filter(
            Recognition.tier_code == code, Recognition.is_pending.is_(False),  # 公示中: not yet
            Enterprise.deleted_at.is_(None)).distinct().count()
        assert total[col] == cumulative


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_every_report_converts_to_pdf(session, county, tmp_path):
    out = tmp_path / "pdf"
    sources = []
    for definition in reports.REPORTS:
        filters = {"profile": {"code": county["giant"].credit_code},
                   "candidates": {"tier": "小巨人"}}.get(definition.name, {})
        sources.append(str(export(session, tmp_path, definition.name, **filters)))
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}",
         "--convert-to", "pdf", "--outdir", str(out), *sources],
        capture_output=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == len(sources)
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 2000


def test_summary_counts_firms_without_a_county_on_their_own_line_only_when_any(
        session, county, enterprise_factory, tmp_path):
    def countyless(name):
        firm = enterprise_factory(name)
        firm.county_name, firm.county_code, firm.town = "", None, ""
        return firm

    countyless("常州无县区贸易有限公司")  # no recognition: nothing to count, no line
    session.flush()
    assert "未填区县" not in {row[1] for row in data_rows(cells(export(session, tmp_path,
                                                                        "summary")))}
    held = countyless("常州无县区科技有限公司")
    recognitions.add(session, held.id, {"tier_code": "创新型", "batch_year": 2025,
                                        "recognized_on": dt.date(2025, 6, 1)})
    session.flush()
    rows = cells(export(session, tmp_path, "summary"))
    assert [row[1] for row in data_rows(rows)] == ["新北区", "武进区", "未填区县"]
    total = next(row for row in rows if row[0] == "合计")
    body = data_rows(rows)
    assert all(total[col] == sum(row[col] for row in body) for col in range(2, len(total)))


def test_reports_list_firms_by_pinyin_as_the_client_does(session, enterprise_factory,
                                                          tmp_path):
    # by code point 安 (U+5B89) < 张 (U+5F20) < 李 (U+674E); by pinyin an < li < zhang,
    # the order an officer expects and the roster window shows
    for name in ("张家港测试有限公司", "李庄测试有限公司", "安庆测试有限公司"):
        firm = enterprise_factory(name)
        recognitions.add(session, firm.id, {"tier_code": "创新型", "batch_year": 2025,
                                            "recognized_on": dt.date(2025, 6, 1)})
        measures.add(session, firm.id, {"kind": "认定奖励", "name": "奖励",
                                        "amount": Decimal(1), "paid_on": dt.date(2026, 1, 5)})
    session.flush()
    expected = ["安庆测试有限公司", "李庄测试有限公司", "张家港测试有限公司"]
    roster_names = [row[3] for row in data_rows(cells(export(session, tmp_path, "roster")))]
    assert roster_names == expected
    support = cells(export(session, tmp_path, "support", group="enterprise"))
    support_names = [v for row in support for v in row if v in expected]
    assert list(dict.fromkeys(support_names)) == expected


def test_profile_of_several_firms_has_one_portrait_sheet_each(session, county, tmp_path):
    codes = f"{county['giant'].credit_code}， {county['expiring'].credit_code}"
    path = export(session, tmp_path, "profile", code=codes)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["常州恒立液压科技有限公司", "常州天合精密机械有限公司"]
    assert all(ws.page_setup.orientation == "portrait" for ws in book.worksheets)
    with pytest.raises(reports.ReportError, match="91320"):
        export(session, tmp_path, "profile", code=f"{county['giant'].credit_code} 913204000000000000")
    assert len(list((tmp_path / "out").iterdir())) == 1  # the refused one left no file


def test_a_title_without_a_county_names_the_area_its_firms_are_in(
        session, enterprise_factory, tmp_path):
    """A city's report for all its counties says 常州市 (it said nothing, and a stamped
    list without its area was sent back); one county's database says its county; firms of
    two cities leave the area out rather than name one wrongly."""
    def title(**filters) -> str:
        return cells(export(session, tmp_path, "roster", **filters))[0][0]

    enterprise_factory("常州武进精工有限公司")
    assert title() == "武进区梯度培育企业名单"
    enterprise_factory("常州新北电子有限公司", county="新北区", town="薛家镇")
    assert title() == "常州市梯度培育企业名单"
    assert title(county="新北区") == "新北区梯度培育企业名单"
    assert title(title="本局自拟标题") == "本局自拟标题"
    nanjing = enterprise_factory("南京玄武软件有限公司", county="玄武区", town="")
    assert title() == "梯度培育企业名单"
    enterprises.soft_delete(session, nanjing.id)  # a firm in the recycle bin is not listed
    assert title() == "常州市梯度培育企业名单"


def test_a_title_without_a_county_names_the_units_counties(session, enterprise_factory,
                                                           tmp_path):
    """A county's laptop database that also holds firms of the city's other counties (a
    city-wide list imported before 本单位负责的区县 was set) named the city (常州市…) on a
    roster without a county; the unit's own counties say whose list it is."""
    from tiers.services import unit

    def title(**filters) -> str:
        return cells(export(session, tmp_path, "roster", **filters))[0][0]

    enterprise_factory("常州武进精工有限公司")
    enterprise_factory("常州新北电子有限公司", county="新北区", town="薛家镇")
    assert title() == "常州市梯度培育企业名单"  # no unit recorded: the firms' area, as before
    unit.set_unit_counties(session, ["武进区"])
    assert title() == "武进区梯度培育企业名单"
    assert title(county="新北区") == "新北区梯度培育企业名单"  # a county chosen still wins
    assert title(title="本局自拟标题") == "本局自拟标题"
    unit.set_unit_counties(session, ["武进区", "新北区"])
    assert title() == "新北区、武进区梯度培育企业名单"  # which counties, in code order
    unit.set_unit_counties(session, ["常州市"])  # a city's database: the city
    enterprises.soft_delete(session, session.query(Enterprise).filter_by(
        name="常州新北电子有限公司").one().id)
    assert title() == "常州市梯度培育企业名单"  # not 武进区, its only firms' county
    assert title(tier="小巨人") == "常州市梯度培育企业名单（专精特新“小巨人”企业）"
