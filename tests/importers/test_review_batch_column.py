"""A 复核 list's own 复核批次 column: officers' lists often carry one (复核批次, 复核年度,
原认定批次), and no header named the field, so the column was left out and 复核批次 was
guessed from the firm's titles (or left blank for a numbered tier whose round reviews more
than one batch). The column now fills it: the list's own words first (the core's
reviewed_batch keeps them), a bare year read as 2022年度, and a row naming the batch it
re-examines is a 复核 pass even where the title reads the list as new firms."""

from __future__ import annotations

import openpyxl
from sqlalchemy import select

from importers import open_source
from importers.columns import match_header
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, plan_file
from tiers.model.orm import Recognition


def _openpyxl_xlsx(path, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "附件"
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _stored(database):
    with database.session() as session:
        return {(name_id, is_review, of) for name_id, is_review, of in session.execute(
            select(Recognition.enterprise_id, Recognition.is_review,
                   Recognition.review_of_batch))}


def test_the_headers_name_the_reviewed_batch():
    for header in ("复核批次", "复核年度", "原认定批次", "原认定年度", "被复核批次", "复 核 批 次"):
        assert match_header(header) == ("review_of_batch", None), header
    # those of the batch itself stay theirs
    assert match_header("认定批次")[0] == "batch_label"
    assert match_header("认定年度")[0] == "batch_year"


def test_a_numbered_review_list_takes_each_rows_batch(database, tmp_path):
    """小巨人's 2026 round reviews 第五批 and 第二批复核 alike, the firms not on file: the
    column says which, where Tiers could only leave it blank."""
    path = _openpyxl_xlsx(tmp_path / "复核.xlsx", [
        ["2026年专精特新“小巨人”企业复核通过名单"],
        ["序号", "企业名称", "统一社会信用代码", "复核批次"],
        [1, "常州创天新材料有限公司", make_code(1), "第五批"],
        [2, "常州合海环保设备科技有限公司", make_code(2), "第二批复核"],
        [3, "常州新来科技有限公司", make_code(3), None]])
    plan = plan_file(database, path)
    rows = by_row(plan)
    values = [rows[n].records[0].values for n in (3, 4, 5)]
    assert [v["review_of_batch"] for v in values] == ["第五批", "第二批复核", ""]
    assert all(v["is_review"] for v in values)
    import_file(database, path)
    assert sorted(of for _firm, _review, of in _stored(database)) == ["", "第二批复核", "第五批"]


def test_a_gbk_csv_with_a_year_column(database, tmp_path):
    """A CSV saved by WPS (GBK) with 复核年度 as a bare year; no title, no 复核 column: the
    rows that name the year reviewed are 复核 passes, the one that does not is new."""
    text = ("企业名称,统一社会信用代码,梯度层级,认定年度,复核年度\n"
            f"常州创天新材料有限公司,{make_code(1)},创新型中小企业,2025,2022\n"
            f"常州合海环保设备科技有限公司,{make_code(2)},创新型中小企业,2025,2022年\n"
            f"常州新来科技有限公司,{make_code(3)},创新型中小企业,2025,\n")
    path = tmp_path / "名单.csv"  # (not 复核.csv: a file so named is a 复核 list)
    path.write_bytes(text.encode("gbk"))
    assert open_source(path).encoding == "gbk"
    rows = by_row(plan_file(database, path))
    given = [(rows[n].records[0].values["is_review"],
              rows[n].records[0].values["review_of_batch"]) for n in (2, 3, 4)]
    assert given == [(True, "2022年度"), (True, "2022年度"), (False, "")]
    import_file(database, path)
    assert sorted((review, of) for _firm, review, of in _stored(database)) == [
        (False, ""), (True, "2022年度"), (True, "2022年度")]


def test_a_title_of_new_and_reviewed_firms_tells_them_apart_by_the_column(database, tmp_path):
    """A title naming 第五批 and 第二批复核 together was read as new firms (the warning asks
    for a 复核 column): a 复核批次 column is one."""
    path = _openpyxl_xlsx(tmp_path / "名单.xlsx", [
        ["江苏省第五批专精特新“小巨人”企业和第二批专精特新“小巨人”复核通过企业名单"],
        ["序号", "企业名称", "统一社会信用代码", "复核批次"],
        [1, "常州创天新材料有限公司", make_code(1), None],
        [2, "常州合海环保设备科技有限公司", make_code(2), "第二批"]])
    rows = by_row(plan_file(database, path))
    assert (rows[3].records[0].values["is_review"],
            rows[3].records[0].values["review_of_batch"]) == (False, "")
    assert (rows[4].records[0].values["is_review"],
            rows[4].records[0].values["review_of_batch"]) == (True, "第二批")


def test_the_column_corrects_a_recorded_batch(database, tmp_path):
    """Imported again with the column, a 复核 recorded with the guessed (blank) batch takes
    the list's: shown as an update of 复核批次."""
    rows = [["2026年专精特新“小巨人”企业复核通过名单"],
            ["序号", "企业名称", "统一社会信用代码"],
            [1, "常州创天新材料有限公司", make_code(1)]]
    import_file(database, _openpyxl_xlsx(tmp_path / "a.xlsx", rows))
    rows[1].append("复核批次")
    rows[2].append("第五批")
    plan = plan_file(database, _openpyxl_xlsx(tmp_path / "b.xlsx", rows))
    changes = [(c.field, c.old, c.new) for row in plan.rows for record in row.records
               for c in record.changes]
    assert changes == [("review_of_batch", "", "第五批")]


def test_an_earlier_titles_batch_on_a_new_list_is_no_review(database, tmp_path):
    """A new 小巨人 list (its title says nothing of 复核) with a 原认定批次 column, the year
    of the 省专精特新 each firm came from: its rows are new titles, not 复核 passes (each was
    recorded as a 复核 of that batch, its 有效期 worked out from a title it did not renew)."""
    path = _openpyxl_xlsx(tmp_path / "第七批.xlsx", [
        ["第七批专精特新“小巨人”企业名单"],
        ["序号", "企业名称", "统一社会信用代码", "原认定批次"],
        [1, "常州创天新材料有限公司", make_code(1), "2022年度"],
        [2, "常州合海环保设备科技有限公司", make_code(2), "2023年度"]])
    rows = by_row(plan_file(database, path))
    given = [(rows[n].records[0].values["is_review"],
              rows[n].records[0].values["review_of_batch"]) for n in (3, 4)]
    assert given == [(False, ""), (False, "")]
    # the same header on a list whose title is a 复核 list is the batch re-examined
    path = _openpyxl_xlsx(tmp_path / "复核.xlsx", [
        ["2026年专精特新“小巨人”企业复核通过名单"],
        ["序号", "企业名称", "统一社会信用代码", "原认定批次"],
        [1, "常州创天新材料有限公司", make_code(1), "第五批"]])
    values = by_row(plan_file(database, path))[3].records[0].values
    assert (values["is_review"], values["review_of_batch"]) == (True, "第五批")
