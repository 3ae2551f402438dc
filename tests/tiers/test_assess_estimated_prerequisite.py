"""A prerequisite met only through a validity Tiers estimated (a 科技型中小企业 entered with its
year alone: 入库编号 valid a year, its end 推算) says so in the assessment — 已是科技和创新型
中小企业（有效期为推算：只知 2025年度，请核对入库编号） — in the CLI and the 对标预审 tab alike
(the condition's explanation, evaluate._holds); a validity given, or another title in
force with one given, needs no word (audit28 #4). The estimate itself is unchanged."""

from __future__ import annotations

import datetime as dt

from tiers import assess
from tiers.services import recognitions
from ui.cli.assess import print_assessment

TODAY = dt.date(2026, 6, 1)  # the 2026办法: 专精特新 needs 科技和创新型
NOTE = "（有效期为推算：只知 2025年度，请核对入库编号）"


def _tech(session, firm, **values):
    return recognitions.add(session, firm.id, {"tier_code": "tech_sme", "batch_year": 2025,
                                               **values})


def _prerequisite(session, firm):
    item = assess.assess_enterprise(session, firm.id, "zjtx", today=TODAY)
    return dict(item.walk())["prereq_tech_innovative"], item


def test_a_prerequisite_met_by_an_estimate_says_so(session, enterprise_factory, capsys):
    firm = enterprise_factory("常州推算科技型有限公司")
    record = _tech(session, firm)
    assert record.valid_until_estimated and record.valid_until == dt.date(2026, 12, 31)
    condition, item = _prerequisite(session, firm)
    assert condition.status == assess.MET and condition.title == "已是科技和创新型中小企业"
    assert condition.detail == "已认定为科技型中小企业" + NOTE
    print_assessment(item)
    assert f"[满足] 已是科技和创新型中小企业 —— 已认定为科技型中小企业{NOTE}" \
        in capsys.readouterr().out
    # the estimate itself is unchanged
    session.refresh(record)
    assert record.valid_until == dt.date(2026, 12, 31) and record.valid_until_estimated


def test_a_recognition_date_known_is_what_the_note_names(session, enterprise_factory):
    firm = enterprise_factory("常州认定日期科技型有限公司")
    _tech(session, firm, recognized_on=dt.date(2025, 9, 1))
    condition, _ = _prerequisite(session, firm)
    assert condition.detail.endswith("（有效期为推算：只知认定日期 2025-09-01，请核对入库编号）")


def test_a_validity_given_or_another_title_needs_no_word(session, enterprise_factory):
    given = enterprise_factory("常州有效期已知科技型有限公司")
    _tech(session, given, valid_until=dt.date(2026, 12, 31))
    assert _prerequisite(session, given)[0].detail == "已认定为科技型中小企业"
    both = enterprise_factory("常州两项称号科技型有限公司")
    _tech(session, both)  # estimated, but an 创新型 title with its dates stands too
    recognitions.add(session, both.id, {"tier_code": "innovative", "batch_year": 2025,
                                        "recognized_on": dt.date(2025, 7, 1),
                                        "valid_until": dt.date(2028, 6, 30)})
    condition, _ = _prerequisite(session, both)
    assert condition.status == assess.MET and "推算" not in condition.detail
