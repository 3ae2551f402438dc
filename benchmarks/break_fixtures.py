"""The databases and files on which benchmarks/break_writes.py tries to break the writes,
and how it reads what became of them: the content of every table as a digest, with the moments
written by the command itself (created_at, the change log's ``at`` …) set aside, so that a
killed run can be compared with a reference run of the same command made earlier."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.break_runs import (
    check_ok,
    empty_database,
    integrity,
    tiers,
)
from tiers.model import credit_code
from tiers.storage.database import open_database

PACKAGE_YEAR = dt.date.today().year  # the fixtures' packages are exported today
WUJIN = "320412"
XINBEI = "320411"
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?")


def now_text() -> str:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")


# --- where the databases are: SQLite files, or databases on a PostgreSQL server ----------

Db = Path | str  # a SQLite file, or a PostgreSQL database's URL


def is_server(db: Db) -> bool:
    return str(db).startswith("postgresql")


def _admin(server: str):
    import psycopg

    return psycopg.connect(server, autocommit=True)


def _url(server: str, name: str) -> str:
    return f"{server.rpartition('/')[0]}/{name}"


def query(db: Db, sql: str, params: tuple = ()) -> list[tuple]:
    if is_server(db):
        import psycopg

        with psycopg.connect(str(db)) as connection:
            return connection.execute(sql.replace("?", "%s"), params).fetchall()
    with contextlib.closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql, params).fetchall()


class Store:
    """Makes the databases: files in a folder, or (``server``: a superuser's URL) databases
    on that server, each copied from another as a template."""

    def __init__(self, folder: Path, server: str | None = None) -> None:
        self.folder, self.server, self.made = folder, server, []

    def new(self, name: str, source: Db | None = None, folder: Path | None = None) -> Db:
        if self.server is None:
            path = (folder or self.folder) / f"{name}.sqlite3"
            if source is not None:
                shutil.copy(source, path)
            return path
        database = f"brk_{name}_{os.getpid()}_{len(self.made)}"
        with _admin(self.server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            template = f' TEMPLATE "{str(source).rpartition("/")[2]}"' if source else ""
            admin.execute(f'CREATE DATABASE "{database}"{template}')
        self.made.append(database)
        return _url(self.server, database)

    def drop(self, db: Db) -> None:
        if is_server(db):
            name = str(db).rpartition("/")[2]
            with _admin(self.server) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.made.remove(name)

    def drop_all(self) -> None:
        for name in list(self.made):
            self.drop(_url(self.server, name))


# --- the state of a database -------------------------------------------------------------

def _tables(db: Db) -> list[str]:
    if is_server(db):
        sql = ("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
               "AND table_type = 'BASE TABLE' ORDER BY 1")
    else:
        sql = ("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
               "ORDER BY name")
    return [name for (name,) in query(db, sql)]


def _is_id(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def _columns(db: Db, table: str) -> list[str]:
    if is_server(db):
        return [name for (name,) in query(
            db, "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                "'public' AND table_name = ? ORDER BY ordinal_position", (table,))]
    return [row[1] for row in query(db, f'PRAGMA table_info("{table}")')]


def digest(db: Db, since: str, *, ids: bool = True) -> dict[str, str]:
    """Per table, a sha256 of all its rows in order, every moment at or after ``since``
    (written by the command) read as "<new>"; without the id columns unless ``ids`` (two
    writers that may run side by side on a server draw ids from a sequence in turns)."""
    def plain(value: object) -> object:
        if isinstance(value, dt.datetime):
            value = value.replace(tzinfo=None).isoformat(sep=" ")
        if isinstance(value, str):
            return _MOMENT.sub(lambda m: "<new>" if m[0].replace("T", " ") >= since else m[0],
                               value)
        return value

    result = {}
    for table in _tables(db):
        hashed = hashlib.sha256()
        columns = _columns(db, table)
        kept = [name for name in columns if ids or not _is_id(name)]
        listed = ", ".join(f'"{name}"' for name in kept)
        rows = sorted(repr(tuple(plain(v) for v in row))
                      for row in query(db, f'SELECT {listed} FROM "{table}"'))
        for row in rows:
            hashed.update(row.encode())
        result[table] = f"{len(rows)}:{hashed.hexdigest()[:16]}"
    return result


def package_status(db: Db, since: str) -> str:
    """报送情况 as ``tiers package list --json`` gives it (the packages' year), the moments
    written by the command read as "<new>": what the officer is told must agree with the
    tables."""
    result = tiers("package", "list", "--json", "--year", str(PACKAGE_YEAR), db=db)
    check_ok(result, "package list")
    return _MOMENT.sub(lambda m: "<new>" if m[0].replace("T", " ") >= since else m[0],
                       result.stdout)


def differences(found: dict[str, str], expected: dict[str, str]) -> str:
    return ", ".join(sorted(t for t in {*found, *expected} if found.get(t) != expected.get(t)))


def state_verdict(path: Db, since: str, *allowed: dict[str, str], ids: bool = True) -> str:
    """"ok" when the library opens the database, it is intact and holds one of ``allowed``
    (digests made with the same ``ids``)."""
    try:
        open_database(path).dispose()
    except Exception as exc:  # noqa: BLE001 - whatever the library raises, the file is lost
        return f"unopenable ({exc})"
    if not is_server(path) and integrity(path) != "ok":
        return "corrupt"
    found = digest(path, since, ids=ids)
    if found in allowed:
        return "ok"
    nearest = min(allowed, key=lambda state: len(differences(found, state)))
    return f"half-applied ({differences(found, nearest)})"


# --- the fixtures ------------------------------------------------------------------------

@dataclass
class Fixtures:
    folder: Path
    since: str  # every fixture was written after this moment, every job's writes later
    store: Store
    files: dict[str, Db] = field(default_factory=dict)
    # reference states: (database before, arguments) → digest after the command ran alone
    after: dict[tuple[str, ...], dict[str, str]] = field(default_factory=dict)
    statuses: dict[tuple[str, ...], str] = field(default_factory=dict)

    def db(self, name: str) -> Db:
        return self.files[name]

    def copy(self, name: str, folder: Path) -> Db:
        return self.store.new("db", self.files[name], folder)

    def state(self, name: str, *, ids: bool = True) -> dict[str, str]:
        return digest(self.files[name], self.since, ids=ids)

    def status_after(self, start: str, *commands: list[str]) -> str:
        """package_status after running ``commands`` on a copy of ``start`` (remembered)."""
        key = ("status", start, *("\0".join(command) for command in commands))
        if key not in self.statuses:
            with tempfile.TemporaryDirectory(dir=self.folder) as scratch:
                db = self.copy(start, Path(scratch))
                for command in commands:
                    tiers(*command, db=db)
                self.statuses[key] = package_status(db, self.since)
                self.store.drop(db)
        return self.statuses[key]

    def reference(self, start: str, *commands: list[str], ids: bool = True) -> dict[str, str]:
        """The state after running ``commands`` one after the other on a copy of ``start``
        (remembered: pairs ask for the same orders again)."""
        key = (start, str(ids), *("\0".join(command) for command in commands))
        if key not in self.after:
            with tempfile.TemporaryDirectory(dir=self.folder) as scratch:
                db = self.copy(start, Path(scratch))
                for command in commands:
                    tiers(*command, db=db)  # a refusal is a state too
                self.after[key] = digest(db, self.since, ids=ids)
                self.store.drop(db)
        return self.after[key]


def _codes(db: Db, where: str, limit: int, offset: int = 0) -> list[str]:
    return [code for (code,) in query(
        db, f"SELECT credit_code FROM enterprise WHERE {where} ORDER BY id LIMIT ? OFFSET ?",
        (limit, offset))]


def _lines(path: Path, codes: list[str]) -> Path:
    path.write_text("\n".join(codes) + "\n", encoding="utf-8")
    return path


ROSTER_HEADER = ["企业名称", "统一社会信用代码", "县（市、区）", "地址", "联系电话", "主导产品", "联系人"]


def _roster(path: Path, firms: int, *, second: bool) -> Path:
    """The first roster leaves 主导产品 and 联系人 blank on every other firm; the second fills
    them all and changes every third address (只补空白 keeps those, 全部更新 takes them)."""
    rows = []
    for i in range(firms):
        code = credit_code.make(f"91320412{i:08d}")
        blank = i % 2 == 0 and not second
        address = f"湖塘镇{i}号" if not (second and i % 3 == 0) else f"牛塘镇{i}号"
        rows.append([f"常州{i:06d}号精密机械有限公司", code, "武进区", address, "13912345678",
                     "" if blank else ("精密齿轮" if not second else "精密轴承"),
                     "" if blank else ("王伟" if not second else "李娜")])
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([ROSTER_HEADER, *rows])
    return path


def _roster_workbook(path: Path, rows_from: Path) -> Path:
    """The roster as an officer's .xlsx: a title row above the header, as lists come."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "企业名录"
    sheet.append(["武进区重点企业名录"])
    with rows_from.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    book.save(path)
    return path


def _review_list(path: Path, codes: list[str]) -> Path:
    """创新型 reviewed in 2025 of the 2022 batch, half the rows with 复核年度 written as a
    bare year, the others as 2022年度."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([
            ["统一社会信用代码", "梯度层级", "认定年度", "复核年度"],
            *([code, "创新型中小企业", "2025", "2022" if i % 2 else "2022年度"]
              for i, code in enumerate(codes))])
    return path


COLLECTION_YEAR = 2030  # no firm of the demo has figures of that year: each return adds them


def _filled_collection(path: Path, county: Path) -> Path:
    """The 采集表 of every firm of the county (one file) filled in as the firms would:
    营业收入 and 主营业务收入, the latter above the former on every third row."""
    import openpyxl

    check_ok(tiers("export", "collection", str(path), "--year", str(COLLECTION_YEAR), db=county),
             "export collection")
    book = openpyxl.load_workbook(path)
    sheet = book["采集表"]
    columns: dict[str, str] = {}
    for cell in sheet[4]:  # the first of a name: the year asked for (the last: last year's)
        columns.setdefault(cell.value, cell.column_letter)
    revenue, main = columns["营业收入\n（万元）"], columns["主营业务收入\n（万元）"]
    for row in range(5, sheet.max_row + 1):
        if not sheet[f"E{row}"].value:  # 统一社会信用代码
            continue
        sheet[f"{revenue}{row}"] = 3000 + row
        sheet[f"{main}{row}"] = (5000 if row % 3 == 0 else 2000) + row
    book.save(path)
    return path


def _pending_list(path: Path, codes: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["统一社会信用代码"], *([code] for code in codes)])
    return path


def _zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _repacked(path: Path, members: dict[str, bytes], manifest: dict) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, json.dumps(manifest, ensure_ascii=False).encode()
                             if name == "manifest.json" else data)
    return path


# what each hostile package of the county (p1 altered) must come to: refused (in Chinese,
# nothing changed), or taken as what it is (then the state of a run alone on a copy)
HOSTILE = {
    "hostile: newer date, one byte of a table changed": "refused",
    "hostile: dated ten years ahead": "refused",
    "hostile: claims another county": "refused",
    "hostile: claims another county too": "taken",  # 新北区 is another unit's: kept as is
    "hostile: the county listed twice": "refused",
    "hostile: a county code no county has": "refused",
    "hostile: newer date with its UTC offset": "taken",  # recorded as sent only
    "hostile: a six-digit code no county has": "refused",
    "hostile: dated year 1 with an offset": "refused",  # (overflowed: OverflowError)
    "hostile: dated year 9999 with an offset": "refused",
}


def hostile_packages(folder: Path, older: Path, newer: Path) -> dict[str, Path]:
    """The county's first package (``older``) altered against the path of a newer package
    that changes nothing (``newer``: the same data sent again)."""
    members = _zip_members(older)
    manifest = json.loads(members["manifest.json"])
    later = dt.datetime.fromisoformat(json.loads(_zip_members(newer)["manifest.json"])
                                      ["package_date"]) + dt.timedelta(minutes=1)
    xinbei = {"code": XINBEI, "name": "新北区"}
    firms = bytearray(members["enterprises.csv"])
    digit = firms.index(b"\n9") + 5  # a digit of the first firm's credit code
    firms[digit] = ord("1") if firms[digit] != ord("1") else ord("2")
    variants = {
        "hostile: newer date, one byte of a table changed": (
            {"package_date": later.isoformat()}, {"enterprises.csv": bytes(firms)}),
        "hostile: dated ten years ahead": (
            {"package_date": (later + dt.timedelta(days=3652)).isoformat()}, {}),
        "hostile: claims another county": (
            {"package_date": later.isoformat(), "counties": [xinbei]}, {}),
        "hostile: claims another county too": (
            {"package_date": later.isoformat(), "counties": [*manifest["counties"], xinbei]},
            {}),
        "hostile: the county listed twice": (
            {"package_date": later.isoformat(), "counties": manifest["counties"] * 2}, {}),
        "hostile: a county code no county has": (
            {"package_date": later.isoformat(),
             "counties": [*manifest["counties"], {"code": "32041299", "name": "某区"}]}, {}),
        "hostile: newer date with its UTC offset": (
            {"package_date": later.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat()},
            {}),
        "hostile: a six-digit code no county has": (
            {"package_date": later.isoformat(),
             "counties": [*manifest["counties"], {"code": "999999", "name": "某区"}]}, {}),
        "hostile: dated year 1 with an offset": (
            {"package_date": "0001-01-01T00:00:00+08:00"}, {}),
        "hostile: dated year 9999 with an offset": (
            {"package_date": "9999-12-31T23:59:59-08:00"}, {}),
    }
    made = {}
    for number, (name, (values, tables)) in enumerate(variants.items()):
        made[name] = _repacked(folder / f"hostile{number}.zip", {**members, **tables},
                               {**manifest, **values})
    return made


def make_template(path: Path, rows: int = 5) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "报送表"
    sheet["A1"] = "2026年度专精特新企业培育情况报送表"
    sheet.merge_cells("A1:D1")
    for column, text in enumerate(["序号", "企业名称", "统一社会信用代码", "所在县区"], start=1):
        sheet.cell(row=2, column=column, value=text)
    for row in range(3, 3 + rows):
        sheet.cell(row=row, column=1, value=row - 2)
    sheet.cell(row=3 + rows, column=1, value="合计")
    book.save(path)
    return path


def build(folder: Path, firms: int, server: str | None = None) -> Fixtures:
    """A county (the demo, ``firms`` firms), its packages p1 and a newer p2 (firms deleted,
    培育库 entries corrected, measures added), a city holding p1 and a neighbour's package,
    rosters, a 公示 list and a template; the databases on ``server`` when given (the
    packages are made from a SQLite county either way)."""
    folder.mkdir(parents=True, exist_ok=True)
    store = Store(folder, server)
    fixtures = Fixtures(folder=folder, since="", store=store)
    files = fixtures.files
    county = files["county"] = folder / "county.sqlite3"
    check_ok(tiers("demo", "--enterprises", str(firms), db=county), "demo")
    files["demo"] = store.new("demo")
    check_ok(tiers("demo", "--enterprises", str(firms), db=files["demo"]), "demo")
    for name, code in (("p1", WUJIN), ("neighbour", XINBEI), ("p1-again", WUJIN)):
        if name == "p1-again":  # the same data sent again, later: recorded as sent only
            time.sleep(1.05)  # (a package's date is to the second)
        files[name] = folder / f"{name}.zip"
        check_ok(tiers("package", "export", str(files[name]), "--county", code, db=county),
                 "package export")
    files.update(hostile_packages(folder, files["p1"], files["p1-again"]))
    wujin = f"county_code = '{WUJIN}'"
    share = max(10, firms // 15)
    files["trash"] = _lines(folder / "trash.txt", _codes(county, wujin, share))
    files["wujin"] = _lines(folder / "wujin.txt", _codes(county, wujin, 100_000))
    files["half"] = _lines(folder / "half.txt", _codes(county, wujin, firms // 3, share))
    files["other-half"] = _lines(folder / "other-half.txt",
                                 _codes(county, wujin, firms // 3, share + firms // 6))
    for command in (["bulk", "trash", "--codes", str(files["trash"])],
                    ["bulk", "officer", "--officer", "王明", "--codes", str(files["wujin"])],
                    ["bulk", "measure", "--kind", "资金奖励", "--name", "技改补助", "--amount",
                     "20", "--year", "2026", "--codes", str(files["half"])]):
        check_ok(tiers(*command, db=county), command[1])
    files["p2"] = folder / "p2.zip"
    check_ok(tiers("package", "export", str(files["p2"]), "--county", WUJIN, db=county),
             "package export")
    files["city0"] = store.new("city0")
    empty_database(files["city0"])
    files["city1"] = store.new("city1", files["city0"])
    for name in ("p1", "neighbour"):
        check_ok(tiers("package", "import", str(files[name]), db=files["city1"]), "import")
    files["city1-sent"] = store.new("city1-sent", files["city1"])
    check_ok(tiers("package", "import", str(files["p1-again"]), db=files["city1-sent"]),
             "import p1-again")
    files["city2"] = store.new("city2", files["city1"])
    check_ok(tiers("package", "import", str(files["p2"]), db=files["city2"]), "import p2")
    files["bulked"] = store.new("bulked", files["demo"])
    check_ok(tiers("bulk", "cultivate", "--tier", "省级专精特新", "--year", "2027", "--officer",
                   "张三", "--codes", str(files["wujin"]), db=files["bulked"]), "cultivate")
    files["roster1"] = _roster(folder / "roster1.csv", firms, second=False)
    files["roster2"] = _roster(folder / "roster2.csv", firms, second=True)
    files["roster1-xlsx"] = _roster_workbook(folder / "名录.xlsx", files["roster1"])
    files["rostered"] = store.new("rostered", files["city0"])
    check_ok(tiers("import", str(files["roster1"]), db=files["rostered"]), "roster import")
    files["pending-list"] = _pending_list(folder / "公示名单.csv",
                                          _codes(files["rostered"], "1 = 1", firms // 2))
    files["pending"] = store.new("pending", files["rostered"])
    check_ok(tiers("import", str(files["pending-list"]), "--kind", "recognitions", "--tier",
                   "创新型", "--batch", "2026年度", "--year", "2026", "--as", "公示",
                   db=files["pending"]), "公示 import")
    files["pending-codes"] = _lines(folder / "pending.txt",
                                    _codes(files["rostered"], "1 = 1", firms // 2))
    files["rostered-half"] = _lines(folder / "rostered-half.txt",
                                    _codes(files["rostered"], "1 = 1", firms // 2, firms // 4))
    files["template"] = make_template(folder / "template.xlsx")
    # 回收站 恢复 (#25): a county that binned some firms (batch 2) and one that restored
    # them as one undoable batch (batch 3)
    files["binned"] = store.new("binned", files["demo"])
    check_ok(tiers("bulk", "trash", "--codes", str(files["trash"]), db=files["binned"]), "trash")
    files["restored"] = store.new("restored", files["binned"])
    check_ok(tiers("bulk", "restore", "--codes", str(files["trash"]), db=files["restored"]),
             "restore")
    # the newer imports (#25): a 复核 list with its 复核批次 column, and the firms' filled-in
    # 采集表 of which every third says 主营业务收入 above 营业收入 (warned, imported)
    files["reviews"] = _review_list(folder / "复核名单.csv",
                                    _codes(county, wujin, firms // 3, share))
    files["returns"] = _filled_collection(folder / "采集表.xlsx", county)
    _merge_fixtures(fixtures, county, firms)
    _unit_fixtures(fixtures, county, firms)
    _misdated_fixtures(fixtures, firms)
    fixtures.since = now_text()
    return fixtures


# the city's corrections the newer packages are merged with (#20): after the county's first
# package the city corrects phones (some the county corrects too: 本市和区县都修改过, some
# only the city: kept) and addresses (only the city: kept)
def _phone(kind: str, i: int) -> str:
    return f"0519-{kind}{i:06d}"


def _correct(db: Db, codes: list[str], values, *, county: bool = False) -> None:
    """Save ``values(i)`` on each firm of ``codes`` as the 企业信息 window does (the city's
    correction), or as the county's own edit (``county``)."""
    from sqlalchemy import select

    from tiers.model.orm import Enterprise
    from tiers.services import enterprises
    from tiers.services.profile import save_profile

    database = open_database(db)
    try:
        with database.session() as session:
            ids = dict(session.execute(select(Enterprise.credit_code, Enterprise.id)
                                       .where(Enterprise.credit_code.in_(codes))).all())
            for i, code in enumerate(codes):
                if county:
                    enterprises.update(session, ids[code], values(i), user="区县")
                else:
                    save_profile(session, ids[code], values(i), user="市局")
    finally:
        database.dispose()


def _merge_fixtures(fixtures: Fixtures, county: Path, firms: int) -> None:
    """city-edited: city1 (the county's first package, the neighbour's) with the city's
    corrections; pm2: the county's newer package (p2's changes and phones corrected on the
    firms of "both"); city-merged: pm2 imported over city-edited (batch 3); pm3: a third
    package where the county took the city's phones of "city-only" (marker lines) and
    changed notes; city-marked: pm3 imported over city-merged (batch 4)."""
    files, store, folder = fixtures.files, fixtures.store, fixtures.folder
    share = max(10, firms // 15)  # the first ``share`` firms are in the county's recycle bin
    n = max(5, firms // 30)
    live = _codes(county, f"county_code = '{WUJIN}'", 3 * n, share)
    both, city_only, addressed = live[:n], live[n:2 * n], live[2 * n:]
    files["edited-codes"] = _lines(folder / "edited.txt", live)
    files["city-edited"] = store.new("city-edited", files["city1"])
    _correct(files["city-edited"], both + city_only,
             lambda i: {"contact_phone": _phone("8", i)})
    _correct(files["city-edited"], addressed,
             lambda i: {"address": f"常州市武进区湖塘镇核实路{i}号"})
    county_m = folder / "county-m.sqlite3"
    shutil.copy(county, county_m)
    _correct(county_m, both, lambda i: {"contact_phone": _phone("7", i)}, county=True)
    time.sleep(1.05)  # (a package's date is to the second)
    files["pm2"] = folder / "pm2.zip"
    check_ok(tiers("package", "export", str(files["pm2"]), "--county", WUJIN, db=county_m),
             "package export")
    files["city-merged"] = store.new("city-merged", files["city-edited"])
    check_ok(tiers("package", "import", str(files["pm2"]), db=files["city-merged"]), "import pm2")
    _correct(county_m, city_only, lambda i: {"contact_phone": _phone("8", n + i)},
             county=True)
    _correct(county_m, both[: n // 2], lambda i: {"notes": f"第三个数据包的备注{i}"},
             county=True)
    time.sleep(1.05)
    files["pm3"] = folder / "pm3.zip"
    check_ok(tiers("package", "export", str(files["pm3"]), "--county", WUJIN, db=county_m),
             "package export")
    files["city-marked"] = store.new("city-marked", files["city-merged"])
    check_ok(tiers("package", "import", str(files["pm3"]), db=files["city-marked"]), "import pm3")


# --- the writes of session 27 ----------------------------------------------------------
# firms without a county owned per sending unit (two units' 开发区 firms, one unit's newer
# package beside the other's), a county's own package taking over what a carrier brought,
# check --fix of misdated 复核 records, a backup over an earlier backup

WUJIN_BUREAU = "常州市武进区工业和信息化局"
XINBEI_BUREAU = "常州市新北区工业和信息化局"
CITY_BUREAU = "常州市工业和信息化局"


def _zone_firms(db: Path, first: int, count: int, zone: str) -> list[str]:
    """``count`` firms of a 开发区 (no division code: registered at the city's bureau)."""
    from tiers.services import enterprises

    database = open_database(db)
    codes = []
    try:
        with database.session() as session:
            for serial in range(first, first + count):
                code = credit_code.make(f"91320400{serial:08d}")
                firm = enterprises.create(session, {"credit_code": code, "county": zone,
                                                    "name": f"{zone}{serial:04d}号新材料有限公司"})
                assert firm.county_code is None, zone
                codes.append(code)
    finally:
        database.dispose()
    return codes


def _export(files: dict, name: str, db: Path, *args: str) -> None:
    files[name] = files["county"].parent / f"{name}.zip"
    check_ok(tiers("package", "export", str(files[name]), *args, db=db), f"export {name}")


def _unit_fixtures(fixtures: Fixtures, county: Path, firms: int) -> None:
    """ua / ub: 武进区's and 新北区's packages, each with its own unit's firms without a county;
    ua-spelled: 武进区's next one under another spelling of its bureau (武进区工信局), the
    same data; ua2: 武进区's newer one (a third of its 开发区 firms binned); city-ua, city-uab: the city
    after ua, after ua then ub. carrier: the city bureau's package of both counties;
    xb-own: 新北区's own package of the same data, later (the takeover that only rewrites
    where the unchanged rows came from); city-carried, city-taken: before and after it."""
    files, store, folder = fixtures.files, fixtures.store, fixtures.folder
    zone = max(6, firms // 20)
    wj, xb = folder / "county-wj.sqlite3", folder / "county-xb.sqlite3"
    shutil.copy(county, wj)
    shutil.copy(county, xb)
    wj_zone = _zone_firms(wj, 1, zone, "武进高新区")
    _zone_firms(xb, 5001, zone, "常州综合保税区")
    _export(files, "ua", wj, "--county", WUJIN, "--county", "none", "--unit", WUJIN_BUREAU)
    _export(files, "ub", xb, "--county", XINBEI, "--county", "none", "--unit", XINBEI_BUREAU)
    time.sleep(1.05)  # the same county's next package under another spelling of its bureau
    _export(files, "ua-spelled", wj, "--county", WUJIN, "--county", "none", "--unit",
            "武进区工信局")
    files["wj-zone-third"] = _lines(folder / "wj-zone.txt", wj_zone[: zone // 3])
    check_ok(tiers("bulk", "trash", "--codes", str(files["wj-zone-third"]), db=wj), "trash")
    time.sleep(1.05)  # (a package's date is to the second)
    _export(files, "ua2", wj, "--county", WUJIN, "--county", "none", "--unit", WUJIN_BUREAU)
    files["city-ua"] = store.new("city-ua", files["city0"])
    check_ok(tiers("package", "import", str(files["ua"]), db=files["city-ua"]), "import ua")
    files["city-uab"] = store.new("city-uab", files["city-ua"])
    check_ok(tiers("package", "import", str(files["ub"]), db=files["city-uab"]), "import ub")
    _export(files, "carrier", county, "--county", WUJIN, "--county", XINBEI,
            "--unit", CITY_BUREAU)
    time.sleep(1.05)
    _export(files, "xb-own", county, "--county", XINBEI, "--unit", XINBEI_BUREAU)
    files["city-carried"] = store.new("city-carried", files["city0"])
    check_ok(tiers("package", "import", str(files["carrier"]), db=files["city-carried"]),
             "import carrier")
    files["city-taken"] = store.new("city-taken", files["city-carried"])
    check_ok(tiers("package", "import", str(files["xb-own"]), db=files["city-taken"]),
             "import xb-own")
    files["xinbei"] = _lines(folder / "xinbei.txt",
                             _codes(county, f"county_code = '{XINBEI}'", 100_000))


def _misdate(db: Db, codes: list[str]) -> None:
    """A 小巨人 第二批 复核 dated to the batch's own year (2020, not 2023) on each firm."""
    from sqlalchemy import select

    from tiers.model.orm import Enterprise
    from tiers.services import recognitions

    database = open_database(db)
    try:
        with database.session() as session:
            ids = session.scalars(select(Enterprise.id).where(
                Enterprise.credit_code.in_(codes))).all()
            for firm in ids:
                recognitions.add(session, firm, {
                    "tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
                    "is_review": True, "review_of_batch": "第二批"}, user="录入员")
    finally:
        database.dispose()


def _misdated_fixtures(fixtures: Fixtures, firms: int) -> None:
    """misdated: the demo with misdated 复核 records on a third of 武进区's firms; fixed: after
    tiers check --fix (its batch in files["fix-batch"]); city-misdated: the city holding
    武进区's first package, with the city's misdated records on the same firms (check --fix
    beside the county's newer package)."""
    files, store = fixtures.files, fixtures.store
    wujin = f"county_code = '{WUJIN}' AND deleted_at IS NULL"
    files["misdated"] = store.new("misdated", files["demo"])
    codes = _codes(files["misdated"], wujin, max(10, firms // 3))
    _misdate(files["misdated"], codes)
    files["fixed"] = store.new("fixed", files["misdated"])
    check_ok(tiers("check", "--fix", "--user", "张三", db=files["fixed"]), "check --fix")
    [(batch,)] = query(files["fixed"], "SELECT max(id) FROM import_batch")
    files["fix-batch"] = str(batch)
    files["city-misdated"] = store.new("city-misdated", files["city1"])
    _misdate(files["city-misdated"], _codes(files["city-misdated"], wujin, max(10, firms // 3)))
