"""Only money paid counts as money (support29): a 专精特新贷 of 3,000万元 is a loan, a 融资担保
the sum guaranteed, a 研发费用加计扣除 a deduction — none is money paid out. The
兑现情况表's 小计/合计, the 工作台's 每年扶持资金, the 企业库's 扶持金额合计 (desktop and
``tiers enterprises``) count only 资金奖补; the report shows the other amounts in columns of
their own, not added to the money, and says so below the table. The stored data is as it was."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from tests.conftest import TODAY
from tiers import reports
from tiers.model import reference
from tiers.model.orm import SupportMeasure
from tiers.model.support_categories import (
    CATEGORIES,
    FINANCING,
    MONEY,
    SERVICE,
    TAX,
    categories,
    category,
    money_condition,
)
from tiers.progress import drain
from tiers.queries import dashboard, roster
from tiers.queries import measures as measure_queries
from tiers.reports import ReportRequest
from tiers.reports.base import ReportError
from tiers.services import measures

# one firm as the audit found it: 3,683.77 in its 小计, 3.77 of it money
FIRM = [("认定奖励", "50"), ("贷款贴息", "3.77"), ("专精特新贷", "3000"),
        ("融资担保", "500"), ("研发费用加计扣除", "120"), ("智改数转诊断服务", "10")]


def _add(session, firm, kind, amount, paid=dt.date(2025, 6, 1)):
    measures.add(session, firm.id, {"kind": kind, "name": f"2025年度{kind}",
                                    "amount": Decimal(amount), "paid_on": paid,
                                    "policy_basis": "武工信〔2025〕8号",
                                    "implementer": "常州市武进区工业和信息化局"})


@pytest.fixture
def firms(session, enterprise_factory):
    first = enterprise_factory("常州恒立液压科技有限公司", town="湖塘镇")
    second = enterprise_factory("常州天合精密机械有限公司", town="牛塘镇")
    for kind, amount in FIRM:
        _add(session, first, kind, amount)
    _add(session, second, "奖补资金", "20")
    _add(session, second, "知识产权质押融资", "800")
    session.flush()
    return first, second


def test_every_listed_kind_has_one_category_and_typed_kinds_go_by_their_words():
    listed = {k: c.name for c in categories() for k in c.kinds}
    assert set(listed) == set(reference.pick_lists()["kinds"])
    assert [c.name for c in categories()] == list(CATEGORIES)
    assert {k for k, c in listed.items() if c == FINANCING} == {
        "融资担保", "专精特新贷", "知识产权质押融资"}
    assert {k for k, c in listed.items() if c == TAX} == {"研发费用加计扣除"}
    for kind in ("认定奖励", "奖补资金", "专项引导资金", "贷款贴息", "技术改造补助", "其他"):
        assert category(kind) == MONEY, kind
    for kind in ("智改数转诊断服务", "数字化转型诊断", "服务专员", "政府采购", "首台（套）认定"):
        assert category(kind) == SERVICE, kind
    typed = {"资金奖励": MONEY, "上市奖励": MONEY, "2025年度专项资金": MONEY, "": MONEY,
             "融资担保费补贴": MONEY, "专精特新贷贴息": MONEY, "企业自填类别": MONEY,
             " 融资担保 ": FINANCING, "融资担保（省信保）": FINANCING, "专精特新贷款": FINANCING,
             "知识产权质押贷款": FINANCING, "加计扣除": TAX, "研发费用加计扣除（2024年度）": TAX,
             "增值税留抵退税": TAX, "首台套认定": SERVICE, "智改数转诊断": SERVICE}
    assert {kind: category(kind) for kind in typed} == typed


def test_sql_and_python_agree(session, enterprise_factory):
    firm = enterprise_factory("常州一致性检查有限公司")
    kinds = [*reference.pick_lists()["kinds"], "资金奖励", "融资担保费补贴", "融资担保（省信保）",
             "专精特新贷款", "加计扣除", "首台套认定", "企业自填类别", "100%_奖励"]
    for kind in kinds:
        _add(session, firm, kind, "1")
    session.flush()
    in_sql = set(session.scalars(select(SupportMeasure.kind).where(
        money_condition(SupportMeasure.kind))))
    assert in_sql == {kind for kind in kinds if category(kind) == MONEY}


def test_money_totals_count_only_money_paid(session, firms):
    first, second = firms
    # the dashboard's 每年扶持资金
    (year,) = dashboard.support_per_year(session)
    assert year["total"] == Decimal("73.77")
    assert year["measures"] == 3 and year["enterprises"] == 2
    # the 企业库's 扶持金额合计, and its order
    totals = {row["name"]: row["support_total"]
              for row in roster.roster(session, roster.RosterFilter())}
    assert totals == {"常州恒立液压科技有限公司": Decimal("53.77"),
                      "常州天合精密机械有限公司": Decimal("20")}
    assert roster.roster_ids(session, roster.RosterFilter(), sort="support_total",
                             descending=True) == [first.id, second.id]
    # the 扶持措施 page: money on its own, the rest said apart
    found = measure_queries.measure_totals(session)
    assert found["total"] == Decimal("73.77") and found["measures"] == 8
    assert found["others"] == {FINANCING: Decimal("4300"), TAX: Decimal("120"),
                               SERVICE: Decimal("10")}
    # nothing stored changed
    assert session.scalar(select(SupportMeasure.amount).where(
        SupportMeasure.kind == "专精特新贷")) == Decimal("3000")


def _report(session, tmp_path, **filters):
    target = tmp_path / f"support-{len(list(tmp_path.iterdir()))}.xlsx"
    drain(reports.export_steps(session, "support", target,
                               ReportRequest(**filters, filled_on=TODAY, today=TODAY)))
    return CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()


def _column(rows, label):
    """The column headed ``label`` (its unit on a line of its own)."""
    for row in rows[:8]:
        labels = [str(v).replace("\n", "") for v in row]
        if label in labels:
            return labels.index(label)
    raise AssertionError(f"no column {label}: {rows[:8]}")


def test_report_totals_money_and_shows_the_rest_apart(session, firms, tmp_path):
    rows = _report(session, tmp_path)
    money, loans = _column(rows, "资金奖补（万元）"), _column(rows, "融资额（万元）")
    tax, service = _column(rows, "税收优惠额（万元）"), _column(rows, "服务等金额（万元）")
    subtotal = next(row for row in rows if row[0] == "常州恒立液压科技有限公司 小计")
    assert subtotal[money] == pytest.approx(53.77)
    assert subtotal[loans] == pytest.approx(3500)
    assert subtotal[tax] == pytest.approx(120) and subtotal[service] == pytest.approx(10)
    grand = next(row for row in rows if str(row[0]).startswith("合计"))
    assert grand[money] == pytest.approx(73.77)
    assert grand[loans] == pytest.approx(4300)
    loan = next(row for row in rows if row[3] == "专精特新贷")
    assert loan[loans] == pytest.approx(3000) and loan[money] in ("", None)
    notes = " ".join(str(row[0]) for row in rows if str(row[0]).startswith("注"))
    assert "融资额（融资担保、专精特新贷、知识产权质押融资等）" in notes
    assert "不计入资金奖补的小计、合计" in notes
    # by kind, a year: the same money
    by_kind = _report(session, tmp_path, group="kind", year=2025)
    grand = next(row for row in by_kind if str(row[0]).startswith("合计"))
    assert grand[_column(by_kind, "资金奖补（万元）")] == pytest.approx(73.77)


def test_report_of_money_only_has_no_empty_columns(session, enterprise_factory, tmp_path):
    firm = enterprise_factory("常州只有奖补有限公司")
    _add(session, firm, "认定奖励", "30")
    session.flush()
    header = " ".join(str(v).replace("\n", "") for row in _report(session, tmp_path)[:8] for v in row)
    assert "资金奖补（万元）" in header
    assert "融资额" not in header and "税收优惠额" not in header and "服务等金额" not in header


def test_the_report_with_its_other_columns_is_still_known_to_the_importer(
        session, firms, tmp_path):
    """Brought back to 导入 (even re-saved without Tiers's marker), the report with its 融资额 /
    税收优惠额 / 服务等金额 columns is refused as what it is, as the money-only one is."""
    import zipfile

    from importers import ImportRefused, detect, open_source

    _report(session, tmp_path)
    written = next(tmp_path.glob("support-*.xlsx"))
    stripped = tmp_path / "stripped.xlsx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(stripped, "w") as target:
        for item in source.infolist():
            if item.filename != "docProps/custom.xml":
                target.writestr(item, source.read(item.filename))
    for path in (written, stripped):
        with pytest.raises(ImportRefused, match="扶持措施兑现情况表"):
            detect(open_source(path))


def test_the_profile_totals_money_only(session, firms, tmp_path):
    """The 企业档案's 四、扶持措施兑现情况 lists every measure; its 合计 is the money."""
    first, _second = firms
    target = tmp_path / "profile.xlsx"
    drain(reports.export_steps(session, "profile", target, ReportRequest(
        code=first.credit_code, filled_on=TODAY, today=TODAY)))
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    total = next(row for row in rows if str(row[0]).startswith("合计"))
    assert total[5] == pytest.approx(53.77)
    assert "不计入" in total[0]
    assert any(row[2] == "专精特新贷" and row[5] == pytest.approx(3000) for row in rows)


def test_a_measure_without_amount_alone_in_its_category_gets_its_column(
        session, enterprise_factory, tmp_path):
    """fixr29a #1: a 专精特新贷 without an amount, the only 融资 measure listed, crashed the
    report (its category had no column: only measures with an amount were asked). Its
    category's column is there, its cell and the 融资额 小计/合计 blank, the money as it was."""
    firm = enterprise_factory("常州无金额贷款有限公司")
    _add(session, firm, "认定奖励", "30")
    measures.add(session, firm.id, {"kind": "专精特新贷", "name": "2025年度专精特新贷",
                                    "paid_on": dt.date(2025, 6, 1)})
    session.flush()
    for group in ("enterprise", "kind"):
        rows = _report(session, tmp_path, group=group)
        money, loans = _column(rows, "资金奖补（万元）"), _column(rows, "融资额（万元）")
        loan = next(row for row in rows if row[3] == "专精特新贷")
        assert loan[loans] in ("", None) and loan[money] in ("", None)
        grand = next(row for row in rows if str(row[0]).startswith("合计"))
        assert grand[money] == pytest.approx(30) and grand[loans] in ("", None)
        assert "税收优惠额" not in " ".join(str(v) for row in rows[:8] for v in row)


def test_a_category_written_between_the_reads_refuses_the_report_not_a_crash(
        session, enterprise_factory, tmp_path, monkeypatch):
    """The report's columns come from one read (measure_kinds) and its rows from another: a
    measure of another category written between them (a colleague on the server) had no
    column — a TypeError. Now a Chinese refusal, and no file."""
    from tiers.reports import data

    firm = enterprise_factory("常州两次读取有限公司")
    _add(session, firm, "认定奖励", "30")
    _add(session, firm, "专精特新贷", "500")
    session.flush()
    monkeypatch.setattr(data, "measure_kinds", lambda *args: ["认定奖励"])  # (the first read)
    target = tmp_path / "support.xlsx"
    with pytest.raises(ReportError, match="请重新导出"):
        drain(reports.export_steps(session, "support", target,
                                   ReportRequest(filled_on=TODAY, today=TODAY)))
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("test.sqlite3")] == []


def test_by_kind_kinds_in_list_order_and_a_service_subtotal_has_no_money(
        session, firms, enterprise_factory, tmp_path):
    """tester29b #3: grouped by kind, the kinds came in character-code order, and a 小计 of a
    服务 kind read 资金奖补 0.00. The kinds follow the pick list (support_kinds.toml), a kind
    typed by hand after them by pinyin; a 小计 with no 资金奖补 measure leaves that cell
    blank, as a row of such a measure does."""
    first, second = firms
    _add(session, second, "智改数转诊断服务", "8")
    third = enterprise_factory("常州自填类别有限公司")
    for kind in ("专利奖励", "银行信用贷", "产业基金对接"):  # zhuan, yin, chan
        _add(session, third, kind, "5")
    fourth = enterprise_factory("常州只有服务有限公司")
    for kind in ("服务专员", "政府采购"):
        _add(session, fourth, kind, "2")
    session.flush()
    rows = _report(session, tmp_path, group="kind", year=2025)
    money, service = _column(rows, "资金奖补（万元）"), _column(rows, "服务等金额（万元）")
    kinds = []
    for row in rows:
        if isinstance(row[0], float) and row[3] not in kinds:
            kinds.append(row[3])
    listed = [k for k in reference.pick_lists()["kinds"] if k in kinds]
    assert kinds == [*listed, "产业基金对接", "银行信用贷", "专利奖励"]
    assert listed[:3] == ["认定奖励", "奖补资金", "贷款贴息"]
    subtotal = next(row for row in rows if row[0] == "智改数转诊断服务 小计")
    assert subtotal[money] in ("", None) and subtotal[service] == pytest.approx(18)
    grand = next(row for row in rows if str(row[0]).startswith("合计"))
    assert grand[money] == pytest.approx(78.77)
    # by firm, a firm's 小计 with money keeps it; one with none leaves it blank
    by_firm = _report(session, tmp_path, year=2025)
    money = _column(by_firm, "资金奖补（万元）")
    assert next(row for row in by_firm if row[0] == "常州恒立液压科技有限公司 小计"
                )[money] == pytest.approx(53.77)
    assert next(row for row in by_firm if row[0] == "常州只有服务有限公司 小计"
                )[money] in ("", None)
