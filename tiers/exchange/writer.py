"""Writing an exchange package: the firms of some counties (or all) with every record,
each table one CSV member, and the manifest with counts and checksums. Written to a
temporary file beside the target and moved into place, so no half-written package is
ever left under the target's name."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from tiers import __version__, beside, outputs
from tiers.errors import InvalidInput, Refused
from tiers.exchange.cells import OddCell, package_cells
from tiers.exchange.format import (
    ENTERPRISES,
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST,
    TABLES,
    TableSpec,
    rows_text,
)
from tiers.model.orm import Change, Enterprise, FormerName
from tiers.model.reference import division
from tiers.progress import Progress
from tiers.queries.invalid_codes import invalid_credit_codes, package_refusal
from tiers.storage.schema import head_revision
from tiers.storage.snapshot import read_snapshot
from tiers.text import fields

NO_COUNTY = ""  # the county "code" of firms whose county is not recorded


@dataclass
class ExportResult:
    path: Path
    counties: list[dict[str, str]]
    rows: dict[str, int]  # per table
    source_unit: str = ""  # the 报送单位 the manifest names (given, or the counties' names)

    @property
    def county_names(self) -> str:
        return "、".join(county["name"] for county in self.counties) or "（无企业）"

    def summary(self) -> str:
        """区县：武进区；企业 36，认定 59，…: what the package carries (the command line's
        line and the client's)."""
        return f"区县：{self.county_names}；{rows_text(self.rows)}"


def county_name(code: str, names: dict[str, str]) -> str:
    if code == NO_COUNTY:
        return "（未填区县）"
    found = division(code)
    return found.name if found else names.get(code, code)


def export_package(session: Session, target: Path | str, *, counties: Iterable[str] = (),
                   source_unit: str = "", now: dt.datetime | None = None,
                   only_ours_of: Iterable[str] | None = None,
                   agreed: outputs.FileIdentity | None = None
                   ) -> Generator[Progress, None, ExportResult]:
    """Write the package of the firms in ``counties`` (codes; none: every firm) to
    ``target``. ``NO_COUNTY`` ("") among them stands for the firms whose county is not
    recorded (a 开发区 without a division code, a blank county): a county's database sends
    them with its own, or they never reach the city. Firms in the recycle bin are not sent.
    Yields Progress per table. ``only_ours_of``: the 报送单位 whose packages may be
    replaced; a target that is no package of one of them when the package is moved into
    place is refused (Refused) and kept (tiers.outputs) — unless it is still the file the
    officer agreed to replace (``agreed``: its outputs.file_identity when he was asked).
    A firm to send under a code the code check refuses (stored before it grew stricter)
    stops it before anything is written (InvalidInput naming the firms and the fix): the
    city would refuse the package whole."""
    target = Path(target)
    # every read of one moment: a firm saved meanwhile (by a colleague, or the client
    # while the command line exports) is sent neither as a record whose firm the package
    # lacks, which the city refuses the package for, nor as a firm without its records
    with read_snapshot(session):
        firms, county_list = _chosen(session, counties)
        # the firms' rows read once: their codes checked before anything is written, then sent
        firm_rows: list[Any] | None = _rows(session, ENTERPRISES, firms)
        refused = invalid_credit_codes(session, codes=[row[0] for row in firm_rows])
        if refused:
            raise InvalidInput(package_refusal(refused))
        source_unit = source_unit or _unit_of_counties(county_list)
        members: dict[str, tuple[int, str]] = {}
        temporary = _temporary_beside(target)
        try:
            with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED,
                                 compresslevel=1) as archive:
                for done, spec in enumerate(TABLES):
                    yield Progress("导出数据包", done, len(TABLES))
                    data, rows = _table_csv(session, spec, firms,
                                            firm_rows if spec is ENTERPRISES else None)
                    firm_rows = None  # (written: not kept while the other tables are)
                    archive.writestr(spec.member, data)
                    members[spec.member] = (rows, hashlib.sha256(data).hexdigest())
                manifest = _manifest(session, firms, county_list=county_list,
                                     source_unit=source_unit, members=members,
                                     now=now or dt.datetime.now().replace(microsecond=0))
                archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
            if only_ours_of is not None and not outputs.replaceable(
                    target, package_units=only_ours_of, agreed=agreed):  # saved there meanwhile
                raise Refused(outputs.refusal(target, agreed=agreed))
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    yield Progress("导出数据包", len(TABLES), len(TABLES))
    return ExportResult(path=target, counties=county_list,
                        rows={spec.name: members[spec.member][0] for spec in TABLES},
                        source_unit=source_unit)


def _chosen(session: Session, counties: Iterable[str]) -> tuple[Any, list[dict[str, str]]]:
    """The firms a package of ``counties`` (codes; none: every firm; NO_COUNTY for the firms
    whose county is not recorded) sends, as a select of their ids, and its counties (code,
    name)."""
    given = [code.strip() for code in counties]
    wanted = sorted({code for code in given if code})
    with_no_county = NO_COUNTY in given
    for code in wanted:
        found = division(code)
        if found is None or found.level != "县级":
            raise InvalidInput(f"“{code}”不是县级行政区划代码")
    firms = select(Enterprise.id).where(Enterprise.deleted_at.is_(None))
    if wanted or with_no_county:
        chosen = [Enterprise.county_code.in_(wanted)] if wanted else []
        if with_no_county:
            chosen += [Enterprise.county_code.is_(None), Enterprise.county_code == ""]
        firms = firms.where(or_(*chosen))
    present = _counties_present(session, firms)
    if wanted or with_no_county:
        # each county named, with firms or not; （未填区县） only when there are such firms
        present = {**{code: present.get(code, "") for code in wanted},
                   **({NO_COUNTY: present[NO_COUNTY]} if NO_COUNTY in present else {})}
    return firms, [{"code": code, "name": county_name(code, present)}
                   for code in sorted(present)]


def _unit_of_counties(county_list: list[dict[str, str]]) -> str:
    """The 报送单位 of a package not given one: its counties' names."""
    return "、".join(c["name"] for c in county_list) or "（无企业）"


def package_unit(session: Session, *, counties: Iterable[str] = (), source_unit: str = ""
                 ) -> str:
    """The 报送单位 ``export_package`` with these arguments writes into the manifest: the
    command line replaces an existing package only of that unit (tiers.outputs)."""
    return source_unit or _unit_of_counties(_chosen(session, counties)[1])


def _temporary_beside(target: Path) -> Path:
    """The hidden copy beside the target (tiers.beside), in a folder that exists."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInput(f"文件夹不存在：{folder}")
    if target.is_dir():  # else the move at the end named the hidden copy as the folder
        raise InvalidInput(f"“{target}”是一个文件夹，请给出数据包的文件名，"
                           f"如 {target / '数据包.zip'}")
    if target.suffix.lower() != ".zip":  # tiers package export tiers.sqlite3 replaced the
        # database itself with the package (the break campaign of #17)
        raise InvalidInput(f"数据包文件应以 .zip 结尾：{target.name}")
    return beside.temporary_beside(folder / target.name)


def _counties_present(session: Session, firms: Any) -> dict[str, str]:
    rows = session.execute(select(Enterprise.county_code, func.max(Enterprise.county_name))
                           .where(Enterprise.id.in_(firms)).group_by(Enterprise.county_code))
    return {code or NO_COUNTY: name or "" for code, name in rows}


def _table_csv(session: Session, spec: TableSpec, firms: Any, rows: list[Any] | None = None
               ) -> tuple[bytes, int]:
    """The table's rows of the chosen firms (``rows``: already read by _rows) as UTF-8
    CSV, and how many."""
    columns = spec.columns()
    if rows is None:
        rows = _rows(session, spec, firms)
    buffer = io.StringIO()
    # \r\n, the CSV standard: a field holding \r or \n alone is then quoted too
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    try:
        writer.writerows(package_cells(spec.model.__table__, columns, rows))
    except OddCell as odd:
        raise _refusal(session, spec, rows[odd.row][0], odd) from None
    return buffer.getvalue().encode("utf-8"), len(rows)


def _rows(session: Session, spec: TableSpec, firms: Any) -> list[Any]:
    """The table's rows of the chosen firms, the firm's credit code first, as the driver
    returns them. Rows go in id order, so that repeated keys keep their order of entry."""
    columns = spec.columns()
    table = spec.model.__table__
    # each value as the driver returns it (SQLAlchemy's processing of 100k firms' rows,
    # a Decimal of each amount above all, was half the export): text, numbers and dates
    # as they are (SQLite keeps a date as its ISO text, a driver of a server returns a
    # date, which the csv module writes in ISO form); amounts and yes/no made below
    selected = [type_coerce(table.c[c], NullType()).label(c) for c in columns[1:]]
    if spec is ENTERPRISES:
        statement = select(table.c.credit_code, *selected).where(table.c.id.in_(firms))
    else:
        statement = (select(Enterprise.credit_code, *selected)
                     .join(Enterprise, Enterprise.id == table.c.enterprise_id)
                     .where(table.c.enterprise_id.in_(firms)))
    if spec.model is FormerName:  # a name kept for matching only is no 曾用名 to send
        statement = statement.where(table.c.is_alias.is_(False))
    # the driver's own tuples: nothing is processed (every column is NullType but the
    # credit code, text), so a Row object per record (0.4 s of 100k firms) buys nothing
    result = session.connection().execute(statement.order_by(table.c.id))
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def _refusal(session: Session, spec: TableSpec, code: str, odd: OddCell) -> InvalidInput:
    """Why the export stops: the firm, the table and the column of a stored value the
    package cannot carry (another program wrote it: Tiers itself never stores one)."""
    name = session.scalar(select(Enterprise.name).where(Enterprise.credit_code == code))
    value = str(odd.value)[:50]
    return InvalidInput(
        f"无法导出数据包：企业“{name or code}”（{code}）的{spec.label}中，"
        f"“{fields.label(spec.entity, odd.column)}”存的是“{value}”，不是{odd.expected}"
        "（可能由其他程序写入数据库）。照原样写出的数据包，Tiers 自己也读不回来；"
        "请先改正这一项（或删去后重新填写），再导出。")


def _manifest(session: Session, firms: Any, *, county_list: list[dict[str, str]],
              source_unit: str, members: dict[str, tuple[int, str]], now: dt.datetime
              ) -> dict[str, Any]:
    # the history of changes is summarised, not carried: how many changes, since when
    changes, first, last = session.execute(
        select(func.count(Change.id), func.min(Change.at), func.max(Change.at))
        .where(Change.enterprise_id.in_(firms))).one()
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "tiers_version": __version__,
        "schema_revision": head_revision(),
        "source_unit": source_unit,
        "counties": county_list,
        "package_date": now.isoformat(),
        "tables": {spec.name: {"file": spec.member, "rows": members[spec.member][0],
                               "sha256": members[spec.member][1]} for spec in TABLES},
        "history": {"changes": changes,
                    "first": first.isoformat() if first else None,
                    "last": last.isoformat() if last else None},
    }
