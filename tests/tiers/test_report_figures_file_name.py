"""专精特新企业发展情况统计表 with no year chosen: the file name offered had no year, though
the report uses one (the latest year the listed firms have figures for), because the name
was made before that year was looked up (small29 #2). The core says which year a report
will name (``file_names.year_to_name``) and the name carries it."""

from __future__ import annotations

from tiers.reports import ReportRequest, get
from tiers.reports.figures import figures_year
from tiers.reports.file_names import suggested_stem, year_to_name
from tiers.services import figures, recognitions


def test_the_name_carries_the_year_the_report_will_use(session, enterprise_factory):
    firm = enterprise_factory("常州年度命名科技有限公司")
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": 2024})
    figures.set_year(session, firm.id, 2023, {"revenue": "8000"})
    session.flush()
    definition, request = get("figures"), ReportRequest(county="武进区")
    year = year_to_name(session, definition, request)
    assert year == figures_year(session, request) == 2023
    stem = suggested_stem(definition, request, year=year)
    assert stem.startswith("武进区2023年度专精特新企业发展情况统计表-"), stem
    # one chosen: that one, no query; a report without a year filter: none
    assert year_to_name(session, definition, ReportRequest(year=2021)) == 2021
    assert year_to_name(session, get("chains"), request) is None
    # a report with a year filter but no year of its own to look up (名单: 认定年度): none
    assert year_to_name(session, get("roster"), request) is None
