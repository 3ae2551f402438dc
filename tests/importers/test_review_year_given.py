"""A 复核 list imported with the reviewed batch's own year (tester27b: the 第二批 小巨人 list,
then “第二批…复核通过名单” with --year 2020, or 2020 in the wizard's 年度) matched the firm's
2020 第二批 title by (tier, batch, year) and turned it into a 复核 (“复核：否 → 是”); 更正复核
年度 then moved it to 2023 and the 2020 title was gone. A 复核 row never matches a title that
is no 复核, and a 复核 given its batch's own year (ladder.misdated_review_year) is recorded at
its round's year (2023), said in the preview, beside the title kept."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from importers.plan.preview import content_lines
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, plan_file, undo, write_xlsx
from tiers.model.orm import Recognition
from tiers.services import bulk, enterprises, recognitions

HEADER = ["序号", "企业名称", "统一社会信用代码"]
NAMES = ["溧阳市合金汽配有限公司", "常州市金坛新能智能有限公司"]


def _firms(database) -> list[int]:
    with database.session() as session:
        return [enterprises.create(session, {"credit_code": make_code(i + 1), "name": name}).id
                for i, name in enumerate(NAMES)]


def _list(tmp_path, title: str, *, year_cells: list | None = None):
    header = HEADER + (["认定年度"] if year_cells is not None else [])
    rows = [[i + 1, name, make_code(i + 1), *([year_cells[i]] if year_cells else [])]
            for i, name in enumerate(NAMES)]
    return write_xlsx(tmp_path / f"{title[:12]}.xlsx", {"Sheet1": [[title], header, *rows]})


def _titles(database, firm):
    with database.session() as session:
        return [(r.is_review, r.batch_label, r.batch_year, r.valid_until) for r in session.scalars(
            select(Recognition).where(Recognition.enterprise_id == firm)
            .order_by(Recognition.is_review, Recognition.id))]


TITLE_2020 = (False, "第二批", 2020, dt.date(2023, 12, 31))
REVIEW_2023 = (True, "第二批", 2023, dt.date(2026, 12, 31))


def test_a_review_list_given_the_batchs_own_year_keeps_the_title_and_adds_the_review(
        database, tmp_path):
    """The tester's case: the 第二批 list, then its 复核 list with --year 2020."""
    firms = _firms(database)
    import_file(database, _list(tmp_path, "第二批专精特新“小巨人”企业名单"))
    assert _titles(database, firms[0]) == [TITLE_2020]
    review_list = _list(tmp_path, "第二批专精特新“小巨人”企业复核通过名单")
    plan = plan_file(database, review_list, batch_year=2020)
    row = by_row(plan)[3]
    [record] = row.records
    assert (record.action, record.record_id) == ("create", None), content_lines(row)
    assert record.values["is_review"] and record.values["batch_year"] == 2023
    assert record.values["valid_until"] == dt.date(2026, 12, 31)
    assert not any("复核：否 → 是" in line for line in content_lines(row))
    said = [p for p in plan.all_problems() if "本身的年度" in p.message]
    assert len(said) == 1, plan.all_problems()
    assert said[0].severity == "warning" and said[0].hint_field == "year"
    assert said[0].message.startswith("指定的年度 2020 是所复核批次（第二批）本身的年度")
    assert "记为 2023 年复核通过" in said[0].message and "共 2 行" in said[0].message
    _, batch = import_file(database, review_list, batch_year=2020)
    for firm in firms:
        assert _titles(database, firm) == [TITLE_2020, REVIEW_2023]
    undo(database, batch)  # the 复核 goes, the title stays as it was
    for firm in firms:
        assert _titles(database, firm) == [TITLE_2020]


def test_a_year_cell_of_the_batchs_own_year_is_warned_at_the_cell(database, tmp_path):
    firms = _firms(database)
    import_file(database, _list(tmp_path, "第二批专精特新“小巨人”企业名单"))
    review_list = _list(tmp_path, "第二批专精特新“小巨人”企业复核通过名单",
                        year_cells=[2020, 2023])
    plan = plan_file(database, review_list)
    warned = [p for p in by_row(plan)[3].problems if "本身的年度" in p.message]
    assert [(p.row, p.column, p.severity) for p in warned] == [(3, "D", "warning")]
    assert not [p for p in by_row(plan)[4].problems if "本身的年度" in p.message]
    import_file(database, review_list)
    for firm in firms:
        assert _titles(database, firm) == [TITLE_2020, REVIEW_2023]


def test_a_review_row_never_turns_a_title_of_its_key_into_a_review(database, tmp_path):
    """A yearly tier's 复核 list names its round's year (2025年度…复核, not misdated): a
    firm holding a 2025年度 title of its own keeps it, the 复核 is another record."""
    firms = _firms(database)
    with database.session() as session:
        recognitions.add(session, firms[0], {"tier_code": "zjtx", "batch_label": "2025年度",
                                             "batch_year": 2025})
    plan = plan_file(database, _list(tmp_path, "2025年度省级专精特新中小企业复核通过名单"))
    [record] = by_row(plan)[3].records
    assert record.action == "create" and record.values["is_review"]
    import_file(database, _list(tmp_path, "2025年度省级专精特新中小企业复核通过名单"))
    assert [(r[0], r[2]) for r in _titles(database, firms[0])] == [(False, 2025), (True, 2025)]


def test_the_title_list_adds_the_title_beside_a_review_misdated_to_its_year(
        database, tmp_path):
    """The other way round: a 复核 misdated to 2020 (an old import) is no 2020 title, so the
    第二批 list itself adds the title rather than finding its row 无变化."""
    firms = _firms(database)
    with database.session() as session:
        recognitions.add(session, firms[0], {
            "tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
            "is_review": True, "review_of_batch": "第二批"})
    plan = plan_file(database, _list(tmp_path, "第二批专精特新“小巨人”企业名单"))
    [record] = by_row(plan)[3].records
    assert record.action == "create" and not record.values["is_review"]
    import_file(database, _list(tmp_path, "第二批专精特新“小巨人”企业名单"))
    assert [(r[0], r[2]) for r in _titles(database, firms[0])] == [(False, 2020), (True, 2020)]


def test_bulk_review_in_the_batchs_own_year_is_refused_per_firm(database, tmp_path):
    """批量 标记复核通过 with 2020 for a 2020 title: skipped, nothing written."""
    firms = _firms(database)
    import_file(database, _list(tmp_path, "第二批专精特新“小巨人”企业名单"))
    values = {"tier_code": "专精特新“小巨人”企业", "batch_year": 2020}
    with database.session() as session:
        draft = bulk.preview(session, "review", firms, values)
    assert {item.skip for item in draft.items} == {"已有2020年或更晚的专精特新“小巨人”企业认定"}
    for firm in firms:
        assert _titles(database, firm) == [TITLE_2020]


def test_a_review_row_of_the_firms_own_batch_and_year_is_told_without_a_reviewed_batch(
        database, tmp_path):
    """A list with 复核 and 认定批次 columns, naming no 复核批次: a row “第二批, 2020, 复核”
    for a firm holding the 第二批 2020 title is a 复核 of that title, so its year is the
    round's. (A 复核 listed under its round's batch — Tiers's roster's “第八批（2026年）
    复核” of a 第五批 title — is not such a row: test_own_reports reads it back unchanged.)"""
    firms = _firms(database)
    import_file(database, _list(tmp_path, "第二批专精特新“小巨人”企业名单"))
    path = write_xlsx(tmp_path / "县里汇总.xlsx", {"Sheet1": [
        ["专精特新“小巨人”企业"], ["企业名称", "统一社会信用代码", "认定批次", "认定年度", "是否复核"],
        [NAMES[0], make_code(1), "第二批", 2020, "是"]]})
    plan = plan_file(database, path)
    [record] = by_row(plan)[3].records
    assert record.action == "create" and record.values["batch_year"] == 2023
    assert [(p.column, p.severity) for p in by_row(plan)[3].problems
            if "本身的年度" in p.message] == [("D", "warning")]
    import_file(database, path)
    assert _titles(database, firms[0]) == [TITLE_2020, REVIEW_2023]
