"""A report exported with a title of the officer's own (--title) and re-saved as .csv has
neither the marker, nor the sheet's name, nor Tiers's title: it is still known by its
table's headings, all of them, word for word and in Tiers's order. A county's own list with
some (or all, otherwise ordered) of the same headings is no report of Tiers's (review of
the sixteenth session)."""

from __future__ import annotations

import pytest

from importers import ImportRefused, detect, open_source
from tests.importers.helpers import import_file, table_counts, write_xlsx
from tests.importers.test_own_reports import NOT_LISTS, _as_csv, _demo, _export, _filters
from tiers.reports import expiring, roster, support

OWN_TITLE = "武进区工信局内部工作底稿（请勿外传）"
VARIANTS = [(name, {}) for name in sorted(NOT_LISTS)] + [
    ("summary", {"group": "town"}), ("summary", {"tier": "小巨人"}),
    ("support", {"group": "kind"}), ("expiring", {"tier": "科技型中小企业", "days": 400})]


@pytest.mark.parametrize(("name", "filters"), VARIANTS)
def test_reports_with_a_title_of_their_own_saved_as_csv_are_refused(
        database, tmp_path, name, filters):
    _demo(database, 120)
    path = _as_csv(_export(database, name, tmp_path / f"{name}.xlsx", title=OWN_TITLE,
                           **_filters(database, name), **filters))
    with path.open(encoding="utf-8") as text:
        assert text.readline().startswith(OWN_TITLE)  # Tiers's title is gone
    expected = f"这是 Tiers 导出的{NOT_LISTS[name]}，不是认定名单；如需交换数据请使用数据包"
    with pytest.raises(ImportRefused, match=expected):
        detect(open_source(path))


@pytest.mark.parametrize("tier", [None, "创新型中小企业"])  # 认定文号/入库编号, 认定文号
def test_the_roster_with_a_title_of_its_own_saved_as_csv_is_read_row_by_row(
        database, tmp_path, tier):
    _demo(database)
    path = _as_csv(_export(database, "roster", tmp_path / "roster.xlsx", title=OWN_TITLE,
                           tier=tier))
    detection = detect(open_source(path))
    assert detection.own_report == "roster"
    before = table_counts(database)
    plan, batch_id = import_file(database, path)
    assert plan.counts()["unchanged"] == plan.counts()["rows"] > 0, plan.counts()
    assert batch_id is None and table_counts(database) == before


def _county_list(tmp_path, header: list[str], name: str):
    """A county's own list in the bureau's usual form: its title, a 统计截止 line and a
    填报单位（盖章） line (as Tiers's reports have), then its table."""
    row = {"序号": 1, "企业名称": "常州恒立液压有限公司", "统一社会信用代码": "91320412MA1MABCD1X",
           "县（市、区）": "武进区", "梯度层级": "省级专精特新中小企业", "认定级别": "省级",
           "认定批次/年度": "2024年度", "类别": "认定奖励", "项目名称": "2025年度认定奖励",
           "金额（万元）": 20}
    return write_xlsx(tmp_path / f"{name}.xlsx", {"Sheet1": [
        ["武进区2026年度专精特新企业情况表"], ["（统计截止：2026年11月30日）"],
        ["填报单位（盖章）：武进区工业和信息化局"], header,
        [row.get(label, "") for label in header]]})


@pytest.mark.parametrize("header", [
    # the 复核到期提醒表's headings but its last
    [c.label for c in expiring.COLUMNS[:-1]],
    # the 扶持措施兑现情况表's and a 备注 of the county's own
    [*(c.label for c in support.COLUMNS), "备注"],
    # every heading of the 名单's, in another order
    [c.label for c in roster.COLUMNS if not c.group][::-1]])
def test_a_county_list_with_some_of_the_same_headings_is_not_refused(tmp_path, header):
    path = _county_list(tmp_path, header, "county")
    detection = detect(open_source(path))
    assert detection.own_report is None


def _swapped(labels: list[str], first: int, second: int) -> list[str]:
    swapped = list(labels)
    swapped[first], swapped[second] = swapped[second], swapped[first]
    return swapped


@pytest.mark.parametrize(("report", "columns", "first", "second"), [
    ("复核到期提醒表", expiring.COLUMNS, 3, 4), ("复核到期提醒表", expiring.COLUMNS, 1, -1),
    ("扶持措施兑现情况表", support.COLUMNS, 2, 3)])
def test_a_county_list_with_the_same_headings_in_another_order_is_not_refused(
        tmp_path, report, columns, first, second):
    """Every heading of a report's, 序号 first as in every list, two of the others swapped:
    the county's own list. (A list with 序号 elsewhere is no report for that alone: the
    order is what is tested here.)"""
    labels = [c.label for c in columns]
    assert labels[0] == "序号"
    with pytest.raises(ImportRefused, match=f"这是 Tiers 导出的{report}"):  # in Tiers's order
        detect(open_source(_county_list(tmp_path, labels, "tiers")))
    path = _county_list(tmp_path, _swapped(labels, first, second), "county")
    assert detect(open_source(path)).own_report is None


def _resaved(paths: list, suffix: str, tmp_path) -> dict[str, object]:
    """The workbooks re-saved by LibreOffice as .xls or .ods (the marker lost; merged
    ranges, such as 企业档案's 基本情况 over its eight columns, read back filled)."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    target = tmp_path / suffix
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--headless", "--convert-to", suffix, "--outdir", str(target),
                    *map(str, paths)], check=True, capture_output=True, timeout=300)
    return {path.stem: target / f"{path.stem}.{suffix}" for path in paths}


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_reports_with_a_title_of_their_own_resaved_as_xls_or_ods_are_refused(
        database, tmp_path, suffix):
    """企业档案 of several firms with a title of its own, re-saved as .xls, was read as a
    名单 (its merged 基本情况 read back in all eight columns); every other report too is
    known by its headings, and the 名单 is read row by row."""
    from sqlalchemy import select

    from tiers.model.orm import Enterprise

    _demo(database, 120)
    with database.session() as session:  # several firms: each sheet named after its firm
        codes = session.scalars(select(Enterprise.credit_code).order_by(Enterprise.id)
                                .limit(2)).all()
    paths = [_export(database, name, tmp_path / f"{name}.xlsx", title=OWN_TITLE,
                     **(_filters(database, name) if name != "profile" else
                        {"code": ",".join(codes)}))
             for name in (*sorted(NOT_LISTS), "roster")]
    resaved = _resaved(paths, suffix, tmp_path)
    for name, report in NOT_LISTS.items():
        expected = f"这是 Tiers 导出的{report}，不是认定名单；如需交换数据请使用数据包"
        with pytest.raises(ImportRefused, match=expected):
            detect(open_source(resaved[name]))
    assert detect(open_source(resaved["roster"])).own_report == "roster"


def test_the_headings_follow_the_reports_own_columns(monkeypatch):
    """The headings recognised are built by the functions the reports use: a number column
    named otherwise for one tier (common.number_label) is still the 名单's, where a copy of
    the report's rules (three namings listed by hand) missed it."""
    from tiers.reports import common, headings
    from tiers.reports.base import ReportRequest

    number_label = common.number_label
    monkeypatch.setattr(common, "number_label", lambda codes=None: "证书编号" if codes == [
        "single_champion"] else number_label(codes))
    headings._fixed.cache_clear()
    try:
        columns = common.with_number_label(roster.COLUMNS, ReportRequest(tier="单项冠军"))
        assert "证书编号" in [c.label for c in columns]
        assert headings.report_of(headings.flattened(columns)) == "roster"
        bare = headings.flattened(expiring.COLUMNS)  # 认定文号 as the table defines it
        assert headings.report_of(bare) == "expiring"
        assert headings.report_of(bare[:-1]) is None
    finally:
        monkeypatch.undo()
        headings._fixed.cache_clear()
