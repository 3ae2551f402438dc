"""A county's figures as columns (one sequence per field and year) and the tiers each firm
holds: what the column-wise verdicts (``tiers.assess.columnar``) read, in one query per
table, or taken from firms already loaded.

The figures are read as binary floats, at the speed of the driver (100,000 firms), and two
views of them are given: ``fast_column`` (plain numbers, for the float pass) and ``column``
(exactly the values the ORM gives, Decimal at the column's scale, for the exact pass and the
firms whose verdict the float pass could not be sure of). A row holding a value with more
places than its column keeps (written by another program) is one whose float is not the
ORM's value: its firm is always settled by the exact pass (``County.imprecise``)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import Numeric, select
from sqlalchemy.orm import Session

from tiers.assess import bar, metrics
from tiers.assess.bar import Bar
from tiers.assess.firm import NON_NEGATIVE, NOT_ABOVE, DueTitle, FirmData, LostTitle
from tiers.assess.loading import LOST_COLUMNS, due_titles, in_force, latest_lost, started
from tiers.model import ladder, reference
from tiers.model.orm import AnnualFigures, Enterprise, Recognition
from tiers.progress import paused_gc
from tiers.queries.held_by import open_publicity
from tiers.storage import dialect

Column = Sequence  # one value per firm, in the county's order
Convert = Callable[[object], object] | None  # a driver value → the ORM's value


@dataclass
class County:
    """The firms of a county as columns: ids, names, tiers held, and figures by year."""

    ids: list[int]
    names: list[str]
    held: list[frozenset[str]]
    # year → each firm's figures row or None; the FIELDS, in their order, from ``first`` on
    rows: dict[int, list[tuple | None]]
    # per field, how a stored value becomes the ORM's (None: it already is); empty when the
    # rows hold the ORM's values (county_of)
    converters: dict[str, Convert] = field(default_factory=dict)
    # (position, year) of every figures row with a value that makes no sense (firm.data_flags),
    # when the database found them (None: the verdicts look for themselves)
    nonsense: set[tuple[int, int]] | None = None
    # positions of the firms with a stored value more precise than its column (its float is
    # not the ORM's value): the float pass cannot judge them, the exact pass always does
    imprecise: frozenset[int] = frozenset()
    _columns: dict = field(default_factory=dict, repr=False)
    # what a ranked list shows before any firm's detail (tiers.assess.ranking)
    credit_codes: list[str] = field(default_factory=list)
    counties: list[str] = field(default_factory=list)
    towns: list[str] = field(default_factory=list)
    first: int = 0  # where the FIELDS start in a row (after what the query read before them)
    # the ladder tiers each firm is 公示中 for (empty: none is, for any firm)
    pending: list[frozenset[str]] = field(default_factory=list)
    # the titles off the ladder each firm holds (local titles, 链主: firm.title_words; empty:
    # none, for any firm)
    others: list[frozenset[str]] = field(default_factory=list)
    # ladder titles each firm held once and lost, by tier (FirmData.lost; empty: none)
    lost: list[dict[str, LostTitle]] = field(default_factory=list)
    # each firm's bar for false data in force (FirmData.bar; empty: none, for any firm)
    bars: list[Bar | None] = field(default_factory=list)
    # ladder titles each firm holds whose 复核 round is this year, by tier (FirmData.due;
    # empty: none, for any firm)
    due: list[dict[str, DueTitle]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def exact(self) -> bool:
        """The stored values are already the ORM's (Decimal): no float pass needed."""
        return not any(self.converters.values())

    def _stored(self, name: str, year: int) -> Column | None:
        """One field of one year as stored, for every firm (None: no figures that year).
        The year is transposed at its first use, every field at once: one C-level pass
        (zip) is cheaper than one per field from the ~25 fields the rules read."""
        key = ("stored", year)
        fields = self._columns.get(key)
        if fields is None:
            rows = self.rows.get(year)
            if rows is None:
                return None
            empty = (None,) * (self.first + len(metrics.FIELDS))
            fields = self._columns[key] = list(
                zip(*[empty if row is None else row for row in rows], strict=True))
        return (fields[self.first + metrics.FIELD_INDEX[name]] if fields
                else [None] * len(self.ids))

    def column(self, name: str, year: int) -> Column:
        """One figure of one year for every firm, as the ORM gives it (None: not recorded)."""
        key = (name, year)
        found = self._columns.get(key)
        if found is None:
            found = self._stored(name, year)
            if found is None:
                found = [None] * len(self.ids)
            else:
                convert = self.converters.get(name)
                found = (list(found) if convert is None
                         else [None if value is None else convert(value) for value in found])
            self._columns[key] = found
        return found

    def fast_column(self, name: str, year: int) -> Column:
        """One figure of one year as plain numbers (int or float), for the float pass."""
        key = ("fast", name, year)
        found = self._columns.get(key)
        if found is None:
            # only a county of driver values (SQLite: int, float) has a float pass
            found = self._stored(name, year)
            if found is None:
                found = [None] * len(self.ids)
            self._columns[key] = found
        return found

    def subset(self, positions: list[int]) -> County:
        """The firms at ``positions`` (in that order) as a county of their own."""
        return County(ids=[self.ids[p] for p in positions],
                      names=[self.names[p] for p in positions],
                      held=[self.held[p] for p in positions],
                      rows={year: [rows[p] for p in positions]
                            for year, rows in self.rows.items()},
                      converters=self.converters,
                      credit_codes=[self.credit_codes[p] for p in positions]
                      if self.credit_codes else [],
                      counties=[self.counties[p] for p in positions] if self.counties else [],
                      towns=[self.towns[p] for p in positions] if self.towns else [],
                      first=self.first,
                      pending=[self.pending[p] for p in positions] if self.pending else [],
                      others=[self.others[p] for p in positions] if self.others else [],
                      lost=[self.lost[p] for p in positions] if self.lost else [],
                      bars=[self.bars[p] for p in positions] if self.bars else [],
                      due=[self.due[p] for p in positions] if self.due else [],
                      imprecise=frozenset(index for index, p in enumerate(positions)
                                          if p in self.imprecise),
                      nonsense=None)  # found again from the exact values

    def bar_at(self, position: int) -> Bar | None:
        """The bar for false data the firm at ``position`` is under (None: none)."""
        return self.bars[position] if self.bars else None

    def lost_at(self, position: int) -> dict[str, LostTitle]:
        """The ladder titles the firm at ``position`` held once and lost."""
        return self.lost[position] if self.lost else {}

    def due_at(self, position: int) -> dict[str, DueTitle]:
        """The ladder titles the firm at ``position`` holds whose 复核 round is this year."""
        return self.due[position] if self.due else {}

    def others_at(self, position: int) -> frozenset[str]:
        """The titles off the ladder the firm at ``position`` holds."""
        return self.others[position] if self.others else frozenset()

    def pending_at(self) -> list[frozenset[str]]:
        """The tiers 公示中 for every firm, in the county's order."""
        return self.pending or [frozenset()] * len(self.ids)


def county_of(firms: dict[int, FirmData]) -> County:
    """Columns from firms already loaded (``load_firms``), in their order."""
    items = list(firms.values())
    years = sorted({year for firm in items for year in firm.figures})
    rows = {year: [None if year not in firm.figures
                   else tuple(firm.figures[year].get(name) for name in metrics.FIELDS)
                   for firm in items] for year in years}
    return County(ids=[firm.enterprise_id for firm in items], names=[f.name for f in items],
                  held=[firm.held for firm in items], rows=rows,
                  pending=[firm.pending for firm in items],
                  others=[firm.others for firm in items], lost=[firm.lost for firm in items],
                  bars=[firm.bar for firm in items] if any(f.bar for f in items) else [],
                  due=[firm.due for firm in items] if any(f.due for f in items) else [],
                  credit_codes=[firm.credit_code for firm in items],
                  counties=[firm.county for firm in items], towns=[firm.town for firm in items])


def _converters(session: Session, description) -> dict[str, Convert]:
    """The ORM's own result processors for the figures' columns (given the driver's type
    codes from the cursor's description): the exact pass sees the very values
    ``load_firms`` gives (SQLite's REAL → Decimal at the column's scale; the server's
    NUMERIC is Decimal already)."""
    dialect = session.get_bind().dialect
    table = AnnualFigures.__table__
    type_codes = {entry[0].lower(): entry[1] for entry in description}
    return {name: table.c[name].type.dialect_impl(dialect).result_processor(
        dialect, type_codes.get(name)) for name in metrics.FIELDS}


# Amounts read as binary floats on both engines (the server's NUMERIC would come as Decimal,
# and leave the whole county to the slow exact pass); the ORM's own processor for a float
# of that column (Decimal at the column's scale) gives back the stored value — exactly for
# any amount below 10^11 万元 (15 significant digits) at the column's scale; a more
# precise value is found by _imprecise_query
_AS_FLOAT = [f"CAST({name} AS DOUBLE PRECISION) AS {name}"
             if isinstance(AnnualFigures.__table__.c[name].type, Numeric) else name
             for name in metrics.FIELDS]


def _nonsense_query(years: range) -> str:
    """The figures rows with a value that makes no sense, as firm.data_flags reads them, in
    one statement instead of 90 passes over the county's columns (a missing value compares
    as unknown, never as nonsense). Values at their column's scale compare in the database
    as their decimals do; a firm with a more precise value is redone exactly anyway."""
    tests = [f"{name} < 0" for name in NON_NEGATIVE]
    tests += [f"{name} > 100" for name in ("market_share", "lead_product_ratio")]
    tests += [f"({top} > {bottom} AND {bottom} >= 0)" for top, bottom, _ in NOT_ABOVE]
    return (f"SELECT enterprise_id, year FROM annual_figures WHERE year BETWEEN"
            f" {int(years.start)} AND {int(years.stop) - 1} AND ({' OR '.join(tests)})")


def _imprecise_query(connection, years: range) -> str | None:
    """The figures rows holding an amount with more places than its column keeps (rounding
    to the scale changes it): their floats are not the values the ORM gives. None where the
    database keeps no such numbers."""
    table = AnnualFigures.__table__
    tests = dialect.beyond_scale(connection, [
        (name, table.c[name].type.scale) for name in metrics.FIELDS
        if isinstance(table.c[name].type, Numeric)])
    if not tests:
        return None
    return (f"SELECT DISTINCT enterprise_id FROM annual_figures WHERE year BETWEEN"
            f" {int(years.start)} AND {int(years.stop) - 1} AND ({' OR '.join(tests)})")


def _aligned(found: list[tuple], ids: list[int], years: range) -> dict[int, list[tuple | None]]:
    """The figures rows (enterprise_id, year, …) of each year in the firms' order (None: no
    row), as they came: grouped and looked up at C level, with no Python step per row (a
    loop placing 300,000 rows took 0.3 s)."""
    found.sort(key=itemgetter(1))
    found_years = list(map(itemgetter(1), found))
    rows: dict[int, list[tuple | None]] = {}
    for year in years:
        start, stop = bisect_left(found_years, year), bisect_right(found_years, year)
        chunk = found[start:stop]
        by_firm = dict(zip(map(itemgetter(0), chunk), chunk, strict=True))
        rows[year] = list(map(by_firm.get, ids))
    return rows


def _titles_pending(connection, ids: list[int], today: dt.date,
                 condition=ladder.pending_condition, kept=None) -> list[frozenset[str]]:
    """The ladder tiers each firm is 公示中 for (``ladder.pending_condition``, and ``kept``:
    held_by.open_publicity), through the driver's cursor; one frozenset per distinct
    combination, shared (a county has a handful, and their hashes are then computed once)."""
    codes = [t.code for t in reference.tiers() if t.ladder]
    query = select(Recognition.enterprise_id, Recognition.tier_code,
                   *(ladder.PENDING_BATCH if kept else ())).where(
        condition(today), Recognition.tier_code.in_(codes))
    found = _fetched(connection, query)
    if kept is not None:  # (the rows whose batch is still open, and no more its columns)
        found = [row[:2] for row in kept(found)]
    titles: dict[int, set[str]] = {}
    for enterprise_id, tier_code in found:
        titles.setdefault(enterprise_id, set()).add(tier_code)
    return _shared(titles, ids)



def _fetched(connection, query) -> list[tuple]:
    """A Core query's rows through the driver's own cursor (no Row objects: the county's
    scans are the load's cost), its values bound as literals (ids and dates only here)."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(query.compile(dialect=connection.dialect,
                                         compile_kwargs={"literal_binds": True})))
        return cursor.fetchall()
    finally:
        cursor.close()

def _shared(titles: dict[int, set[str]], ids: list[int]) -> list[frozenset[str]]:
    """Each firm's titles in the county's order, one frozenset per distinct combination."""
    shared: dict[frozenset[str], frozenset[str]] = {}
    by_firm = {enterprise_id: shared.setdefault(frozenset(codes), frozenset(codes))
               for enterprise_id, codes in titles.items()}
    return [by_firm.get(enterprise_id, frozenset()) for enterprise_id in ids]


def _day(value) -> dt.date | None:
    """A date as the driver gives it (SQLite: its ISO text) as a date."""
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _titles(connection, ids: list[int], position: dict[int, int], today: dt.date
            ) -> tuple[list[frozenset[str]], list[frozenset[str]], list[dict[str, LostTitle]],
                       list[Bar | None], list[dict[str, DueTitle]]]:
    """From one scan of the recognitions not 公示中, through the driver's cursor: the ladder
    tiers each firm holds today, the titles off the ladder it holds (local ones, 链主:
    firm.title_words), and the ladder titles it held once and lost — run out or revoked,
    not held now, the latest of each tier (loading.latest_lost) — the bars of titles revoked
    for false data (tiers.assess.bar), and the titles held whose 复核 round is this year
    (loading.due_titles; empty when no firm has one), as load_firms reads them."""
    ladder_codes = {t.code for t in reference.tiers() if t.ladder}
    query = select(Recognition.enterprise_id, *LOST_COLUMNS, Recognition.recognized_on,
                   Recognition.revoke_reason).where(
        Recognition.is_pending.is_(False),
        Recognition.tier_code.in_([t.code for t in reference.tiers()]))
    rows = _fetched(connection, query)
    held: dict[int, set[str]] = {}
    others: dict[int, set[str]] = {}
    ended: list[tuple] = []
    bars: dict[int, Bar] = {}
    in_force_rows: dict[int, list] = {}  # the ladder titles held and those yet to start
    for enterprise_id, code, until, revoked, label, year, review, since, reason in rows:
        if enterprise_id not in position:
            continue
        until, revoked, since = _day(until), _day(revoked), _day(since)
        if reason:  # (the bar's whole decision is the core's, as load_firms asks it)
            found = bar.later(bars.get(enterprise_id),
                              bar.bar_of(code, revoked, reason, today, is_pending=False,
                                         recognized_on=since))
            if found is not None:
                bars[enterprise_id] = found
        if not started(since, today):
            if code in ladder_codes and (revoked is None or revoked > today):
                in_force_rows.setdefault(enterprise_id, []).append(
                    (code, until, revoked, label, year, review))
            continue  # entered early: neither held nor lost before it starts
        if not in_force(until, revoked, today):
            if code in ladder_codes:
                ended.append((enterprise_id, code, until, revoked, label, year, review))
        else:
            (held if code in ladder_codes else others).setdefault(enterprise_id,
                                                                  set()).add(code)
            if code in ladder_codes:
                in_force_rows.setdefault(enterprise_id, []).append(
                    (code, until, revoked, label, year, review))
    found: dict[int, list] = {}
    for row in ended:
        if row[1] not in held.get(row[0], ()):  # (renewed: a title of the tier in force)
            found.setdefault(position[row[0]], []).append(row)
    lost: list[dict[str, LostTitle]] = [{}] * len(ids)
    for place, lost_rows in found.items():
        lost[place] = latest_lost(lost_rows, today)
    barred = [bars.get(enterprise_id) for enterprise_id in ids] if bars else []
    due = {enterprise_id: found_due for enterprise_id, titles in in_force_rows.items()
           if (found_due := due_titles(titles, today))}
    due_list = [due.get(enterprise_id, {}) for enterprise_id in ids] if due else []
    return _shared(held, ids), _shared(others, ids), lost, barred, due_list


def load_county(session: Session, *, years: range, today: dt.date,
                county: str | None = None, area: Any = None) -> County:
    """A county (or every firm; or those of ``area``: a condition on the firm,
    tiers.queries.unit_scope's) as columns, in one query per table."""
    # Python's cycle collector paused (tiers.progress.paused_gc): every full collection
    # walked the hundreds of thousands of rows already read (0.7 s of 4.7 s, 100,000 firms)
    with paused_gc():
        return _load_county(session, years=years, today=today, county=county, area=area)


def _load_county(session: Session, *, years: range, today: dt.date,
                 county: str | None, area: Any = None) -> County:
    base = select(Enterprise.id, Enterprise.name, Enterprise.credit_code, Enterprise.county_name,
                  Enterprise.town).where(Enterprise.deleted_at.is_(None))
    if county:
        code, county_name = reference.resolve_county(county)
        base = base.where(Enterprise.county_code == code if code
                          else Enterprise.county_name == county_name)
    if area is not None:
        base = base.where(area)
    connection = session.connection()
    # everything through the driver's own cursor, values as it returns them: the ORM's
    # result machinery took 2.8 s of a 100,000-firm county's 3.5 s load, and converting
    # 7.5 million cells to Decimal most of the rest; the verdicts convert only the few
    # firms they need exactly (County.column)
    firms = _fetched(connection, base.order_by(Enterprise.id))
    ids, names, credit_codes, counties, towns = (
        [list(column) for column in zip(*firms, strict=True)] if firms else ([], [], [], [], []))
    counties = [label or "" for label in counties]
    towns = [town or "" for town in towns]
    position = {enterprise_id: index for index, enterprise_id in enumerate(ids)}
    cursor = connection.connection.cursor()
    try:
        cursor.execute(f"SELECT enterprise_id, year, {', '.join(_AS_FLOAT)}"
                       f" FROM annual_figures WHERE year BETWEEN {int(years.start)}"
                       f" AND {int(years.stop) - 1}")
        rows = _aligned(cursor.fetchall(), ids, years)
        converters = _converters(session, cursor.description)
        cursor.execute(_nonsense_query(years))
        nonsense = {(position[enterprise_id], year) for enterprise_id, year in cursor.fetchall()
                    if enterprise_id in position}
        imprecise_query = _imprecise_query(connection, years)
        if imprecise_query is not None:
            cursor.execute(imprecise_query)
            imprecise = frozenset(position[enterprise_id]
                                  for (enterprise_id,) in cursor.fetchall()
                                  if enterprise_id in position)
        else:
            imprecise = frozenset()
    finally:
        cursor.close()
    held, others, lost, barred, due = _titles(connection, ids, position, today)
    pending = _titles_pending(connection, ids, today, ladder.pending_condition,
                           kept=lambda rows: open_publicity(session, rows))
    return County(ids=ids, names=names, held=held, rows=rows, pending=pending, others=others,
                  lost=lost, bars=barred, due=due,
                  first=2, converters=converters, nonsense=nonsense, imprecise=imprecise,
                  credit_codes=credit_codes,
                  counties=counties, towns=towns)
