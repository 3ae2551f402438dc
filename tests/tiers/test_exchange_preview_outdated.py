"""An import agreed to on its preview writes what the preview showed, or nothing (found by
the break campaign of #17, two writers at once): the import compared only the preview's
counts with the plan made under the write lock, so a colleague's edit of a firm the newer
package updates, saved between the preview and 导入, kept the counts (one firm updated
either way) and was overwritten: the county's phone number went over the city's, which
the preview had not shown (nor as 本市修改过)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.tiers.exchange_helpers import DAY, WUJIN, imported, sent
from tiers.exchange import (
    PackagePreviewOutdated,
    import_package,
    preview_package,
    preview_summary,
)
from tiers.model import credit_code
from tiers.model.orm import Enterprise
from tiers.progress import drain
from tiers.services import enterprises, measures


@pytest.fixture
def corrected(county, city, tmp_path):
    """The city holds the county's first package; the county corrects its first firm's
    name and sends a newer package (returned with the firm's credit code)."""
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with county.session() as session:
        firm = session.scalars(select(Enterprise).where(
            Enterprise.county_code == WUJIN).order_by(Enterprise.id)).first()
        code = firm.credit_code
        enterprises.update(session, firm.id, {"name": firm.name + "（更正）"})
        session.commit()
    return code, sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))


def test_a_firm_edited_here_after_the_preview_is_not_overwritten(city, corrected):
    code, newer = corrected
    with city.session() as session:
        preview = preview_package(session, newer)
    assert preview.values_updated == 1 and preview.city_edits_overwritten == 0
    with city.session() as session:  # a colleague corrects the firm's phone here meanwhile
        firm = enterprises.by_code(session, code)
        enterprises.update(session, firm.id, {"contact_phone": "0519-88886666"})
        session.commit()
    with city.session() as session:
        again, agreed = preview_summary(preview_package(session, newer)), \
            preview_summary(preview)
        # the same counts, every one of them: they did not tell; the plan's digest does
        assert {what: counts for what, counts in again.items() if what != "plan"} == \
            {what: counts for what, counts in agreed.items() if what != "plan"}
        assert set(again) == set(agreed) and again["plan"] != agreed["plan"]
        with pytest.raises(PackagePreviewOutdated, match="请重新预览"):
            drain(import_package(session, newer, expected=preview_summary(preview)))
        session.rollback()
    with city.session() as session:
        assert enterprises.by_code(session, code).contact_phone == "0519-88886666"
        # previewed again, the officer is told: the county did not change the phone, so the
        # package keeps the colleague's (a three-way merge, tiers.exchange.merge)
        again = preview_package(session, newer)
        assert again.kept == 1 and again.city_edits_overwritten == 0
        assert "联系电话 0519-88886666（本市）；区县数据包仍为" in again.kept_values[0]


def test_what_the_package_does_not_write_keeps_the_preview(city, corrected):
    """A firm entered here after the preview, a measure the city adds to a firm of the
    package (a package never deletes the city's own records): the import goes on."""
    code, newer = corrected
    with city.session() as session:
        preview = preview_package(session, newer)
    with city.session() as session:
        firm = enterprises.by_code(session, code)
        measures.add(session, firm.id, {"kind": "资金奖励", "name": "市级补助",
                                        "amount": "5", "year": 2026})
        enterprises.create(session, {"name": "常州市新录入机械有限公司",
                                     "credit_code": credit_code.make("9132041288880001"),
                                     "county_code": WUJIN})
        session.commit()
    with city.session() as session:
        result = drain(import_package(session, newer, expected=preview_summary(preview)))
        session.commit()
    assert result.batch_id is not None
    with city.session() as session:
        assert enterprises.by_code(session, code).name.endswith("（更正）")
