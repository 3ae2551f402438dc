"""文件 → 导出数据包 / 导入数据包 / 报送情况: a county's package written from the demo county,
previewed and imported into the city's database, then shown as sent."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.tiers.exchange_helpers import WUJIN, county_database
from tiers.exchange import export_package, read_package
from tiers.progress import drain
from tiers.storage.database import open_database
from ui.package_export_dialog import PackageExportDialog
from ui.package_import_dialog import PackageImportDialog
from ui.package_status_dialog import PackageStatusDialog


def test_export_one_county_import_it_at_the_city_and_see_it_sent(
        qtbot, demo_database, settings, runner, tmp_path, new_target):
    export = PackageExportDialog(demo_database, settings, runner)
    qtbot.addWidget(export)
    qtbot.waitUntil(lambda: export.counties.count() > 0 and export.export_button.isEnabled(),
                    timeout=10_000)
    for row in range(export.counties.count()):  # (the demo's three counties: none ticked)
        item = export.counties.item(row)
        item.setCheckState(Qt.Checked if item.data(Qt.UserRole) == "320412" else Qt.Unchecked)
    assert export.chosen_counties() == ["320412"]
    export.unit.setText("武进区工信局")
    target = tmp_path / "武进区.zip"
    export.path.setText(str(target))
    with qtbot.waitSignal(export.exported, timeout=30_000):
        export.export_button.click()
    assert read_package(target).county_codes == {"320412"}

    city = open_database(new_target("city.sqlite3"))
    try:
        dialog = PackageImportDialog(city, settings, runner, path=str(target))
        qtbot.addWidget(dialog)
        dialog.preview_button.click()
        qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=30_000)
        assert "武进区工信局" in dialog.heading.text()
        created = int(dialog.table.item(0, 0).text().replace(",", ""))
        assert created > 0
        assert dialog.notes.toPlainText().startswith("将只新增上表所列的企业与记录")
        with qtbot.waitSignal(dialog.imported, timeout=30_000):
            dialog.import_button.click()
        assert "已导入" in dialog.status.text()
        # said as done, under 导入结果 (将只新增… stayed, or the blank box's 将更新的值…)
        assert dialog.heading.text().startswith("导入结果（导入批次 ")
        assert dialog.notes.toPlainText().startswith("已新增上表所列的企业与记录")
        assert "将" not in dialog.notes.toPlainText()
        dialog.make_preview()  # the same package again: nothing to do
        qtbot.waitUntil(lambda: "没有需要导入的变化" in dialog.status.text(), timeout=30_000)
        assert not dialog.import_button.isEnabled()

        status = PackageStatusDialog(city, runner)
        qtbot.addWidget(status)
        qtbot.waitUntil(lambda: status.table.rowCount() > 0, timeout=10_000)
        rows = {status.table.item(r, 1).text(): status.table.item(r, 2).text()
                for r in range(status.table.rowCount())}
        assert rows["武进区"] == "已报送" and rows["溧阳市"] == "未报送"
        assert "常州市" in status.heading.text() and "溧阳市" in status.missing.text()
    finally:
        city.dispose()


def test_a_broken_package_is_told_in_the_dialog(qtbot, database, settings, runner, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_text("不是数据包", encoding="utf-8")
    dialog = PackageImportDialog(database, settings, runner, path=str(bad))
    qtbot.addWidget(dialog)
    dialog.make_preview()
    qtbot.waitUntil(lambda: "不是数据包" in dialog.status.text(), timeout=10_000)
    assert not dialog.import_button.isEnabled()


def test_the_package_is_named_after_the_counties_chosen(qtbot, demo_database, settings, runner):
    """The city receives a package from each county: 数据包-20261205.zip from all of them
    could not be told apart, so the suggested name says whose it is, until the officer
    names the file himself."""
    import datetime as dt
    from pathlib import Path

    export = PackageExportDialog(demo_database, settings, runner)
    qtbot.addWidget(export)
    qtbot.waitUntil(lambda: export.counties.count() == 3, timeout=10_000)
    today = f"{dt.date.today():%Y%m%d}"
    for row in range(export.counties.count()):  # (the demo's three counties: none ticked)
        item = export.counties.item(row)
        item.setCheckState(Qt.Checked if item.data(Qt.UserRole) == "320412" else Qt.Unchecked)
    assert Path(export.path.text()).name == f"武进区数据包-{today}.zip"
    export.counties.item(0).setCheckState(Qt.Checked)
    assert Path(export.path.text()).name.startswith("天宁区、武进区数据包-")
    export.path.setText("/tmp/报给市局.zip")
    export.counties.item(0).setCheckState(Qt.Unchecked)
    assert export.path.text() == "/tmp/报给市局.zip"  # the officer's own name is kept


def test_the_status_table_reads_like_a_table(qtbot, database, runner):
    """Counts and batch numbers right-aligned as numbers are; the unit's column takes the
    room left over (the table ended in a blank band, each column squeezed to its text)."""
    from PySide6.QtWidgets import QHeaderView

    from tiers.exchange import CountyStatus

    status = PackageStatusDialog(database, runner)
    qtbot.addWidget(status)
    qtbot.waitUntil(lambda: "正在读取" not in status.heading.text(), timeout=10_000)
    status.show_status(("320400", [
        CountyStatus(code="320412", name="武进区", sent=True, package_date=None,
                     applied_at=None, firms=1215, counts=None,
                     source_unit="常州市武进区工业和信息化局", batch_id=12, packages=1),
        CountyStatus(code="320411", name="新北区", sent=False, package_date=None,
                     applied_at=None, firms=None, counts=None, source_unit="", batch_id=None,
                     packages=0)]))
    firms, batch = status.table.item(0, 4), status.table.item(0, 6)
    assert firms.text() == "1,215" and batch.text() == "12"
    for item in (firms, batch):
        assert item.textAlignment() & Qt.AlignRight
    header = status.table.horizontalHeader()
    assert header.sectionResizeMode(5) == QHeaderView.Stretch


def test_the_preview_lists_the_records_that_will_disappear(qtbot, database, settings, runner):
    import datetime as dt

    from tiers.exchange import PackageResult

    dialog = PackageImportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    none = dict.fromkeys(("enterprises", "recognitions", "annual_figures"), 0)
    dialog.show_result(result := PackageResult(
        file="武进区数据包.zip", source_unit="武进区工信局",
        counties=[{"code": "320412", "name": "武进区"}], package_date=dt.datetime(2026, 12, 1),
        created=none, updated=none, unchanged=none,
        deleted={"enterprises": 1, "recognitions": 1, "annual_figures": 2},
        deleted_firms=["常州乙公司"],
        deleted_records=["常州甲公司：认定“省级专精特新中小企业 2024年度 第二批”",
                         "常州丙公司：年度数据“2023年”"]))
    notes = dialog.notes.toPlainText()
    assert "将移入回收站的企业（1 家）：常州乙公司" in notes
    assert "本库也将删除的记录（3 项）：" in notes
    assert "　常州甲公司：认定“省级专精特新中小企业 2024年度 第二批”" in notes
    assert "另有 1 项" in notes
    # once imported, the same lines say what was done
    result.batch_id = 7
    dialog.show_result(result, done=True)
    notes = dialog.notes.toPlainText()
    assert "已移入回收站的企业（1 家）：常州乙公司" in notes
    assert "本库也已删除的记录（3 项）：" in notes
    assert "将" not in notes and dialog.heading.text().startswith("导入结果（导入批次 7）")


def test_the_preview_counts_add_up_with_the_records_going_to_the_bin(
        qtbot, database, settings, runner):
    """A binned firm's records were in no column (认定 257 → 无变化 256, 删除 blank), and a
    blank cell looked unfilled: 0 is shown, and a column counts the records going with it."""
    import datetime as dt

    from tiers.exchange import PackageResult
    from ui.package_import_dialog import COLUMNS

    dialog = PackageImportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    zero = dict.fromkeys(("enterprises", "recognitions", "support_measures"), 0)
    binned = {"enterprises": 0, "recognitions": 1, "support_measures": 2}
    dialog.show_result(PackageResult(
        file="武进区数据包.zip", source_unit="武进区工信局",
        counties=[{"code": "320412", "name": "武进区"}], package_date=dt.datetime(2026, 12, 1),
        created=zero, updated=zero, unchanged={**zero, "recognitions": 256},
        deleted={**zero, "enterprises": 1}, binned=binned, deleted_firms=["常州乙公司"]))
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(len(COLUMNS))]
    column = headers.index("随企业移入回收站")
    assert not dialog.table.isColumnHidden(column)
    assert dialog.table.item(2, column).text() == "1"  # 认定
    assert dialog.table.item(2, headers.index("删除")).text() == "0"
    assert dialog.table.item(0, headers.index("更新")).text() == "0"
    assert "记录随企业移入回收站" in dialog.notes.toPlainText()
    assert "认定 1、扶持措施 2" in dialog.notes.toPlainText()
    dialog.show_result(PackageResult(
        file="武进区数据包.zip", source_unit="武进区工信局",
        counties=[{"code": "320412", "name": "武进区"}], package_date=dt.datetime(2026, 12, 1),
        created=zero, updated=zero, unchanged=zero, deleted=zero))
    assert dialog.table.isColumnHidden(column)  # none: not a column of zeros


def test_the_preview_table_fits_its_lines(qtbot, database, settings, runner):
    """Each table's line shown without scrolling, and no blank band under the last."""
    dialog = PackageImportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    last = table.rowViewportPosition(table.rowCount() - 1) + table.rowHeight(table.rowCount() - 1)
    assert table.verticalScrollBar().maximum() == 0
    assert table.viewport().height() - last <= 2


def test_a_long_preview_can_be_cancelled(qtbot, database, settings, runner, tmp_path,
                                         monkeypatch):
    """Reading and comparing a large county's package takes seconds: 取消 stops it between
    two of its tables (a county of 100,000 firms used to be read whole first, seconds
    during which 取消 did nothing), before the comparison, and nothing can be imported."""
    import threading

    import tiers.exchange.reader as reader
    import ui.package_import_dialog as module

    county = county_database(tmp_path / "county.sqlite3", enterprises=6)
    package = tmp_path / "大县.zip"
    with county.session() as session:
        drain(export_package(session, package, counties=[WUJIN]))
    county.dispose()
    reading, release, read = threading.Event(), threading.Event(), []
    whole_table = reader._table_parts

    def table(spec, data, **kwargs):
        read.append(spec.name)
        if len(read) == 1:  # the firms' table: the officer clicks 取消 meanwhile
            reading.set()
            release.wait(10)
        return whole_table(spec, data, **kwargs)

    monkeypatch.setattr(reader, "_table_parts", table)
    compared = []
    monkeypatch.setattr(module, "previewing_package",
                        lambda session, package, step: (compared.append(package), iter(()))[1])
    dialog = PackageImportDialog(database, settings, runner, path=str(package))
    qtbot.addWidget(dialog)
    dialog.make_preview()
    qtbot.waitUntil(reading.is_set, timeout=5_000)
    assert dialog.footer.cancel_button.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.footer.finished, timeout=5_000):  # (see test_collection_dialog)
        dialog.footer.cancel_button.click()
        release.set()
    assert "已取消" in dialog.status.text()
    assert read == ["enterprises"]  # none of the other six tables was read
    assert not compared and not dialog.import_button.isEnabled()


def test_the_preview_says_the_values_it_changes_the_citys_own_first(
        qtbot, settings, runner, tmp_path, new_target):
    """A county's newer package over a phone number the city corrected by hand: the
    dialog says so above the lines, and the city's line comes first, marked."""
    from sqlalchemy import select

    from tests.tiers.exchange_helpers import DAY, WUJIN, county_database, imported, sent
    from tiers.model.orm import Enterprise
    from tiers.services import enterprises
    from tiers.services.profile import save_profile

    county = county_database(new_target("county.sqlite3"), enterprises=30)
    city = open_database(new_target("city.sqlite3"))
    try:
        with county.session() as session:
            firms = session.execute(select(Enterprise.id, Enterprise.credit_code, Enterprise.name)
                                    .where(Enterprise.county_code == WUJIN)
                                    .order_by(Enterprise.id)).all()[:2]
        imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
        with city.session() as session:
            city_id = session.scalar(select(Enterprise.id).where(
                Enterprise.credit_code == firms[0].credit_code))
            save_profile(session, city_id, {"contact_phone": "0519-2222"}, user="市局")
            # and an address the county does not change: kept (a three-way merge)
            address = session.get(Enterprise, city_id).address
            save_profile(session, city_id, {"address": "常州市武进区湖塘镇XX路1号"}, user="市局")
        with county.session() as session:
            enterprises.update(session, firms[0].id, {"contact_phone": "0519-1111"})
            enterprises.update(session, firms[1].id, {"notes": "区县的备注"})
        newer = tmp_path / "wj2.zip"
        sent(county, newer, WUJIN, DAY.replace(day=2))
        dialog = PackageImportDialog(city, settings, runner, path=str(newer))
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.preview_button.click()
        qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=30_000)
        assert dialog.overwrites.isVisible()
        assert "本市修改过的 1 项值将被区县数据包的值覆盖" in dialog.overwrites.text()
        assert "导入记录" in dialog.overwrites.text()
        notes = dialog.notes.toPlainText().splitlines()
        # each group under a heading of its own, the counts adding up to the 2 values the
        # package changes (a new-user tester's finding: the city's line stood headless, and
        # 将更新的值（共 2 项） listed the one other)
        assert notes[0] == "本市和区县都修改过、以区县数据包为准的值（共 1 项）："
        assert notes[1] == (f"　本市和区县都修改过：{firms[0].name}：联系电话 0519-2222（本市） → "
                            "0519-1111（区县数据包）")
        assert dialog.kept.isVisible() and "有 1 项值本市修改过" in dialog.kept.text()
        assert notes[2:4] == ["保留本市修改的值（共 1 项）：",
                              f"　保留本市修改：{firms[0].name}：地址 常州市武进区湖塘镇XX路1号（本市）；"
                              f"区县数据包仍为{address or '（空）'}"]
        assert "其他将更新的值（共 1 项）：" in notes
        assert f"　{firms[1].name}：备注 （空） → 区县的备注" in notes
        previewed = dialog.notes.toPlainText()

        # imported: the same lines stay (they showed only the kept values), said as done
        # (they kept 将被…覆盖, 其他将更新的值 after the import had finished), and 导入记录's
        # 结果 says the city's values kept
        dialog.import_button.click()
        qtbot.waitUntil(lambda: "已导入" in dialog.status.text(), timeout=30_000)
        done = dialog.notes.toPlainText()
        assert done == (previewed
                        .replace("、以区县数据包为准的值", "、已按区县数据包更新的值")
                        .replace("保留本市修改的值（", "已保留的本市修改的值（")
                        .replace("其他将更新的值", "其他已更新的值"))
        words = (dialog.heading.text(), dialog.overwrites.text(), dialog.kept.text(), done)
        assert dialog.heading.text().startswith("导入结果（导入批次 ")
        assert "本市修改过的 1 项值已被区县数据包的值覆盖" in dialog.overwrites.text()
        assert "已保留本市的值，未覆盖" in dialog.kept.text()
        assert not any("将" in text for text in words), words
        from tiers.queries.imports import import_batches
        from tiers.text.counts import counts_text
        with city.session() as session:
            newest = import_batches(session)[0]
        assert "保留本市修改 1 项" in counts_text(newest["counts"])
    finally:
        city.dispose()
        county.dispose()


def test_a_long_list_of_updates_scrolls_inside_the_dialog(qtbot, database, settings, runner):
    import datetime as dt

    from tiers.exchange import PackageResult

    dialog = PackageImportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    height = dialog.height()
    none = dict.fromkeys(("enterprises",), 0)
    dialog.show_result(PackageResult(
        file="武进区数据包.zip", source_unit="武进区工信局",
        counties=[{"code": "320412", "name": "武进区"}], package_date=dt.datetime(2026, 12, 1),
        created=none, deleted=none, unchanged=none, updated={"enterprises": 450},
        updated_values=[f"常州{n}公司：联系电话 1 → 2" for n in range(200)], values_updated=450,
        city_edits_overwritten=0))
    qtbot.waitUntil(lambda: dialog.notes.verticalScrollBar().maximum() > 0, timeout=5_000)
    assert dialog.height() == height and not dialog.overwrites.isVisible()
    assert dialog.notes.toPlainText().splitlines()[-1] == "　……另有 250 项"


def test_the_status_of_an_earlier_year(qtbot, runner, tmp_path):
    """报送情况 can look back at last year's round (in January, the one being closed): its
    年度 (Alt+Y) reads the counties again as of that year."""
    import datetime as dt

    from tests.tiers.exchange_helpers import imported, sent

    county = county_database(tmp_path / "county.sqlite3", enterprises=8)
    package = sent(county, tmp_path / "武进区.zip", WUJIN, dt.datetime(2025, 11, 20, 9, 0))
    county.dispose()
    city = open_database(tmp_path / "city.sqlite3")
    imported(city, package)
    try:
        status = PackageStatusDialog(city, runner)
        qtbot.addWidget(status)

        def wujin() -> str:
            return next(status.table.item(r, 2).text() for r in range(status.table.rowCount())
                        if status.table.item(r, 1).text() == "武进区")

        this_year = dt.date.today().year
        qtbot.waitUntil(lambda: status.table.rowCount() > 0, timeout=10_000)
        assert wujin() == "往年报送" and f"{this_year} 年" in status.heading.text()
        status.year.setValue(2025)
        qtbot.waitUntil(lambda: "2025 年" in status.heading.text(), timeout=10_000)
        assert wujin() == "已报送"
        assert status.missing.text().startswith("2025 年尚未报送：")
        assert "武进区" not in status.missing.text() and "溧阳市" in status.missing.text()
    finally:
        city.dispose()


def test_the_status_in_a_county_database_says_it_is_the_citys_view(qtbot, runner, tmp_path):
    """A county's own database listed its own county as 未报送 with no word why."""
    county = county_database(tmp_path / "county.sqlite3", enterprises=8)
    try:
        status = PackageStatusDialog(county, runner)
        qtbot.addWidget(status)
        qtbot.waitUntil(lambda: status.table.rowCount() > 0, timeout=10_000)
        assert "本库还没有导入过任何区县的数据包" in status.missing.text()
        assert "区县库" in status.missing.text()
    finally:
        county.dispose()


def test_a_newer_package_that_changes_nothing_can_be_recorded_as_sent(
        qtbot, settings, runner, tmp_path):
    """导入数据包 of a county's newer package that changes nothing here: 导入 stays open and
    says it only records the package as sent (it said 没有需要导入的变化 and 报送情况 kept
    the county as not having sent this year)."""
    import datetime as dt

    from tests.tiers.exchange_helpers import imported, sent

    county = county_database(tmp_path / "county.sqlite3", enterprises=6)
    imported_first = sent(county, tmp_path / "武进区1.zip", WUJIN, dt.datetime(2025, 12, 20))
    sent(county, tmp_path / "武进区2.zip", WUJIN, dt.datetime(2026, 1, 5))
    county.dispose()
    city = open_database(tmp_path / "city.sqlite3")
    imported(city, imported_first)
    try:
        dialog = PackageImportDialog(city, settings, runner, path=str(tmp_path / "武进区2.zip"))
        qtbot.addWidget(dialog)
        dialog.make_preview()
        qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
        assert "只登记这次报送" in dialog.status.text()
        assert "将只新增" not in dialog.notes.toPlainText()
        with qtbot.waitSignal(dialog.imported, timeout=10_000):
            dialog.import_button.click()
        assert "已导入" in dialog.status.text()
        # the empty box's hint (将更新的值…显示在这里) is not what is left after it
        assert dialog.notes.toPlainText().startswith("已登记这次报送")
    finally:
        city.dispose()


def test_a_newer_package_that_only_keeps_the_citys_edits_says_so(qtbot, settings, runner,
                                                                 tmp_path):
    """The newer package differs only where the city corrected a value the county did not:
    the status line says all but the values kept is as it is here."""
    import datetime as dt

    from sqlalchemy import select

    from tests.tiers.exchange_helpers import imported, sent
    from tiers.model.orm import Enterprise
    from tiers.services.profile import save_profile

    county = county_database(tmp_path / "county.sqlite3", enterprises=6)
    imported_first = sent(county, tmp_path / "武进区1.zip", WUJIN, dt.datetime(2025, 12, 20))
    sent(county, tmp_path / "武进区2.zip", WUJIN, dt.datetime(2026, 1, 5))
    county.dispose()
    city = open_database(tmp_path / "city.sqlite3")
    imported(city, imported_first)
    with city.session() as session:
        firm_id = session.scalars(select(Enterprise.id).order_by(Enterprise.id)).first()
        save_profile(session, firm_id, {"contact_phone": "0519-2222"}, user="市局")
    try:
        dialog = PackageImportDialog(city, settings, runner, path=str(tmp_path / "武进区2.zip"))
        qtbot.addWidget(dialog)
        dialog.make_preview()
        qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
        assert dialog.status.text().startswith("除保留的本市修改外，与库中一致；导入将只登记这次报送")
        assert "保留本市修改" in dialog.notes.toPlainText()
    finally:
        city.dispose()


def test_firms_named_are_cut_and_the_cut_is_said(qtbot, database, settings, runner):
    """The lines name 50 firms going to or leaving the recycle bin; past them 等 N 家, the
    count of those leaving it the core's (unbinned_count: its names stop at 200)."""
    import datetime as dt

    from tiers.exchange import PackageResult

    dialog = PackageImportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    none = {"enterprises": 0}
    dialog.show_result(PackageResult(
        file="武进区数据包.zip", source_unit="武进区工信局",
        counties=[{"code": "320412", "name": "武进区"}], package_date=dt.datetime(2026, 12, 1),
        created=none, updated={"enterprises": 250}, unchanged=none,
        deleted={"enterprises": 60},
        deleted_firms=[f"常州乙{number}公司" for number in range(60)],
        unbinned_firms=[f"常州甲{number}公司" for number in range(200)], unbinned_count=250))
    notes = dialog.notes.toPlainText().splitlines()
    [binned] = [line for line in notes if "将移入回收站的企业" in line]
    assert binned.startswith("该区县本次未再报送、将移入回收站的企业（60 家）：常州乙0公司、")
    assert binned.endswith("常州乙49公司 等 60 家")
    [unbinned] = [line for line in notes if "将移出回收站的企业" in line]
    assert unbinned.startswith("区县再次报送、将移出回收站的企业（250 家）：常州甲0公司、")
    assert unbinned.endswith("常州甲49公司 等 250 家")


def test_the_import_shows_the_previews_words_without_reading_them_again(
        qtbot, settings, runner, tmp_path, new_target, monkeypatch):
    """The window's import asks the core for no words (the preview's stand: the import
    checks it writes that preview), and its result still marks the firm the city had
    changed that went to the recycle bin, said as done."""
    from sqlalchemy import select

    from tests.tiers.exchange_helpers import DAY, WUJIN, county_database, imported, sent
    from tiers.exchange import apply
    from tiers.model.orm import Enterprise
    from tiers.services import enterprises
    from tiers.services.profile import save_profile

    calls: list[int] = []
    real = apply.in_words

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(apply, "in_words", counting)
    county = county_database(new_target("county.sqlite3"), enterprises=30)
    city = open_database(new_target("city.sqlite3"))
    try:
        imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
        with county.session() as session:
            gone = session.scalars(select(Enterprise).where(Enterprise.county_code == WUJIN)
                                   .order_by(Enterprise.id)).first()
            code, name = gone.credit_code, gone.name
            enterprises.soft_delete(session, gone.id)
        with city.session() as session:
            save_profile(session, session.scalar(select(Enterprise.id).where(
                Enterprise.credit_code == code)), {"contact_phone": "0519-2222"}, user="市局")
        newer = tmp_path / "wj2.zip"
        sent(county, newer, WUJIN, DAY.replace(day=2))
        calls.clear()
        dialog = PackageImportDialog(city, settings, runner, path=str(newer))
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.preview_button.click()
        qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=30_000)
        assert calls == [1]
        assert f"将移入回收站的企业（1 家）：{name}（本市修改过）" in dialog.notes.toPlainText()
        dialog.import_button.click()
        qtbot.waitUntil(lambda: "已导入" in dialog.status.text(), timeout=30_000)
        assert calls == [1]  # the import read none
        assert f"已移入回收站的企业（1 家）：{name}（本市修改过）" in dialog.notes.toPlainText()
        assert "已移入回收站的企业中有 1 家本市修改过" in dialog.overwrites.text()
        assert "将" not in dialog.overwrites.text() + dialog.notes.toPlainText()
    finally:
        city.dispose()
        county.dispose()


def test_a_county_only_another_unit_carried_is_flagged(qtbot, database, runner):
    """溧阳's firms came only in 金坛区's laptop's package under 常州市工业和信息化局: not shown
    as 已报送 like a county that reported itself (tester26)."""
    import datetime as dt

    from tiers.exchange import CountyStatus

    status = PackageStatusDialog(database, runner)
    qtbot.addWidget(status)
    qtbot.waitUntil(lambda: "正在读取" not in status.heading.text(), timeout=10_000)
    when = dt.datetime(dt.date.today().year, 3, 1, 9, 0)
    status.show_status(("320400", [
        CountyStatus(code="320413", name="金坛区", sent=True, package_date=when,
                     applied_at=when, firms=90, counts=None,
                     source_unit="常州市金坛区工业和信息化局", batch_id=1, packages=1),
        CountyStatus(code="320481", name="溧阳市", sent=True, package_date=when,
                     applied_at=when, firms=50, counts=None, source_unit="常州市工业和信息化局",
                     batch_id=1, packages=1, by_other_unit=True)]))
    assert status.table.item(0, 2).text() == "已报送"
    assert status.table.item(1, 2).text() == "他单位带来"
    assert "溧阳市：数据只来自“常州市工业和信息化局”的数据包（导入批次 1），不是溧阳市自己的单位报送的" \
        in status.missing.text()


def test_a_county_taken_over_is_said_above_the_table(qtbot, database, settings, runner):
    """溧阳's own package taking 溧阳 over from what 金坛区's laptop sent: said in red above
    the table, not as the last 注意 under 160 values (tester26)."""
    import datetime as dt

    from tiers.exchange import PackageResult

    dialog = PackageImportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    none = dict.fromkeys(("enterprises", "recognitions"), 0)
    takeover = "溧阳市的数据先前由“常州市工业和信息化局”的数据包（金坛区数据包-1.zip，导入批次 1，…）带来"
    dialog.show_result(PackageResult(
        file="溧阳市数据包-1.zip", source_unit="溧阳市工业和信息化局",
        counties=[{"code": "320481", "name": "溧阳市"}], package_date=dt.datetime(2026, 12, 7),
        created=none, updated={"enterprises": 50, "recognitions": 0}, deleted=none,
        unchanged=none, takeovers=[takeover], problems=["另一条说明"]))
    assert not dialog.overwrites.isHidden()
    assert dialog.overwrites.text().startswith(takeover)
    assert takeover not in dialog.notes.toPlainText()
    assert "注意：另一条说明" in dialog.notes.toPlainText()
