"""The firm window, when an administrator moves a firm to another county and leaves its old
county's town (tester22: 湖塘镇 on a 新北区 firm, saved without a word): the save is
refused with the reason under 镇街, and nothing is written."""

from __future__ import annotations

from tiers.model.orm import Enterprise
from tiers.services import enterprises


def test_moving_a_firm_with_its_old_towns_name_is_refused_under_town(
        qtbot, firm_window, database, settings, runner, save_and_wait, code):
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": code(1), "name": "常州甲有限公司",
                                            "county": "武进区", "town": "湖塘镇"})
        enterprises.create(session, {"credit_code": code(2), "name": "常州乙有限公司",
                                     "county": "新北区", "town": "三井街道"})
        firm_id = firm.id
    dialog = firm_window(firm_id)
    dialog.set_field("county", "新北区")
    assert save_and_wait(dialog) is False
    error = dialog.field_errors["town"]
    assert not error.isHidden()
    assert error.text().startswith("镇街“湖塘镇”属于武进区，不属于新北区")
    with database.session() as session:
        assert session.get(Enterprise, firm_id).county_name == "武进区"
    dialog.set_field("town", "三井街道")
    assert save_and_wait(dialog) is True
    with database.session() as session:
        stored = session.get(Enterprise, firm_id)
        assert (stored.county_name, stored.town) == ("新北区", "三井街道")
