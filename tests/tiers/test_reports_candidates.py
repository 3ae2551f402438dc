"""拟推荐企业名单: the 对标预审 candidates exported in the bureau layout, read back with
python-calamine (values, merged title) and openpyxl (styles, print settings)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import TODAY
from tiers import assess, reports
from tiers.assess.results import LOST_LAPSED, LOST_REVOKED
from tiers.model.orm import Enterprise
from tiers.progress import drain
from tiers.reports import ReportRequest
from tiers.reports import candidates as candidates_report
from tiers.services import demo
from tiers.storage.database import open_database
from ui.cli import main as cli

SIGNATURE = {"unit": "常州市武进区工业和信息化局", "filled_by": "王丽", "phone": "0519-86310000"}
EVIL = '=HYPERLINK("http://x","y")'
KEYS = [key for key, _ in assess.CANDIDATE_REPORT_COLUMNS]
LABELS = [label for _, label in assess.CANDIDATE_REPORT_COLUMNS]
TIERS = ("创新型", "省级专精特新", "小巨人", "单项冠军")


@pytest.fixture
def county(session):
    for _ in demo.generate(session, enterprises=700, today=TODAY):
        pass
    session.flush()
    return session


def export(session, tmp_path: Path, **filters) -> Path:
    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    target = folder / f"candidates-{len(list(folder.iterdir()))}.xlsx"
    request = ReportRequest(**filters, **SIGNATURE, filled_on=TODAY, today=TODAY)
    drain(reports.export_steps(session, "candidates", target, request))
    return target


def cells(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def header_row(rows: list[list]) -> int:
    return next(r for r, row in enumerate(rows[:8]) if row[0] == "序号")


def data_rows(rows: list[list]) -> list[list]:
    """The firms' rows, their texts read without the line breaks put where a closing bracket
    would start a line (``brackets.kept``)."""
    return [[value.replace("\n", "") if isinstance(value, str) else value for value in row]
            for row in rows if isinstance(row[0], float)]


def plain(row: dict, waiting: str) -> bool:
    """A 尚未取得前提认定 row with no lapsed title (复核：… before it for a firm in its 复核)."""
    return row["readiness_shown"].removeprefix(assess.REVIEW_MARK) == waiting


def expected(rows: list[dict]) -> list[list]:
    """What calamine reads back for candidates_report_rows: numbers as floats, blanks as '';
    预审结论 as shown (``readiness_shown``); 已满足条件 as its count (the demo's rule sets have no ； within a condition), and the
    需人工核实 and 缺少数据 items every row has, and the 差距 of every plain 尚未取得前提认定 row,
    left to the notes below the table."""
    shared = {key: candidates_report.shared_checks(rows, key) for key in ("manual", "missing")}
    # and the 差距 every plain 尚未取得前提认定 row has, to that group's note
    waiting = assess.READINESS_LABELS[assess.PREREQUISITE]
    group_gaps = candidates_report.shared_checks(
        [row for row in rows if plain(row, waiting)], "gaps")
    out = []
    for row in rows:
        values = []
        hoisted = {**shared, "gaps": group_gaps} if plain(row, waiting) else shared
        for key in KEYS:
            value = row[key]
            if key == "readiness":  # shown as 前提认定已到期 where the prerequisite lapsed
                value = row["readiness_shown"]
            elif key == "rule_set":  # a 复核 by presumed rules: said so, 2022's beside
                value = row["rule_set_shown"]
            elif key == "met":
                value = f"{len(value.split('；'))} 项" if value else ""
            elif hoisted.get(key):
                value = "；".join(item for item in value.split("；") if item not in hoisted[key])
            values.append(float(value) if isinstance(value, int) else (value or ""))
        out.append(values)
    return out


def column_width(ws, column: int) -> float:
    """openpyxl keys a run of equal columns (<col min max>) by its first letter only."""
    for dimension in ws.column_dimensions.values():
        if dimension.min <= column <= dimension.max:
            return dimension.width
    raise AssertionError(f"no width for column {column}")


def renumbered(rows: list[dict]) -> list[dict]:
    return [{**row, "seq": seq} for seq, row in enumerate(rows, start=1)]


def test_registered_with_its_filters():
    definition = reports.get("candidates")
    assert reports.get("拟推荐企业名单") is definition
    assert definition.filter_names == ("tier", "county", "town", "year", "status")
    tier = definition.filters[0]
    assert tier.required and set(tier.choices) == set(assess.assessable_tiers())
    status = next(s for s in definition.filters if s.name == "status")
    assert status.default == "不含不符合" and "全部" in status.choices
    assert "不符合" in status.choices
    assert [c.label.replace("\n", "") for c in candidates_report.COLUMNS] == LABELS


@pytest.mark.parametrize("tier", TIERS)
def test_rows_equal_the_assessment_in_ranked_order(county, tmp_path, tier):
    path = export(county, tmp_path, tier=tier)
    rows = cells(path)
    want = assess.candidates_report_rows(county, tier, today=TODAY)
    assert want, "the demo county has candidates for every tier"
    assert data_rows(rows) == expected(want)
    assert [row[0] for row in data_rows(rows)] == [float(n) for n in range(1, len(want) + 1)]
    # ranked: 条件均满足, then 差一项, then 缺数据 — never 不符合 unless asked for
    order = {label: rank for rank, label in assess.READINESS_LABELS.items()}
    # a lapsed or revoked prerequisite is shown so, in the 尚未取得前提认定 group
    order.update(dict.fromkeys((LOST_LAPSED, LOST_REVOKED), assess.PREREQUISITE))
    # (a firm in its 复核 reads 复核：…, in its group)
    ranks = [order[row[KEYS.index("readiness")].removeprefix(assess.REVIEW_MARK)]
             for row in data_rows(rows)]
    assert ranks == sorted(ranks) and assess.NOT_READY not in ranks
    tier_name = assess.tier_rules(tier).tier_name
    assert rows[0][0] == f"常州市拟推荐企业名单（{tier_name}）"  # demo: 常州's counties
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    assert ((0, 0), (0, len(LABELS) - 1)) in sheet.merged_cell_ranges
    header = header_row(rows)
    top, below = rows[header], rows[header + 1]
    for key in ("seq", "name", "credit_code", "target_tier"):
        assert top[KEYS.index(key)] == LABELS[KEYS.index(key)]
    for key in ("readiness", "score", "met", "gaps", "manual", "missing", "contact_phone"):
        assert below[KEYS.index(key)] == LABELS[KEYS.index(key)]
    assert "对标预审情况" in rows[header] and "联系方式" in rows[header]
    assert f"财务数据：{TODAY.year - 1}年度" in rows[1][0]


def test_all_includes_not_ready_and_flagged_and_a_single_verdict_filters(county, tmp_path):
    everything = assess.candidates_report_rows(county, "小巨人", today=TODAY,
                                               include_not_ready=True, include_flagged=True)
    assert any(row["readiness"] == "不符合" for row in everything)
    assert data_rows(cells(export(county, tmp_path, tier="小巨人", status="全部"))) == \
        expected(everything)
    one_short = renumbered([row for row in everything if row["readiness"] == "差一项"])
    assert one_short
    assert data_rows(cells(export(county, tmp_path, tier="小巨人", status="差一项"))) == \
        expected(one_short)
    not_ready = renumbered([row for row in everything if row["readiness"] == "不符合"])
    assert data_rows(cells(export(county, tmp_path, tier="小巨人", status="不符合"))) == \
        expected(not_ready)


def test_county_town_and_year_filters(county, tmp_path):
    in_county = assess.candidates_report_rows(county, "省级专精特新", today=TODAY,
                                              county="武进区")
    assert in_county and {row["county"] for row in in_county} == {"武进区"}
    rows = cells(export(county, tmp_path, tier="省级专精特新", county="武进区"))
    assert data_rows(rows) == expected(in_county)
    assert rows[0][0] == "武进区拟推荐企业名单（省级专精特新中小企业）"
    town = in_county[0]["town"]
    in_town = renumbered([row for row in in_county if row["town"] == town])
    rows = cells(export(county, tmp_path, tier="省级专精特新", county="武进区", town=town))
    assert data_rows(rows) == expected(in_town)
    assert rows[0][0].startswith(f"武进区{town}拟推荐企业名单")
    earlier = assess.candidates_report_rows(county, "省级专精特新", today=TODAY,
                                            year=TODAY.year - 2)
    rows = cells(export(county, tmp_path, tier="省级专精特新", year=TODAY.year - 2))
    assert data_rows(rows) == expected(earlier)
    assert {row[KEYS.index("figures_year")] for row in data_rows(rows)} == {TODAY.year - 2}


def test_print_settings_styles_and_no_formulas(county, tmp_path):
    first = assess.candidates_report_rows(county, "小巨人", today=TODAY)[0]
    county.get(Enterprise, first["enterprise_id"]).name = EVIL
    county.flush()
    path = export(county, tmp_path, tier="小巨人")
    rows = cells(path)
    assert data_rows(rows)[0][KEYS.index("name")] == EVIL
    book = openpyxl.load_workbook(path)
    ws = book.active
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth or 1) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws["A1"].font.b and ws["A1"].font.sz == 18
    header = header_row(rows)
    assert ws.print_title_rows == f"${header + 1}:${header + 2}"  # both header rows repeat
    assert ws.freeze_panes == f"A{header + 3}"
    last_data = header + 2 + len(data_rows(rows))
    assert ws.auto_filter.ref == f"A{header + 2}:Q{last_data}"
    seq_header = ws.cell(header + 1, 1)
    assert seq_header.font.b and seq_header.border.left.style == "thin"
    assert seq_header.fill.fgColor.rgb.endswith("D9E1F2")
    for key in ("gaps", "manual"):
        column = KEYS.index(key) + 1
        assert ws.cell(header + 3, column).alignment.wrap_text
        assert 14 <= column_width(ws, column) <= 31
    assert column_width(ws, KEYS.index("met") + 1) <= 11  # a count: 9 项
    # a row whose conditions wrap is tall enough for every line
    tall = [ws.row_dimensions[r].height for r in range(header + 3, last_data + 1)]
    assert max(h or 0 for h in tall) > 40
    assert ws.cell(1, 1).value.startswith("常州市拟推荐企业名单")
    assert ws.cell(header + 3, KEYS.index("figures_year") + 1).value == TODAY.year - 1
    unit = next(r for r in rows[:4] if str(r[0]).startswith("填报单位（盖章）："))
    assert unit[0] == f"填报单位（盖章）：{SIGNATURE['unit']}" and "单位：家" in unit
    tail = [v for row in rows[-2:] for v in row if v]
    assert "填报人：王丽" in tail and "联系电话：0519-86310000" in tail
    assert "填报日期：2026年11月21日" in tail


def test_progress_through_the_assessment_and_cancel_leaves_nothing(county, tmp_path):
    out = tmp_path / "cancel"
    out.mkdir()
    target = out / "拟推荐.xlsx"
    request = ReportRequest(tier="创新型", today=TODAY)
    seen: list[reports.Progress] = []
    with pytest.raises(reports.Cancelled):
        drain(reports.export_steps(county, "candidates", target, request),
              lambda step: seen.append(step) or step.stage.startswith("已预审"))
    assert list(out.iterdir()) == []
    steps: list[reports.Progress] = []
    saved = drain(reports.export_steps(county, "candidates", target, request), steps.append)
    assessing = [p for p in steps if p.stage.startswith("已预审")]
    # the county is assessed in slices, each a progress step and a chance to cancel
    assert len(assessing) == -(-county.query(Enterprise).count() // candidates_report.SLICE)
    assert assessing[-1].done == assessing[-1].total
    assert saved == target and [p.name for p in out.iterdir()] == ["拟推荐.xlsx"]


def test_bad_requests_are_refused_in_chinese(county, tmp_path):
    with pytest.raises(reports.ReportError, match="拟推荐的梯度"):
        export(county, tmp_path)
    with pytest.raises(reports.ReportError, match="尚无链主企业的认定标准"):
        export(county, tmp_path, tier="链主")
    with pytest.raises(reports.ReportError, match="预审结论应为"):
        export(county, tmp_path, tier="小巨人", status="有效")
    assert list((tmp_path / "out").iterdir()) == []


def test_no_candidates_gives_an_empty_table(session, tmp_path, enterprise_factory):
    enterprise_factory("常州无数据贸易有限公司")
    rows = cells(export(session, tmp_path, tier="小巨人", status="条件均满足"))
    assert data_rows(rows) == []
    assert any(row[0] == "（没有符合条件的候选企业）" for row in rows)


def test_cli_lists_and_exports_candidates(tmp_path, db_target, capsys):
    path = db_target
    database = open_database(path)
    with database.session() as session:
        for _ in demo.generate(session, enterprises=300, today=TODAY):
            pass
    assert cli.main(["export", "--list"]) == 0
    listed = capsys.readouterr().out
    assert "candidates" in listed and "拟推荐企业名单" in listed
    assert "--tier（拟推荐梯度，必填）" in listed
    target = tmp_path / "拟推荐.xlsx"
    assert cli.main(["--db", str(path), "export", "candidates", str(target), "--tier", "小巨人",
                     "--county", "武进区", "--status", "全部", "--as-of", TODAY.isoformat(),
                     "--unit", "武进区工信局", "--by", "王丽", "--quiet"]) == 0
    assert "已导出“拟推荐企业名单”" in capsys.readouterr().out
    with database.session() as session:
        want = assess.candidates_report_rows(session, "小巨人", today=TODAY, county="武进区",
                                             include_not_ready=True, include_flagged=True)
    database.dispose()
    table = cells(target)
    assert table[0][0] == "武进区拟推荐企业名单（专精特新“小巨人”企业）"
    assert data_rows(table) == expected(want)
    assert cli.main(["--db", str(path), "export", "candidates", str(tmp_path / "x.xlsx"),
                     "--quiet"]) != 0
    assert "--tier" in capsys.readouterr().err
    assert cli.main(["--db", str(path), "export", "candidates", str(tmp_path / "x.xlsx"),
                     "--tier", "小巨人", "--chain", "C01", "--quiet"]) != 0
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_converts_to_pdf(county, tmp_path):
    sources = [str(export(county, tmp_path, tier=tier, status="全部")) for tier in TIERS]
    out = tmp_path / "pdf"
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}",
         "--convert-to", "pdf", "--outdir", str(out), *sources],
        capture_output=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == len(sources)
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 2000


def test_the_innovative_list_names_what_is_met(county):
    """The 已满足条件 column is filled for every firm that is ready (#19: the 创新型 list's was
    empty on every row, its firms passing on the score or a direct route alone)."""
    rows = assess.candidates_report_rows(county, "创新型", today=TODAY)
    ready = [row for row in rows if row["readiness"] == assess.READINESS_LABELS[assess.READY]]
    assert ready
    assert all(row["met"] for row in ready)


def test_a_met_direct_route_is_named():
    from tiers.assess.results import MET, Assessment, ConditionResult

    route = ConditionResult(id="award", title="获得省级以上科技奖励", status=MET, kind="leaf",
                            route=True)
    score = ConditionResult(id="score", title="评价得分不低于60分", status=MET, kind="leaf")
    either = ConditionResult(id="either", title="评价或直通", status=MET, kind="any",
                             children=[score, route])
    item = Assessment(enterprise_id=1, credit_code="", name="", tier_code="innovative",
                      tier_name="创新型中小企业", rule_set="", rule_set_title="",
                      figures_year=2025, status=MET, readiness=0, verdict="",
                      conditions=[either])
    assert item.met_titles() == ["评价得分不低于60分", "直通：获得省级以上科技奖励"]


def test_missing_data_every_firm_lacks_is_said_once_below(session, tmp_path, enterprise_factory):
    """The same 缺少数据 in every row (no figures of the year: seven wrapped lines a row, 7
    rows a page in tester26b's PDF) is one note below the table; the rows stay short."""
    from tiers.services import recognitions
    for n in range(3):  # 省级专精特新 held (the prerequisite of 小巨人), no figures
        firm = enterprise_factory(f"常州缺数据{n}科技有限公司")
        recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": 2025,
                                            "batch_label": "2025年度", "level": "省级"})
    session.flush()
    path = export(session, tmp_path, tier="小巨人", status="全部")
    rows = cells(path)
    data = data_rows(rows)
    missing = KEYS.index("missing")
    assert len(data) == 3 and all(row[missing] == "" for row in data)
    notes = [row[0] for row in rows if str(row[0]).startswith("注：每家企业都缺少的数据")]
    assert len(notes) == 1 and "缺少" in notes[0] and "年度数据" in notes[0]
    sheet = openpyxl.load_workbook(path).worksheets[0]
    first = header_row(rows) + 3  # (1-based, below the header's two rows)
    heights = [sheet.row_dimensions[first + i].height for i in range(3)]
    assert all(h is None or h <= 2 * 13.5 + 3 for h in heights), (heights, data[0][7:], [n[:20] for n in notes])


def test_the_gap_every_firm_without_the_prerequisite_has_is_in_its_note(session, tmp_path,
                                                                        enterprise_factory):
    """尚未取得前提认定: the one 差距 they all share (须先取得…称号（库中没有…）, five lines a
    row) is said in the group's note, not in each row; a firm of another group keeps its."""
    for n in range(3):
        enterprise_factory(f"常州无前提{n}科技有限公司")
    session.flush()
    rows = cells(export(session, tmp_path, tier="小巨人", status="全部"))
    data = data_rows(rows)
    gaps, readiness = KEYS.index("gaps"), KEYS.index("readiness")
    assert len(data) == 3 and {row[readiness] for row in data} == {"尚未取得前提认定"}
    assert all(row[gaps] == "" for row in data)
    note = next(row[0] for row in rows if str(row[0]).startswith("注：尚未取得前提认定"))
    assert "标“尚未取得前提认定”的 3 家差距均为：须先取得" in note
