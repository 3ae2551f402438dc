"""拟推荐企业名单: a 复核 judged by presumed rules says so in its 依据标准 cell, the 2022
result beside (2026办法（推定）；按2022暂行办法：条件均满足（另有1项待核实）) — four to six
lines in that narrow centred column. The row is as tall as its longest wrapped cell, centred
columns too (tester29b: rows kept 30 pt, and the print showed only the cell's end)."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl

from tests.conftest import TODAY
from tiers import assess, reports
from tiers.progress import Progress, drain
from tiers.reports import ReportRequest
from tiers.reports import candidates as candidates_report
from tiers.reports.cells import LINE_HEIGHT, display_width

LONG = "2026办法（推定）；按2022暂行办法：条件均满足（另有1项待核实）"


class _Figures:
    year = TODAY.year - 1
    note = ""


def _row(seq: int, rule_set_shown: str) -> dict:
    row = {key: "" for key, _ in assess.CANDIDATE_REPORT_COLUMNS}
    row.update(seq=seq, county="武进区", town="湖塘镇", name=f"常州测试{seq}有限公司",
               credit_code="91320412MA1XXXXX0" + str(seq), current_tier="创新型",
               target_tier="省级专精特新", readiness="条件均满足",
               readiness_shown="复核：条件均满足", met="主营业务收入", met_count=1,
               figures_year=TODAY.year - 1, rule_set="2026办法",
               rule_set_shown=rule_set_shown, review="复核", enterprise_id=seq)
    return row


def test_a_long_rule_set_cell_gets_the_lines_it_wraps_to(session, tmp_path: Path,
                                                         monkeypatch):
    def rows(session, request, counts=None, figures=None):
        yield Progress("", 0, 0)
        if figures is not None:
            figures.append(_Figures())
        return [_row(1, LONG), _row(2, "2026办法")]

    monkeypatch.setattr(candidates_report, "candidate_rows", rows)
    target = tmp_path / "list.xlsx"
    drain(reports.export_steps(session, "candidates", target,
                               ReportRequest(tier="省级专精特新", filled_on=TODAY, today=TODAY)))
    ws = openpyxl.load_workbook(target).active
    column = candidates_report.KEYS.index("rule_set") + 1
    first = next(r for r in range(1, 10) if ws.cell(r, 1).value == 1)
    assert ws.cell(first, column).value == LONG
    letter = openpyxl.utils.get_column_letter(column)
    width = ws.column_dimensions[letter].width
    lines = math.ceil(display_width(LONG) / width)  # at the very least, in this column
    assert lines >= 4
    assert ws.row_dimensions[first].height >= lines * LINE_HEIGHT
    assert ws.row_dimensions[first + 1].height < lines * LINE_HEIGHT  # its own lines
