"""``tiers export``: the reports from the command line."""

from __future__ import annotations

import datetime as dt
import os
import sys

import pytest
from python_calamine import CalamineWorkbook

from tiers.services import enterprises, recognitions
from tiers.storage.database import open_database
from ui.cli import main as cli


@pytest.fixture
def db_path(new_target, code):
    path = new_target("cli.sqlite3")  # a file in tmp_path, or a server's database
    database = open_database(path)
    with database.session() as session:
        giant = enterprises.create(session, {"credit_code": code(1),
                                             "name": "常州恒立液压科技有限公司",
                                             "county": "武进区", "town": "湖塘镇"})
        recognitions.add(session, giant.id, {"tier_code": "小巨人", "batch_label": "第七批",
                                             "batch_year": 2026,
                                             "recognized_on": dt.date(2026, 7, 1)})
        small = enterprises.create(session, {"credit_code": code(2),
                                             "name": "常州创新电子有限公司",
                                             "county": "武进区", "town": "牛塘镇"})
        recognitions.add(session, small.id, {"tier_code": "创新型", "batch_year": 2025,
                                             "recognized_on": dt.date(2025, 6, 1)})
    database.dispose()
    return path


def run(db_path, *args: str) -> int:
    return cli.main(["--db", str(db_path), "export", *args])


def files_in(folder) -> list[str]:
    """What the export left in the folder (the SQLite database aside: on a server there is
    none)."""
    return sorted(p.name for p in folder.iterdir() if p.name != "cli.sqlite3")


def rows(path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def test_list_names_every_report(capsys):
    assert cli.main(["export", "--list"]) == 0
    out = capsys.readouterr().out
    for name, title in (("roster", "梯度培育企业名单"), ("summary", "梯度培育情况汇总表"),
                        ("support", "扶持措施兑现情况表"), ("expiring", "复核到期提醒表"),
                        ("chains", "产业链企业分布表"), ("profile", "企业档案"),
                        ("figures", "专精特新企业发展情况统计表")):
        assert name in out and title in out
    assert "--code（统一社会信用代码，必填）" in out


def test_the_figures_of_a_year_from_the_command_line(db_path, tmp_path, capsys):
    """专精特新企业发展情况统计表: --year is the figures' year; the level of a title, which the
    table does not take, is refused."""
    from sqlalchemy import select

    from tiers.model.orm import Enterprise
    from tiers.services import figures

    database = open_database(db_path)
    with database.session() as session:
        giant = session.scalar(select(Enterprise).where(
            Enterprise.name == "常州恒立液压科技有限公司"))
        figures.set_year(session, giant.id, 2024, {"revenue": "8000"})
        figures.set_year(session, giant.id, 2025, {"revenue": "10000"})
    database.dispose()
    target = tmp_path / "发展情况.xlsx"
    assert run(db_path, "figures", str(target), "--year", "2024", "--quiet") == 0
    table = rows(target)
    assert table[0][0] == "武进区2024年度专精特新企业发展情况统计表"
    giant = next(row for row in table if row[2] == "常州恒立液压科技有限公司")
    assert giant[5] == 8000
    assert any("1 家企业缺少 2024 年度数据" in str(row[0]) for row in table)
    assert run(db_path, "figures", str(tmp_path / "x.xlsx"), "--level", "国家级") != 0
    assert "不支持筛选条件 --level" in capsys.readouterr().err


def test_export_roster_with_filters_and_signature(db_path, tmp_path, capsys):
    target = tmp_path / "名单.xlsx"
    status = run(db_path, "roster", str(target), "--tier", "小巨人", "--unit", "武进区工信局",
                 "--by", "王丽", "--phone", "0519-1234", "--date", "2026-11-20", "--quiet")
    assert status == 0
    assert "已导出“梯度培育企业名单”" in capsys.readouterr().out
    table = rows(target)
    assert table[0][0] == "武进区梯度培育企业名单（专精特新“小巨人”企业）"  # its firms' county
    names = [row[3] for row in table if isinstance(row[0], float)]
    assert names == ["常州恒立液压科技有限公司"]
    flat = [v for row in table for v in row]
    assert "填报单位（盖章）：武进区工信局" in flat and "填报人：王丽" in flat
    assert "填报日期：2026年11月20日" in flat
    assert files_in(tmp_path) == ["名单.xlsx"]


def test_export_each_report(db_path, tmp_path, code):
    for name, extra in (("summary", ["--group", "town", "--county", "武进区"]),
                        ("support", ["--year", "2026"]), ("expiring", ["--days", "365"]),
                        ("chains", []), ("profile", ["--code", code(1)])):
        target = tmp_path / f"{name}.xlsx"
        assert run(db_path, name, str(target), "--quiet", *extra) == 0, name
        assert rows(target)[0][0]


def test_unsupported_or_missing_filters_are_refused(db_path, tmp_path, capsys):
    assert run(db_path, "summary", str(tmp_path / "a.xlsx"), "--kind", "认定奖励") == 2
    assert "不支持筛选条件 --kind" in capsys.readouterr().err
    assert run(db_path, "profile", str(tmp_path / "a.xlsx")) == 2
    assert "需要 --code" in capsys.readouterr().err
    assert run(db_path, "nonsense", str(tmp_path / "a.xlsx")) == 2
    assert "没有名为“nonsense”的报表" in capsys.readouterr().err
    assert run(db_path, "roster") == 2
    assert "用法" in capsys.readouterr().err
    assert run(db_path, "roster", str(tmp_path / "a.xlsx"), "--tier", "金牌") == 2
    assert "未知的梯度层级：金牌" in capsys.readouterr().err
    assert not (tmp_path / "a.xlsx").exists()


def test_target_open_in_excel_is_refused_and_kept(db_path, tmp_path, capsys):
    target = tmp_path / "名单.xlsx"
    target.write_bytes(b"the officer's edited copy")
    (tmp_path / "~$名单.xlsx").write_bytes(b"")
    assert run(db_path, "roster", str(target)) == 2
    assert "正被其他程序" in capsys.readouterr().err
    assert target.read_bytes() == b"the officer's edited copy"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="permissions are not enforced for root")
def test_unwritable_folder_is_refused(db_path, tmp_path, capsys):
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert run(db_path, "roster", str(folder / "名单.xlsx")) == 2
        assert "没有权限" in capsys.readouterr().err
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_failure_while_moving_into_place_leaves_no_temporary(db_path, tmp_path, capsys,
                                                              monkeypatch):
    from tiers.reports import output

    def locked(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.os, "replace", locked)
    target = tmp_path / "名单.xlsx"
    assert run(db_path, "roster", str(target)) == 2
    assert "正被其他程序打开或是只读的" in capsys.readouterr().err
    assert files_in(tmp_path) == []


def test_a_killed_saves_leftover_is_removed_by_the_next_save(db_path, tmp_path):
    """kill -9 during a save leaves its hidden copy (the break campaign found them piling up
    beside fill-template's output): the next save of that file removes it once it is old
    enough not to be another program's save in progress, and nothing else."""
    target = tmp_path / "名单.xlsx"
    killed = tmp_path / ".~名单-k1ll3d00.xlsx.part"  # as tempfile.mkstemp names them
    young = tmp_path / ".~名单-s4v1ng00.xlsx.part"
    others = [tmp_path / ".~其他-k1ll3d00.xlsx.part", tmp_path / ".~名单-mine.xlsx.part",
              tmp_path / ".~名单-k1ll3d00.xlsx"]
    for path in [killed, young, *others]:
        path.write_bytes(b"PK")
    an_hour_ago = dt.datetime.now().timestamp() - 3700
    for path in [killed, *others]:
        os.utime(path, (an_hour_ago, an_hour_ago))
    assert run(db_path, "roster", str(target), "--quiet") == 0
    assert files_in(tmp_path) == sorted(p.name for p in [target, young, *others])


def test_folder_refusing_new_files_is_refused(db_path, tmp_path, capsys, monkeypatch):
    """What a read-only network share does (root ignores chmod, so simulate it)."""
    from tiers import beside

    def refuse(**_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(beside.tempfile, "mkstemp", refuse)
    assert run(db_path, "roster", str(tmp_path / "名单.xlsx")) == 2
    assert "没有权限在文件夹" in capsys.readouterr().err
    assert files_in(tmp_path) == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_exported_file_is_readable_by_colleagues(tmp_path, new_target, capsys):
    db_path = str(new_target("m.sqlite3"))
    cli.main(["--db", db_path, "demo", "--enterprises", "5"])
    capsys.readouterr()
    assert cli.main(["--db", db_path, "export", "roster", str(tmp_path / "m.xlsx")]) == 0
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "m.xlsx").stat().st_mode & 0o777 == 0o666 & ~umask  # not 0o600
    out = capsys.readouterr().out
    assert out.count("m.xlsx") == 1  # the outcome once, not twice


def test_export_to_pdf_or_a_chinese_way_out(db_path, tmp_path, capsys, monkeypatch):
    from tiers.reports import pdf

    target = tmp_path / "名单.pdf"
    if pdf.available():
        assert run(db_path, "roster", str(target), "--quiet") == 0
        assert target.read_bytes().startswith(b"%PDF")
        assert files_in(tmp_path) == ["名单.pdf"]
        target.unlink()
    capsys.readouterr()
    monkeypatch.setattr(pdf, "office_program", lambda: None)
    assert run(db_path, "roster", str(target), "--quiet") != 0
    err = capsys.readouterr().err
    assert "未找到 LibreOffice" in err and "Traceback" not in err
    assert files_in(tmp_path) == []


def test_roster_without_a_county_names_the_units_county(db_path, tmp_path, code, capsys):
    """On a county's laptop that also holds a firm of another of the city's counties, the
    roster without --county is titled after the unit's county (tiers unit), not the city."""
    database = open_database(db_path)
    with database.session() as session:
        enterprises.create(session, {"credit_code": code(3), "name": "常州新北电子有限公司",
                                     "county": "新北区", "town": "薛家镇"})
    database.dispose()
    target = tmp_path / "名单.xlsx"
    assert run(db_path, "roster", str(target), "--quiet", "--status", "全部") == 0
    assert rows(target)[0][0] == "常州市梯度培育企业名单"
    assert cli.main(["--db", str(db_path), "unit", "--set", "武进区"]) == 0
    assert run(db_path, "roster", str(target), "--quiet", "--status", "全部") == 0
    assert rows(target)[0][0] == "武进区梯度培育企业名单"
    capsys.readouterr()


def test_the_figures_without_a_year_say_the_year_used(db_path, tmp_path, capsys):
    """No --year: the message says the year the table used, as its title and the client's
    offered file name do (small29 #2)."""
    from sqlalchemy import select

    from tiers.model.orm import Enterprise
    from tiers.services import figures

    database = open_database(db_path)
    with database.session() as session:
        giant = session.scalar(select(Enterprise).where(
            Enterprise.name == "常州恒立液压科技有限公司"))
        figures.set_year(session, giant.id, 2023, {"revenue": "8000"})
    database.dispose()
    target = tmp_path / "发展情况.xlsx"
    assert run(db_path, "figures", str(target), "--quiet") == 0
    out = capsys.readouterr().out
    assert "数据年度：2023年度（未指定 --year：最近有数据的年度）" in out, out
    assert rows(target)[0][0] == "武进区2023年度专精特新企业发展情况统计表"
    assert run(db_path, "figures", str(target), "--year", "2023", "--quiet") == 0
    assert "未指定 --year" not in capsys.readouterr().out
