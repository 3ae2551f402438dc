"""The demo's firms lie in three counties (武进区, 新北区, 天宁区): each firm's measures name
its own county's bureau and documents, and no firm outside 武进区 is called 武进… — the demo
used for 新北区 had 常州市武进区工业和信息化局 and 武工信〔…〕号 on every measure (tester,
session 21), which looked wrong in the city's reports."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tiers.model.orm import Enterprise, SupportMeasure
from tiers.progress import drain
from tiers.services import demo


def test_each_firm_is_of_its_own_county(session):
    drain(demo.generate(session, enterprises=300, seed=20261121, today=dt.date(2026, 12, 6)))
    firms = {firm.id: firm for firm in session.scalars(select(Enterprise))}
    counties = {firm.county_name for firm in firms.values()}
    assert counties == {"武进区", "新北区", "天宁区"}
    measures = list(session.scalars(select(SupportMeasure)))
    seen = set()
    for measure in measures:
        county = firms[measure.enterprise_id].county_name
        seen.add(county)
        assert measure.implementer == f"常州市{county}工业和信息化局"
        assert measure.policy_basis.startswith(f"{county[0]}工信〔")
    assert {"武进区", "新北区"} <= seen
    prefixes = {county: [f.name for f in firms.values() if f.county_name == county]
                for county in counties}
    for county, names in prefixes.items():
        others = {"武进", "新北", "天宁"} - {county[:-1]}
        assert not [name for name in names if name[:2] in others], county
    # and the county's own short name is still one of the prefixes drawn
    assert any(name.startswith("新北") for name in prefixes["新北区"])
    assert demo.county_words("320412") == ("武进", "常州市武进区工业和信息化局", "武工信")
