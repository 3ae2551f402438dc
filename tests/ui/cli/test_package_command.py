"""tiers package export / import / list."""

from __future__ import annotations

import json

import pytest

from tests.tiers.exchange_helpers import WUJIN, county_database
from ui.cli.main import main

KEYS = {"file", "source_unit", "counties", "package_date", "created", "updated", "deleted", "binned",
        "unchanged", "conflicts", "batch_id", "problems", "takeovers", "kept"}


def test_export_import_twice_list_and_undo(new_target, tmp_path, capsys):
    county = county_database(new_target("county.sqlite3"), enterprises=20)
    county.dispose()
    source = ["--db", str(county.path or county.engine.url.render_as_string(False))]
    city_target = new_target("city.sqlite3")
    city = ["--db", str(city_target)]
    package = tmp_path / "武进区.zip"
    assert main([*source, "package", "export", str(package), "--county", WUJIN,
                 "--unit", "武进区工信局"]) == 0
    assert "已导出数据包" in capsys.readouterr().out

    assert main([*city, "package", "import", str(package), "--dry-run", "--json"]) == 0
    preview = json.loads(capsys.readouterr().out)
    assert set(preview) == KEYS | {"updated_values", "values_updated", "city_edits_overwritten",
                                   "kept_values", "deleted_firms", "binned_city_edited",
                                   "unbinned_firms", "unbinned_count", "unbinned_city_binned",
                                   "created_firms", "created_records", "records_created",
                                   "lines"}
    assert preview["batch_id"] is None and preview["source_unit"] == "武进区工信局"
    assert preview["counties"] == [{"code": WUJIN, "name": "武进区"}]

    assert main([*city, "package", "import", str(package), "--json"]) == 0
    applied = json.loads(capsys.readouterr().out)
    assert applied["batch_id"] and applied["created"] == preview["created"]
    # the preview's words are not an import's (absent); its lines as printed are
    assert set(applied) == KEYS | {"lines"}
    assert applied["lines"][-1].startswith(f"已导入，批次 {applied['batch_id']}")

    assert main([*city, "package", "import", str(package)]) == 0
    again = capsys.readouterr().out
    assert "没有需要写入的变化" in again and "新增：无" in again

    assert main([*city, "package", "list", "--year", applied["package_date"][:4]]) == 0
    listing = capsys.readouterr().out
    assert "常州市" in listing and "武进区" in listing and "已报送" in listing
    assert "尚未报送" in listing and "溧阳市" in listing

    assert main([*city, "imports"]) == 0
    listing = capsys.readouterr().out
    assert "数据包" in listing
    # the counts in the words of 导入记录 (a package's per table), not a Python dict
    assert "{" not in listing and "'enterprises'" not in listing
    firms = applied["created"]["enterprises"]
    assert f"新增 {sum(applied['created'].values()):,}（其中企业 {firms:,} 家）" in listing
    assert main([*city, "undo-import", str(applied["batch_id"])]) == 0
    capsys.readouterr()
    assert main([*city, "package", "list", "--json"]) == 0
    lines = json.loads(capsys.readouterr().out)
    assert not any(line["sent"] for line in lines)


def test_a_broken_package_is_refused_in_chinese(tmp_path, db_target, capsys):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 not really")
    assert main(["--db", str(db_target), "package", "import", str(bad), "--json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out)["refused"]
    assert captured.err.startswith("错误：") and "Traceback" not in captured.err


def test_the_database_may_be_named_after_the_command(new_target, tmp_path, capsys):
    """tiers package list --db 市局.sqlite3 was refused (无法识别的参数) although README's
    server commands put --db there."""
    county = county_database(new_target("county.sqlite3"), enterprises=10)
    county.dispose()
    path = str(county.path or county.engine.url.render_as_string(False))
    package = tmp_path / "武进区.zip"
    assert main(["package", "export", str(package), "--county", WUJIN, "--db", path]) == 0
    city = str(new_target("city.sqlite3"))
    assert main(["package", "import", str(package), "--db", city]) == 0
    capsys.readouterr()
    assert main(["package", "list", "--db", city]) == 0
    assert "武进区" in capsys.readouterr().out


def test_a_dry_run_says_each_update_and_the_citys_edits_first(new_target, tmp_path, capsys):
    from sqlalchemy import select

    from tiers.model.orm import Enterprise
    from tiers.services import enterprises
    from tiers.services.profile import save_profile
    from tiers.storage.database import open_database

    county = county_database(new_target("county.sqlite3"), enterprises=20)
    with county.session() as session:
        firm_id, code, name = session.execute(
            select(Enterprise.id, Enterprise.credit_code, Enterprise.name)
            .where(Enterprise.county_code == WUJIN).order_by(Enterprise.id)).first()
    source = ["--db", str(county.path or county.engine.url.render_as_string(False))]
    city_target = new_target("city.sqlite3")
    city = ["--db", str(city_target)]
    first, second = tmp_path / "武进区1.zip", tmp_path / "武进区2.zip"
    assert main([*source, "package", "export", str(first), "--county", WUJIN]) == 0
    assert main([*city, "package", "import", str(first)]) == 0
    city_database = open_database(city_target)
    with city_database.session() as session:  # the city corrects the phone by hand
        city_id = session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code))
        save_profile(session, city_id, {"contact_phone": "0519-2222"}, user="市局")
        # and fills in an address the county never changes: kept (a three-way merge)
        address = session.get(Enterprise, city_id).address
        save_profile(session, city_id, {"address": "常州市武进区湖塘镇XX路1号"}, user="市局")
    city_database.dispose()
    with county.session() as session:
        enterprises.update(session, firm_id, {"contact_phone": "0519-1111"})
    county.dispose()
    assert main([*source, "package", "export", str(second), "--county", WUJIN]) == 0
    capsys.readouterr()
    assert main([*city, "package", "import", str(second), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "注意：本市修改过的 1 项值将被区县数据包的值覆盖" in out
    assert "将更新的值（1 项）：" in out
    assert f"  本市和区县都修改过：{name}：联系电话 0519-2222（本市） → 0519-1111（区县数据包）" in out
    assert main([*city, "package", "import", str(second), "--dry-run", "--json"]) == 0
    preview = json.loads(capsys.readouterr().out)
    assert preview["city_edits_overwritten"] == 1 and len(preview["updated_values"]) == 1
    assert preview["kept"] == 1 and len(preview["kept_values"]) == 1
    assert main([*city, "package", "import", str(second)]) == 0
    out = capsys.readouterr().out  # (done: said as done, the overwritten value too)
    assert "已保留的本市修改的值（1 项）：本市改过、区县数据包仍是上次报送的值，未覆盖" in out
    assert "注意：本市修改过的 1 项值已被区县数据包的值覆盖" in out
    assert f"  本市和区县都修改过：{name}：联系电话 0519-2222（本市） → 0519-1111（区县数据包）" in out
    assert (f"  保留本市修改：{name}：地址 常州市武进区湖塘镇XX路1号（本市）；"
            f"区县数据包仍为{address or '（空）'}") in out
    assert main([*city, "package", "import", str(second), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["kept"] == 1 and again["batch_id"] is None


@pytest.mark.parametrize("given", ["path", "sqlite url", "empty file"])
def test_a_package_refused_in_its_last_table_makes_no_new_database(new_target, tmp_path,
                                                                    capsys, given):
    """The import reads a package into an existing database while it writes; a database it
    would create (also one named by a sqlite:// address, or an empty file) is made only
    after the whole package has been read."""
    import hashlib
    import zipfile

    county = county_database(new_target("county.sqlite3"), enterprises=10)
    county.dispose()
    source = str(county.path or county.engine.url.render_as_string(False))
    good = tmp_path / "good.zip"
    assert main(["--db", source, "package", "export", str(good), "--county", WUJIN]) == 0
    with zipfile.ZipFile(good) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    lines = members["annual_figures.csv"].decode().splitlines(keepends=True)
    cells = lines[1].split(",")
    cells[2] = "一百"  # revenue
    lines[1] = ",".join(cells)
    members["annual_figures.csv"] = "".join(lines).encode()
    manifest = json.loads(members["manifest.json"])
    manifest["tables"]["annual_figures"]["sha256"] = hashlib.sha256(
        members["annual_figures.csv"]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    capsys.readouterr()
    target = tmp_path / "new-city.sqlite3"
    if given == "empty file":
        target.touch()
    address = f"sqlite:///{target}" if given == "sqlite url" else str(target)
    assert main(["--db", address, "package", "import", str(bad)]) == 2
    assert "annual_figures.csv 第 2 行第 C 列" in capsys.readouterr().err
    assert (target.stat().st_size == 0) if given == "empty file" else not target.exists()


def test_a_list_and_a_package_each_sent_to_its_own_command(new_target, tmp_path, capsys):
    """A workbook given to `package import`, a package given to `import`: refused (exit 2),
    each naming the command that takes it."""
    county = county_database(new_target("county.sqlite3"), enterprises=8)
    county.dispose()
    source = ["--db", str(county.path or county.engine.url.render_as_string(False))]
    package = tmp_path / "武进区.zip"
    assert main([*source, "package", "export", str(package), "--county", WUJIN]) == 0
    assert main([*source, "export", "roster", str(tmp_path / "名单.xlsx")]) == 0
    capsys.readouterr()
    city = ["--db", str(new_target("city.sqlite3"))]
    assert main([*city, "package", "import", str(tmp_path / "名单.xlsx"), "--dry-run"]) == 2
    said = capsys.readouterr().err
    assert "是 Excel 工作簿" in said and "tiers import" in said, said
    assert main([*city, "import", str(package), "--dry-run"]) == 2
    said = capsys.readouterr().err
    assert "是 Tiers 数据包" in said and "tiers package import" in said, said


def test_a_newer_package_that_only_keeps_the_citys_edits_says_so(tmp_path, capsys):
    """Every difference of the newer package is a value the city corrected and the county
    did not: the line beside 保留本市修改 no longer says the data is as it is here."""
    import datetime as dt

    from sqlalchemy import select

    from tests.tiers.exchange_helpers import imported, sent
    from tiers.model.orm import Enterprise
    from tiers.services.profile import save_profile
    from tiers.storage.database import open_database

    county = county_database(tmp_path / "county.sqlite3", enterprises=6)
    first = sent(county, tmp_path / "武进区1.zip", WUJIN, dt.datetime(2025, 12, 20, 9, 0))
    second = tmp_path / "武进区2.zip"
    sent(county, second, WUJIN, dt.datetime(2026, 1, 5, 9, 0))
    county.dispose()
    database = open_database(tmp_path / "city.sqlite3")
    imported(database, first)
    with database.session() as session:
        firm_id = session.scalars(select(Enterprise.id).order_by(Enterprise.id)).first()
        save_profile(session, firm_id, {"contact_phone": "0519-2222"}, user="市局")
    database.dispose()
    city = ["--db", str(tmp_path / "city.sqlite3")]
    capsys.readouterr()
    assert main([*city, "package", "import", str(second), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "保留本市修改的值（1 项）" in out
    assert "除保留的本市修改外，与库中一致；导入将只登记这次报送" in out
    assert "数据与库中一致" not in out
    assert main([*city, "package", "import", str(second)]) == 0
    out = capsys.readouterr().out
    assert "除保留的本市修改外，与库中一致；已登记这次报送" in out and "数据与库中一致" not in out


def test_a_newer_package_that_changes_nothing_is_recorded_as_sent(tmp_path, capsys):
    """The county sends again what it sent before: the command says it only records it."""
    import datetime as dt

    from tests.tiers.exchange_helpers import sent

    county = county_database(tmp_path / "county.sqlite3", enterprises=6)
    first = tmp_path / "武进区1.zip"
    second = tmp_path / "武进区2.zip"
    sent(county, first, WUJIN, dt.datetime(2025, 12, 20, 9, 0))
    sent(county, second, WUJIN, dt.datetime(2026, 1, 5, 9, 0))
    county.dispose()
    city = ["--db", str(tmp_path / "city.sqlite3")]
    assert main([*city, "package", "import", str(first)]) == 0
    capsys.readouterr()
    assert main([*city, "package", "import", str(second), "--dry-run"]) == 0
    assert "导入将只登记这次报送" in capsys.readouterr().out
    assert main([*city, "package", "import", str(second)]) == 0
    said = capsys.readouterr().out
    assert "已登记这次报送" in said and "已导入，批次 2" in said
    assert main([*city, "package", "list", "--year", "2026"]) == 0
    assert "2026-01-05" in capsys.readouterr().out


def test_the_list_of_another_year_names_that_year_and_a_county_database_is_told(
        new_target, capsys):
    """--year 2025 ended with “今年尚未报送” (报送情况's window says “2025 年尚未报送”), and a
    county's own database listed its own county as 未报送 with no word that this is what
    the city looks at."""
    import datetime as dt

    county = county_database(new_target("county.sqlite3"), enterprises=20)
    county.dispose()
    source = ["--db", str(county.path or county.engine.url.render_as_string(False))]
    earlier = dt.date.today().year - 1
    assert main([*source, "package", "list", "--year", str(earlier)]) == 0
    listing = capsys.readouterr().out
    assert f"{earlier} 年尚未报送：" in listing and "今年尚未报送" not in listing
    assert "本库还没有导入过任何区县的数据包" in listing and "tiers package export" in listing
    assert main([*source, "package", "list"]) == 0
    assert "今年尚未报送：" in capsys.readouterr().out


def test_firms_out_of_the_bin_past_the_names_are_counted():
    """The core names the first 200 firms leaving the recycle bin and counts them all
    (unbinned_count): the line says how many the names stop short of."""
    import datetime as dt

    from tiers.exchange import PackageResult
    from ui.cli.package import result_lines

    none = {"enterprises": 0}
    names = [f"常州{number}公司" for number in range(200)]
    result = PackageResult(
        file="武进区数据包.zip", source_unit="武进区工信局",
        counties=[{"code": WUJIN, "name": "武进区"}], package_date=dt.datetime(2026, 12, 1),
        created=none, updated={"enterprises": 250}, deleted=none, unchanged=none,
        unbinned_firms=names, unbinned_count=250, unbinned_city_binned=3)
    [line] = [line for line in result_lines(result, dry_run=True) if "移出回收站的企业：" in line]
    assert line.endswith("常州199公司 等 250 家")
    assert "注意：其中 3 家是本市移入回收站的" in "\n".join(result_lines(result, dry_run=True))
    result.unbinned_firms, result.unbinned_count = names[:2], 2
    [line] = [line for line in result_lines(result, dry_run=False) if "移出回收站的企业：" in line]
    assert line == "区县再次报送、已移出回收站的企业：常州0公司、常州1公司"


def test_the_package_a_hand_over_stands_on_is_not_undone_first(new_target, tmp_path, capsys):
    """tester29 #1 from the command line: 新北's package, 武进's carrying a 新北 firm that
    moved (a conflict), 新北's next without it (handed to 武进); `tiers undo-import` of
    武进's said 恢复字段 0 个 and left the firm 武进区 with no county reporting it. Refused,
    naming the firm and the batch to undo first; nothing written (package list as before)."""
    import datetime as dt

    from sqlalchemy import select

    from tests.tiers.exchange_helpers import XINBEI, sent
    from tiers.model.orm import Enterprise
    from tiers.services import enterprises

    county = county_database(new_target("county.sqlite3"), enterprises=30)
    day = dt.datetime(2026, 12, 1, 9, 0)
    files = [tmp_path / "新北区.zip", tmp_path / "武进区.zip", tmp_path / "新北区-2.zip"]
    try:
        sent(county, files[0], XINBEI, day)
        with county.session() as session:
            firm = session.scalars(select(Enterprise).where(Enterprise.county_code == XINBEI)
                                   .order_by(Enterprise.id)).first()
            name, code = firm.name, firm.credit_code
            enterprises.update(session, firm.id, {"county": "武进区", "town": "湖塘镇"})
        sent(county, files[1], WUJIN, day + dt.timedelta(days=1))
        sent(county, files[2], XINBEI, day + dt.timedelta(days=2))
    finally:
        county.dispose()
    city = ["--db", str(new_target("city.sqlite3"))]
    for number, path in enumerate(files, start=1):
        assert main([*city, "package", "import", str(path)]) == 0
        assert f"已导入，批次 {number}" in capsys.readouterr().out
    assert main([*city, "package", "list", "--year", "2026"]) == 0
    listing = capsys.readouterr().out
    assert main([*city, "undo-import", "2"]) == 2
    said = capsys.readouterr()
    assert "恢复字段" not in said.out, said.out
    assert said.err.startswith("错误：不能撤销导入批次 2："), said.err
    assert "请先撤销批次 3，再撤销批次 2。这次没有做任何改动。" in said.err, said.err
    assert f"企业“{name}”（{code}）" in said.err and "改由武进区报送" in said.err, said.err
    assert "Traceback" not in said.err
    assert main([*city, "package", "list", "--year", "2026"]) == 0
    assert capsys.readouterr().out == listing
    # newest first: the hand-over, then 武进's package
    assert main([*city, "undo-import", "3"]) == 0
    assert main([*city, "undo-import", "2"]) == 0


def test_a_dry_run_names_the_firms_and_records_it_adds():
    """扶持措施 新增 2 named no firm: the new firms by name and the new records in words,
    cut like the other lists (the core's first 200; the count all of them)."""
    import datetime as dt

    from tiers.exchange import PackageResult
    from ui.cli.package import result_lines

    zero = dict.fromkeys(("enterprises", "recognitions", "support_measures"), 0)
    records = [f"常州{number}公司：扶持措施“认定奖励 2026年” 20 万元" for number in range(200)]
    result = PackageResult(
        file="武进区数据包.zip", source_unit="武进区工信局",
        counties=[{"code": WUJIN, "name": "武进区"}], package_date=dt.datetime(2026, 12, 1),
        created={**zero, "enterprises": 30, "support_measures": 250}, updated=zero,
        deleted=zero, unchanged=zero,
        created_firms=[f"常州新{number}公司" for number in range(30)], created_records=records)
    lines = result_lines(result, dry_run=True)
    [firms] = [line for line in lines if "新增的企业" in line]
    assert firms.startswith("将新增的企业（30 家）：常州新0公司、")
    assert firms.endswith("常州新19公司 等 30 家")
    at = lines.index("将新增的记录（250 项）：")
    assert lines[at + 1] == "  常州0公司：扶持措施“认定奖励 2026年” 20 万元"
    assert lines[at + 21] == "  ……另有 230 项"
    done = "\n".join(result_lines(result, dry_run=False))
    assert "已新增的企业（30 家）" in done and "已新增的记录（250 项）：" in done


def test_the_package_that_created_a_firm_another_county_also_sends_is_not_undone_first(
        new_target, tmp_path, capsys):
    """undo29b from the command line: 武进's package brings a firm that then moved; 新北's
    package sends it too (a conflict). `tiers undo-import` of 武进's deleted the firm and
    新北's conflict pointed at nothing (the city no longer knew 新北 reports it). Refused,
    naming the firm and 新北's batch; nothing written (package list as before); in that
    order, 新北's package imported again brings the firm as 新北's."""
    import datetime as dt

    from sqlalchemy import select

    from tests.tiers.exchange_helpers import XINBEI, sent
    from tiers.model.orm import Enterprise
    from tiers.services import enterprises
    from tiers.storage.database import open_database

    county = county_database(new_target("county.sqlite3"), enterprises=30)
    day = dt.datetime(2026, 12, 1, 9, 0)
    files = [tmp_path / "武进区.zip", tmp_path / "新北区.zip"]
    try:
        sent(county, files[0], WUJIN, day)
        with county.session() as session:
            firm = session.scalars(select(Enterprise).where(Enterprise.county_code == WUJIN)
                                   .order_by(Enterprise.id)).first()
            name, code = firm.name, firm.credit_code
            enterprises.update(session, firm.id, {"county": "新北区", "town": ""})
        sent(county, files[1], XINBEI, day + dt.timedelta(days=1))
    finally:
        county.dispose()
    target = new_target("city.sqlite3")
    city = ["--db", str(target)]
    for number, path in enumerate(files, start=1):
        assert main([*city, "package", "import", str(path)]) == 0
        assert f"已导入，批次 {number}" in capsys.readouterr().out
    assert main([*city, "package", "list", "--year", "2026"]) == 0
    listing = capsys.readouterr().out
    assert code in listing  # 新北's conflict, named
    assert main([*city, "undo-import", "1"]) == 2
    said = capsys.readouterr()
    assert said.err.startswith("错误：不能撤销导入批次 1："), said.err
    assert "请先撤销批次 2，再撤销批次 1。这次没有做任何改动。" in said.err, said.err
    assert f"企业“{name}”（{code}）是本批次新增的，新北区的数据包（批次 2）也报送了它" in said.err, said.err
    assert "Traceback" not in said.err
    assert main([*city, "package", "list", "--year", "2026"]) == 0
    assert capsys.readouterr().out == listing
    assert main([*city, "undo-import", "2"]) == 0
    assert main([*city, "undo-import", "1"]) == 0
    assert main([*city, "package", "import", str(files[1])]) == 0
    capsys.readouterr()
    database = open_database(target)
    try:
        with database.session() as session:
            assert session.execute(select(Enterprise.county_code, Enterprise.source_county).where(
                Enterprise.credit_code == code)).one() == (XINBEI, XINBEI)
    finally:
        database.dispose()
