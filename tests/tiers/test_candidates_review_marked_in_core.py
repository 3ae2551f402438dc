"""A firm listed as its 复核 (a title held whose round is this year) read upward in the
exported 拟推荐企业名单 as a firm recommended anew: 现有梯度 = 拟推荐梯度 = 小巨人, 预审结论
"待人工核实", nothing saying 复核 (fixc28 #1) — the window and `tiers assess --tier` each added
"复核：" themselves. The core marks it now (``report_row``'s readiness_text and
readiness_shown, the ranked list's ``shown_readiness``), once, and every face shows that; the
report says under its table how many of its firms are this year's 复核."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from python_calamine import CalamineWorkbook

from tests.tiers.test_assess_edges import Y
from tests.tiers.test_assess_review_due_listed import TODAY, _firms, _giant
from tiers import assess, reports
from tiers.progress import drain
from tiers.reports import ReportRequest
from ui.candidate_details import ranked_rows


def test_the_rows_say_复核_once(session, enterprise_factory):
    due, *_ = _firms(session, enterprise_factory)
    fresh = _giant(session, enterprise_factory, "常州新申报科技有限公司", batch_year=2019,
                   valid_until=dt.date(2022, 12, 31))  # long run out: applies anew
    session.flush()
    rows = {row["enterprise_id"]: row for row in assess.candidates_report_rows(
        session, "little_giant", today=TODAY, year=Y, include_not_ready=True,
        include_flagged=True)}
    for key in ("readiness_text", "readiness_shown"):
        assert rows[due.id][key].startswith("复核：") and rows[due.id][key].count("复核") == 1
    assert "复核" not in rows[fresh.id]["readiness_shown"]
    found = drain(assess.ranked_steps(session, "little_giant", today=TODAY, year=Y,
                                      include_not_ready=True))
    shown = {row["enterprise_id"]: row["readiness_text"] for row in ranked_rows(found)}
    assert shown[due.id].startswith("复核：") and shown[due.id].count("复核") == 1
    assert "复核" not in shown[fresh.id]


def _export(session, tmp_path: Path) -> list[list]:
    target = tmp_path / "candidates.xlsx"
    request = ReportRequest(tier="小巨人", year=Y, status="全部", filled_on=TODAY, today=TODAY)
    drain(reports.export_steps(session, "candidates", target, request))
    return CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()


def test_the_report_marks_the_row_and_counts_them_below(session, enterprise_factory, tmp_path):
    due, *_ = _firms(session, enterprise_factory)
    cells = _export(session, tmp_path)
    [row] = [row for row in cells if due.name in row]
    assert any(isinstance(cell, str) and cell.startswith("复核：") for cell in row), row
    texts = [cell for line in cells for cell in line if isinstance(cell, str)]
    assert "注：其中 1 家为本年复核。" in texts, texts[-8:]


def test_no_note_without_a_复核(session, enterprise_factory, tmp_path):
    _giant(session, enterprise_factory, "常州新申报科技有限公司", batch_year=2019,
           valid_until=dt.date(2022, 12, 31))
    session.flush()
    texts = [cell for line in _export(session, tmp_path) for cell in line
             if isinstance(cell, str)]
    assert not any("复核" in text for text in texts), [t for t in texts if "复核" in t]
