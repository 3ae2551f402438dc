"""renewed_end_among (the firm window's rows, before it saves) and renewed_end (the
database, when recognitions.add stores a 复核 given no dates) choose alike."""

from __future__ import annotations

import datetime as dt

from tiers.services import recognitions


def test_the_window_chooses_as_the_save_does(enterprise_factory, session):
    """renewed_end_among (the window's rows) and renewed_end (the database) pick the same
    title: the latest held one of the tier of an earlier year, not one 公示中 or revoked."""
    from tiers.queries import profiles

    firm = enterprise_factory("常州选择一致有限公司")
    for values in ({"tier_code": "zjtx", "batch_year": 2020, "valid_until": dt.date(2023, 12, 1)},
                   {"tier_code": "zjtx", "batch_year": 2023, "valid_until": dt.date(2026, 12, 27)},
                   {"tier_code": "zjtx", "batch_year": 2024, "is_pending": True,
                    "valid_until": dt.date(2027, 6, 30)},
                   {"tier_code": "innovative", "batch_year": 2023,
                    "valid_until": dt.date(2026, 12, 31)}):
        recognitions.add(session, firm.id, values)
    revoked = recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": 2025,
                                                  "valid_until": dt.date(2028, 3, 1)})
    recognitions.revoke(session, revoked.id, reason="数据造假", on=dt.date(2026, 1, 5))
    session.flush()
    rows = profiles.profile(session, firm.id)["recognitions"]
    for year in (2026, 2024, 2021, 2020, None):
        assert recognitions.renewed_end_among(rows, "zjtx", year) == \
            recognitions.renewed_end(session, firm.id, "zjtx", year), year
    assert recognitions.renewed_end_among(rows, "zjtx", 2026) == dt.date(2026, 12, 27)
