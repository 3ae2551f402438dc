"""导入数据包's preview names the firms and records it adds, as it names those it updates and
deletes (扶持措施 新增 2 said neither which firms nor what: tester29): the core's words
(tiers.exchange.additions), cut like the other lists, in the past tense once imported."""

from __future__ import annotations

import datetime as dt

from tiers.exchange import PackageResult
from ui.package_import_dialog import PackageImportDialog

ZERO = dict.fromkeys(("enterprises", "recognitions", "support_measures"), 0)


def _result(**given) -> PackageResult:
    return PackageResult(
        file="新北区数据包.zip", source_unit="新北区工信局",
        counties=[{"code": "320411", "name": "新北区"}], package_date=dt.datetime(2026, 12, 7),
        **{"created": ZERO, "updated": ZERO, "deleted": ZERO, "unchanged": ZERO, **given})


def test_the_new_records_are_named_beside_the_updates(qtbot, database, settings, runner):
    dialog = PackageImportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    result = _result(
        created={**ZERO, "support_measures": 2}, updated={**ZERO, "recognitions": 1},
        values_updated=1, updated_values=["新北大新电气集团有限公司：认定 文号 甲 → 乙"],
        created_records=["常州恒华纺织有限公司：扶持措施“认定奖励 2026年” 20 万元",
                         "常州宏方传感技术股份有限公司：扶持措施“研发补助 2026年” 5 万元"])
    dialog.show_result(result)
    lines = dialog.notes.toPlainText().splitlines()
    at = lines.index("将新增的记录（共 2 项）：")
    assert lines[at + 1:at + 3] == ["　常州恒华纺织有限公司：扶持措施“认定奖励 2026年” 20 万元",
                                    "　常州宏方传感技术股份有限公司：扶持措施“研发补助 2026年” 5 万元"]
    assert "将更新的值（共 1 项）：" in lines  # (beside, not instead)
    result.batch_id = 9
    dialog.show_result(result, done=True)
    notes = dialog.notes.toPlainText()
    assert "已新增的记录（共 2 项）：" in notes and "将" not in notes


def test_a_first_package_says_only_new_then_names_them_cut(qtbot, database, settings, runner):
    """A county's first package: 将只新增… first, then the firms (50 named, 等 N 家) and
    the core's 200 records (……另有 N 项)."""
    dialog = PackageImportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    records = [f"常州{number}公司：认定“创新型中小企业 2025年度”" for number in range(200)]
    result = _result(created={**ZERO, "enterprises": 300, "recognitions": 450},
                     created_firms=[f"常州{number}公司" for number in range(200)],
                     created_records=records)
    dialog.show_result(result)
    lines = dialog.notes.toPlainText().splitlines()
    assert lines[0].startswith("将只新增上表所列的企业与记录")
    assert lines[1].startswith("将新增的企业（300 家）：常州0公司、")
    assert lines[1].endswith("常州49公司 等 300 家")
    assert lines[2] == "将新增的记录（共 450 项）："
    assert lines[3] == "　" + records[0] and lines[202] == "　" + records[199]
    assert lines[203] == "　……另有 250 项"
    result.batch_id = 3
    dialog.show_result(result, done=True)
    lines = dialog.notes.toPlainText().splitlines()
    assert lines[0].startswith("已新增上表所列的企业与记录")
    assert lines[1].startswith("已新增的企业（300 家）：")
