"""The columns saved for a header layout are saved per kind: a sheet taken as another kind
than the one its saved columns are of is mapped from its headers again, or with the columns
saved for that kind (tester30: a 扶持措施 list imported once as 企业名录 kept its measure
columns 不导入 when taken as 扶持措施, and every row failed 措施类别不能为空)."""

from __future__ import annotations

import json

from importers import columns, detect, open_source, remember_mapping
from importers.plan import ERROR
from tests.conftest import make_code
from tests.importers.helpers import plan_file, write_xlsx
from tiers.services import enterprises

HEADERS = ["企业名称", "统一社会信用代码", "措施类别", "项目名称", "金额", "年度", "实施单位"]
SUPPORT = {0: "name", 1: "credit_code", 2: "measure_kind", 3: "measure_name", 4: "amount",
           5: "year", 6: "implementer"}
ROSTER = {0: "name", 1: "credit_code", 2: "", 3: "", 4: "", 5: "year", 6: ""}


def _support_list(tmp_path):
    return write_xlsx(tmp_path / "扶持.xlsx", {"明细": [
        HEADERS, ["甲有限公司", make_code(41), "资金奖励", "智改数转", 20, 2025, "吴中区工信局"]]})


def test_another_kind_than_the_saved_columns_is_matched_from_the_headers(database, tmp_path):
    path = _support_list(tmp_path)
    first = detect(open_source(path))
    assert first.kind == "support" and not first.remembered
    remember_mapping(first.headers, ROSTER, kind="roster")  # imported as 企业名录
    again = detect(open_source(path))
    assert again.remembered and again.kind == "roster" and again.mapping[2] == ""
    support = again.with_options(kind="support")
    assert support.mapping == SUPPORT and not support.remembered
    assert support.with_options(kind="roster").mapping == ROSTER  # (its saved columns)
    # planned as 扶持措施: the rows read their 措施类别
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(41), "name": "甲有限公司"})
    plan = plan_file(database, path, kind="support")
    assert [row.action for row in plan.rows if row.action == ERROR] == []
    assert plan.rows[0].records and plan.writes


def test_each_kinds_saved_columns_are_kept(tmp_path):
    path = _support_list(tmp_path)
    headers = detect(open_source(path)).headers
    remember_mapping(headers, ROSTER, kind="roster")
    corrected = {**SUPPORT, 6: ""}  # 实施单位 not imported
    remember_mapping(headers, corrected, kind="support")
    assert columns.recall_mapping(headers, "roster") == ROSTER
    assert columns.recall_mapping(headers, "support") == corrected
    assert columns.recall_mapping(headers, "figures") is None
    again = detect(open_source(path))  # the last saved, with its kind
    assert again.kind == "support" and again.mapping == corrected
    roster = again.with_options(kind="roster")
    assert roster.mapping == ROSTER and roster.remembered
    assert roster.with_options(kind="support").mapping == corrected


def test_columns_saved_without_their_kind_are_the_detected_kinds(tmp_path):
    """A mapping saved before the kind was kept with it: the kind detected with it has it,
    another kind is matched from the headers."""
    path = _support_list(tmp_path)
    headers = detect(open_source(path)).headers
    remember_mapping(headers, ROSTER)
    saved = json.loads(columns.mappings_path().read_text(encoding="utf-8"))
    assert all("kinds" not in entry for entry in saved.values())
    again = detect(open_source(path))
    assert again.remembered and again.kind == "roster"
    assert again.with_options(kind="support").mapping == SUPPORT
    assert again.with_options(kind="support").with_options(kind="roster").mapping == ROSTER


def test_columns_saved_without_their_kind_outlast_the_first_save_with_a_kind(tmp_path):
    """The columns the previous version saved (no kind) are filed under the kind they read
    as when this version first saves another kind's: not lost to every kind."""
    path = _support_list(tmp_path)
    headers = detect(open_source(path)).headers
    remember_mapping(headers, ROSTER)  # by the previous version: mapping, no kinds
    remember_mapping(headers, SUPPORT, kind="support")
    assert columns.recall_mapping(headers, "roster") == ROSTER
    assert columns.recall_mapping(headers, "support") == SUPPORT
    again = detect(open_source(path))
    assert again.kind == "support" and again.mapping == SUPPORT
    roster = again.with_options(kind="roster")
    assert roster.mapping == ROSTER and roster.remembered


def test_columns_saved_without_their_kind_of_the_same_kind_are_replaced(tmp_path):
    path = _support_list(tmp_path)
    headers = detect(open_source(path)).headers
    remember_mapping(headers, SUPPORT)  # a 扶持措施 list's, by the previous version
    corrected = {**SUPPORT, 6: ""}
    remember_mapping(headers, corrected, kind="support")
    saved = json.loads(columns.mappings_path().read_text(encoding="utf-8"))
    assert [entry["kinds"] for entry in saved.values()] == [
        {"support": {str(i): k for i, k in corrected.items()}}]


def test_a_save_without_a_kind_keeps_the_kinds_saved(tmp_path):
    path = _support_list(tmp_path)
    headers = detect(open_source(path)).headers
    remember_mapping(headers, ROSTER, kind="roster")
    remember_mapping(headers, SUPPORT, kind="support")
    corrected = {**SUPPORT, 6: ""}
    remember_mapping(headers, corrected)
    assert columns.recall_mapping(headers, "roster") == ROSTER
    assert columns.recall_mapping(headers, "support") == SUPPORT
    assert columns.recalled_kind(headers) == "support"
    assert columns.recall_mapping(headers) == corrected


def test_the_officers_edits_are_laid_over_the_new_kinds_columns(tmp_path):
    """Columns the officer chose by hand before choosing another 导入类别: those of a field
    of the new kind are laid over its columns, and all of them come back with their kind."""
    detection = detect(open_source(_support_list(tmp_path)))
    assert detection.kind == "support"
    # under 扶持措施: 实施单位 not imported, 项目名称 taken as 联系人 (a 企业名录's field)
    edits = {"support": {6: None, 3: "contact_person"}}
    roster, saved = detection.mapping_of_kind("roster", edited=edits)
    assert not saved
    assert columns.fields()["contact_person"].kinds == ("roster",)
    assert roster[3] == "contact_person"  # a field of 企业名录: laid over
    assert roster[6] == SUPPORT[6]  # 不导入 was about 扶持措施's columns
    back, _ = detection.mapping_of_kind("support", edited=edits)
    assert back == {**SUPPORT, 6: "", 3: "contact_person"}
    switched = detection.with_options(kind="roster", edited=edits)
    assert switched.mapping[3] == "contact_person"
    # without edits, as before
    assert detection.with_options(kind="support").mapping == SUPPORT
