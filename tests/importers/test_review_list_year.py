"""A 复核 list that names only the batch it renews (“第二批专精特新“小巨人”复核通过企业名单”,
no year) was recorded at that batch's own year: 第二批 (2020), valid to 2023-12-31, 已到期 —
a title just renewed in 2023 silently lost (tester25 #2). The 复核 of a numbered batch is in
the year the batch's validity ends (domain.md §1.5: 第二批 2020 → 复核 2023, to 2026): the
list is recorded at that year, and when even that reading leaves the title run out, the
preview asks for the year rather than recording an expired title unasked."""

from __future__ import annotations

import datetime as dt

from importers import build_plan, detect, open_source
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, write_xlsx
from tiers.model import ladder
from tiers.model.orm import Recognition
from tiers.progress import drain
from tiers.services import enterprises, recognitions

HEADER = ["序号", "企业名称", "统一社会信用代码"]
TITLE = "附件2：第二批专精特新“小巨人”企业复核通过名单"


def _list(tmp_path, title=TITLE):
    return write_xlsx(tmp_path / "复核.xlsx", {"复核通过": [
        [title], HEADER, [1, "江苏溧阳华锐新材料股份有限公司", make_code(1)]]})


def _firm(database):
    with database.session() as session:
        return enterprises.create(session, {"credit_code": make_code(1),
                                            "name": "江苏溧阳华锐新材料股份有限公司"}).id


def _plan(database, path, today, **options):
    detection = detect(open_source(path))
    if options:
        detection = detection.with_options(**options)
    with database.session() as session:
        return drain(build_plan(session, detection, today=today))


def _asked(plan):
    return [p for p in plan.all_problems() if p.hint_field == "year" and "复核" in p.message]


def test_the_core_reads_a_numbered_review_at_the_year_it_renews():
    review = recognitions.clean({"tier_code": "little_giant", "batch_label": "第二批",
                                 "is_review": True})
    assert (review["batch_year"], review["valid_until"]) == (2023, dt.date(2026, 12, 31))
    new = recognitions.clean({"tier_code": "little_giant", "batch_label": "第二批"})
    assert (new["batch_year"], new["valid_until"]) == (2020, dt.date(2023, 12, 31))
    given = recognitions.clean({"tier_code": "little_giant", "batch_label": "第二批",
                                "is_review": True, "batch_year": 2026})
    assert given["batch_year"] == 2026


def test_a_second_batch_review_list_is_the_2023_renewal(database, tmp_path):
    firm = _firm(database)
    path = _list(tmp_path)
    plan = _plan(database, path, dt.date(2026, 6, 1))
    assert detect(open_source(path)).metadata.year == 2023  # the wizard's 年度 field
    assert plan.metadata["batch_year"] == 2023  # as the preview shows it
    values = by_row(plan)[3].records[0].values
    assert (values["batch_label"], values["batch_year"], values["valid_until"],
            values["review_of_batch"]) == ("第二批", 2023, dt.date(2026, 12, 31), "第二批")
    said = [p.message for p in plan.all_problems() if p.hint_field == "year"]
    assert len(said) == 1 and "2023 年复核" in said[0] and "已过" not in said[0], said
    import_file(database, path)
    with database.session() as session:
        title = session.query(Recognition).filter_by(enterprise_id=firm).one()
        assert ladder.status_of(valid_until=title.valid_until, revoked_on=None,
                                today=dt.date(2026, 6, 1), tier_code=title.tier_code,
                                batch_year=title.batch_year) == ladder.VALID


def test_a_reading_that_leaves_the_title_run_out_asks_for_the_year(database, tmp_path):
    """Read in 2027, 第二批's 2023 renewal has run out too: the list may be a later round's
    — asked, not recorded silently; the year the officer gives settles it."""
    _firm(database)
    path = _list(tmp_path)
    asked = _asked(_plan(database, path, dt.date(2027, 3, 1)))
    assert len(asked) == 1 and "已过" in asked[0].message and "请核对" in asked[0].message
    assert asked[0].row is None and "第 3 行" in asked[0].message
    plan = _plan(database, path, dt.date(2027, 3, 1), batch_year=2026)
    assert not _asked(plan)
    assert by_row(plan)[3].records[0].values["valid_until"] == dt.date(2029, 12, 31)


def test_a_review_list_with_its_year_is_not_asked_about(database, tmp_path):
    _firm(database)
    path = _list(tmp_path, "2023年第二批专精特新“小巨人”企业复核通过名单")
    plan = _plan(database, path, dt.date(2026, 6, 1))
    assert not [p for p in plan.all_problems() if p.hint_field == "year"]
    assert by_row(plan)[3].records[0].values["valid_until"] == dt.date(2026, 12, 31)
