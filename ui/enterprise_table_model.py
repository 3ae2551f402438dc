"""The 企业库 table: a model over SQL, not a copy of the database.

The model holds the ids of the current query (filtered and sorted in SQL by
``tiers.queries.roster.roster_ids``) and builds display rows on demand, a block at a time, with
``tiers.queries.roster.roster_rows`` (ui.roster_row_blocks). Blocks are cached and dropped
whenever the data changes. After a write (another program's included) ``reload_in_background``
reads the new listing and the rows on screen on the runner, so that the window stays live;
only the newest such read is shown, and a query the officer starts meanwhile supersedes it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import compress
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush

from tiers.errors import StorageError, TiersError
from tiers.queries import roster, roster_columns, search
from tiers.storage.database import Database
from tiers.text.changes import REMEMBERED, field_label  # (the labels of fields.toml)
from ui.background_runner import BackgroundRunner, Task
from ui.latest_read import LatestRead
from ui.operations import run_operation
from ui.roster_cells import (
    BIN_COLUMNS,
    COLUMNS,
    NOTHING_PAID,
    PENDING_COLOUR,
    REVIEW_COLOUR,
    ROSTER_ONLY,
    STATUS_COLOURS,
    display,
    tier_text,
)
from ui.roster_row_blocks import FORMER_MATCH, RowBlocks, read_blocks
from ui.table_reading import VALUE_ROLE, filtered_header

log = logging.getLogger(__name__)

NO_PARENT = QModelIndex()  # the root: Qt's default argument
ID_ROLE = Qt.UserRole + 1
FORMER_NAME_ROLE = Qt.UserRole + 2  # the name column: why a search found it (曾用名：…)


@dataclass
class Listing:
    """What ``reload_in_background`` read on the runner."""

    key: tuple  # the unsearched filters and the sort it was read for
    search: str
    base: list[int]  # the unsearched query's ids
    ids: list[int]  # those shown (searched)
    blocks: dict[int, list[dict[str, Any]]]  # the rows on screen, built
    rows_of: dict[int, int] = field(default_factory=dict)  # the ids asked about → their rows
    # a refresh's (or a sort asked meanwhile): the view keeps the officer's place; False for
    # a filter or a search the officer typed meanwhile (shown from the top, as always)
    keep_place: bool = True


class EnterpriseTableModel(QAbstractTableModel):
    counts_changed = Signal(int)
    listed = Signal(object)  # a Listing read in the background is shown now
    listing_arriving = Signal(object)  # ...is about to be (the old rows still shown)
    listing_failed = Signal(str)  # ...or could not be read (the old rows stay)
    listing_dropped = Signal()  # ...or a query run here replaced it
    # a row could not be read while painting (the server gone): the message, once per loss
    rows_failed = Signal(str)

    def __init__(self, database: Database, parent=None, *,
                 filters: roster.RosterFilter | None = None,
                 runner: BackgroundRunner | None = None, load: bool = True) -> None:
        """``load`` False: empty until ``load_in_background`` (or any query) fills it."""
        super().__init__(parent)
        self.database = database
        self.filters = filters or roster.RosterFilter()
        self.sort_column = 0
        self.sort_order = Qt.AscendingOrder
        self.ids: list[int] = []
        self._blocks = RowBlocks(database)
        self.error = ""
        self._base: list[int] = []
        self._base_key: tuple | None = None
        self._search_index: search.SearchIndex | None = None
        self._last_search: tuple[str, list[int] | None] = ("", None)
        self._generation = 0
        self._warming: Task | None = None
        self._runner = runner  # builds the search index; without one (tests, the CLI) inline
        self._rewarm = False
        self._positions: list[int] = []
        self._positions_key: tuple | None = None
        self.hold_listing = False  # a picker's search is read on the runner: not listed over
        # the listing read in the background after a write: only the newest is shown, and a
        # query run here meanwhile (a filter, a search, a sort) drops it
        self._listing = LatestRead(self, self.tr("刷新企业库"),
                                   on_failure=self._listing_not_read)
        # the ids and the screenful of the refresh under way: a sort asked meanwhile reads
        # them anew in its order
        self._refresh_about: list[int] = []
        self._refresh_rows = range(0)
        # the read under way keeps the officer's place (a refresh's), or lists from the top
        # (a filter's, set_filters_in_background): a sort asked meanwhile reads it likewise
        self._refresh_keeps_place = True
        # the filters of the rows on screen while those of set_filters_in_background are
        # read: back if the read fails (the old rows stay, and so does what they show)
        self._filters_shown: roster.RosterFilter | None = None
        self._rows_failing = False  # a row read failed: told once, until a read succeeds
        if load:
            self.reload()

    # --- the query -----------------------------------------------------------------------
    # Filters and sort run in SQL (roster_ids); the ids of the unsearched query are kept,
    # so a keystroke in the search box only narrows them with the in-memory SearchIndex
    # (the same rule as the SQL search). Both are dropped by reload() after any write.
    def set_filters(self, filters: roster.RosterFilter) -> None:
        self.filters = filters
        self._requery()

    def set_filters_in_background(self, filters: roster.RosterFilter,
                                  runner: BackgroundRunner | None, *,
                                  rows: range = range(0)) -> Task | None:
        """``set_filters`` with the query read on the runner (the 回收站 box: the base query
        of 100k firms took half a second on the GUI thread): the old rows are shown
        meanwhile, the new listing from its top with the rows of ``rows`` built; ``listed``
        tells when it is shown. A query run here meanwhile (a search, a filter, a sort)
        supersedes the read, as it does a refresh's; if the read fails, the filters of the
        rows on screen are back and ``listing_failed`` says why. Without a runner: at once."""
        if runner is None or runner.closed:
            self.set_filters(filters)
            return None
        if self._filters_shown is None:
            self._filters_shown = self.filters
        self.filters = filters
        self._refresh_about, self._refresh_rows = [], rows
        self._refresh_keeps_place = False
        self.error = ""
        return self._read_listing(runner, [], rows, keep_place=False)

    def set_search(self, text: str) -> None:
        self.set_filters(replace(self.filters, search=text))

    # --- per-column filters (typed into the header's menu) ----------------------------------
    def column_applies(self, column: int) -> bool:
        """Whether the column is one for the rows listed (移入时间 and 操作人 only for the
        回收站's, 所属产业链 and 扶持金额合计 only for the roster's): the column menu offers
        no other."""
        return COLUMNS[column].key not in (ROSTER_ONLY if self.filters.deleted
                                           else BIN_COLUMNS)

    def can_filter(self, column: int) -> bool:
        return COLUMNS[column].key in roster_columns.FILTERABLE

    def column_filter(self, column: int) -> str:
        return dict(self.filters.columns).get(COLUMNS[column].key, "")

    def set_column_filter(self, column: int, text: str) -> None:
        key = COLUMNS[column].key
        kept = tuple((k, t) for k, t in self.filters.columns if k != key)
        self.set_filters(replace(self.filters, columns=kept + ((key, text),) if text else kept))
        self.headerDataChanged.emit(Qt.Horizontal, column, column)

    def is_amount(self, column: int) -> bool:
        return COLUMNS[column].key == "support_total"

    def reload(self) -> None:
        """Re-run the query after a write anywhere: nothing cached survives."""
        self._forget_the_data()
        if self._runner is not None:  # the next search must not build it on the GUI thread
            self.warm_search(self._runner)
        self._requery()

    def _forget_the_data(self) -> None:
        self._base_key = None
        self._search_index = None
        self._last_search = ("", None)
        self._generation += 1
        if self._warming is not None:  # (it may have delivered already: build once more)
            self._rewarm = True

    def reload_in_background(self, runner: BackgroundRunner, *, about: Sequence[int] = (),
                             rows: range = range(0)) -> Task | None:
        """``reload`` with the query read on the runner: the rows shown meanwhile are the
        old ones (the window stays live; a 100k listing takes most of a second). The
        Listing read also holds the rows of ``rows`` built (the screenful to be shown,
        counted in the new listing from the row of ``about[0]`` if it is still listed)
        and the new rows of the ids in ``about`` (a selection to keep); ``listed`` tells
        when it is shown. Nothing cached of the old data is used for a query run here
        meanwhile, which supersedes this read."""
        self._forget_the_data()
        self._refresh_about, self._refresh_rows = list(about), rows
        self._refresh_keeps_place = True
        task = self._read_listing(runner, about, rows, keep_place=True)
        self.warm_search(runner)  # (after the listing: the runner is a queue)
        return task

    def _read_listing(self, runner: BackgroundRunner, about: Sequence[int], rows: range, *,
                      keep_place: bool) -> Task | None:
        filters, (sort, descending) = self.filters, self.sort_key()
        unsearched = replace(filters, search="")
        key = (repr(unsearched), sort, descending)
        database, generation, about = self.database, self._generation, list(about)

        def read(_task: Task | None) -> Listing:
            with database.session() as session:
                base = roster.roster_ids(session, unsearched, sort=sort, descending=descending)
                ids = roster.roster_ids(session, filters, sort=sort, descending=descending) \
                    if filters.search.strip() else list(base)
            asked = set(about)
            rows_of = {i: n for n, i in enumerate(ids) if i in asked} if asked else {}
            start = rows_of.get(about[0], rows.start) if about else rows.start
            screen = range(start, start + len(rows))
            return Listing(key, filters.search, base, ids, read_blocks(
                database, ids, screen, today=filters.today, search_text=filters.search,
                filters=filters),
                rows_of, keep_place)

        return self._listing.run(runner, read, lambda listing: self._show_listing(
            listing, generation))

    def _superseding_read(self, *, keep_place: bool) -> bool:
        """A query asked while a refresh's listing is read: read on the runner too (the
        base query of 100k firms, and a search without its index, would otherwise run
        here, on the GUI thread, as the old listing is dropped). False: no refresh under
        way (or no runner to read on)."""
        runner = self._runner
        if self._listing.task is None or runner is None or runner.closed:
            return False
        keep_place = keep_place and self._refresh_keeps_place
        about = self._refresh_about if keep_place else []
        rows = self._refresh_rows if keep_place else range(len(self._refresh_rows))
        self.error = ""
        return self._read_listing(runner, about, rows, keep_place=keep_place) is not None

    def _drop_listing(self) -> None:
        self._filters_shown = None  # (a query run here shows its own)
        if self._listing.task is not None:
            self._listing.drop()
            self.listing_dropped.emit()

    @property
    def listing_pending(self) -> bool:
        """A listing read in the background is still to be shown."""
        return self._listing.task is not None

    def _show_listing(self, listing: Listing, generation: int) -> None:
        unsearched, (sort, descending) = replace(self.filters, search=""), self.sort_key()
        if generation != self._generation or listing.search != self.filters.search or \
                listing.key != (repr(unsearched), sort, descending):
            self.listing_dropped.emit()
            return  # read for data or a query no longer shown
        self._base, self._base_key = listing.base, listing.key
        self._last_search = ("", None)
        self._filters_shown = None
        self.error = ""
        self._rows_failing = False
        self.listing_arriving.emit(listing)
        self.beginResetModel()
        self.ids = listing.ids
        self._blocks.install(listing.blocks)
        self.endResetModel()
        self.counts_changed.emit(len(self.ids))
        self.listed.emit(listing)

    def _listing_not_read(self, message: str) -> None:
        if self._filters_shown is not None:  # the old rows stay: so do their filters
            self.filters, self._filters_shown = self._filters_shown, None
        self.error = message
        self.listing_failed.emit(message)

    def sort_key(self) -> tuple[str, bool]:
        column = COLUMNS[self.sort_column]
        return column.sort_key or "name", self.sort_order == Qt.DescendingOrder

    def _base_ids(self) -> list[int]:
        unsearched, (sort, descending) = replace(self.filters, search=""), self.sort_key()
        key = (repr(unsearched), sort, descending)
        if key != self._base_key:
            with self.database.session() as session:
                self._base = roster.roster_ids(session, unsearched, sort=sort,
                                                descending=descending)
            self._base_key = key
            self._last_search = ("", None)
        return self._base

    def load_in_background(self, runner: BackgroundRunner) -> Task:
        """The first listing on the runner, so that the window paints at once (the sorted
        ids of 100k firms take half a second). Dropped if anything queried meanwhile (a
        filter, a sort or a search runs its own query) or the data changed."""
        unsearched, (sort, descending) = replace(self.filters, search=""), self.sort_key()
        key = (repr(unsearched), sort, descending)
        database, generation = self.database, self._generation

        def load(_task: Task) -> list[int]:
            with database.session() as session:
                return roster.roster_ids(session, unsearched, sort=sort, descending=descending)

        def loaded(ids: list[int]) -> None:
            if generation == self._generation and self._base_key is None:
                self._base, self._base_key = ids, key
                if not self.hold_listing:  # (the picker lists it if its search fails)
                    self._requery()

        return run_operation(self, runner, "载入企业库", load, on_success=loaded)

    def searches_here(self, text: str) -> bool:
        """Whether ``text`` is searched in memory: the listing in, and the index unless blank."""
        return self._base_key is not None and (not text.strip() or self._search_index is not None)

    def show_found(self, ids: list[int], search: str | None = None) -> None:
        """Show the ``ids`` the query found, or a search for ``search`` (ui.picker_search)."""
        if search is not None:
            self.filters = replace(self.filters, search=search)
        self.beginResetModel()
        self.ids = ids
        self._blocks.clear()
        self._rows_failing = False
        self.endResetModel()
        self.counts_changed.emit(len(self.ids))

    def warm_search(self, runner: BackgroundRunner) -> None:
        """Build the search index on the background runner so the first keystroke does
        not pay for it; until it arrives, searches run in SQL."""
        self._runner = runner
        if self._search_index is not None or self._warming is not None or runner.closed:
            return
        database, generation = self.database, self._generation

        def load(_task: Task) -> search.SearchIndex:
            with database.session() as session:
                return search.SearchIndex.load(session)

        self._warming = run_operation(
            self, runner, "搜索索引", load,
            on_success=lambda index: self._index_ready(index, generation),
            # a failure only means SQL keeps answering the searches: logged, not shown
            on_failure=lambda message: log.warning("搜索索引未建成：%s", message),
            on_finished=self._warming_done)

    def stop_warming(self) -> None:
        """The window is closing: a build not yet started need not hold up the runner."""
        if self._warming is not None:
            self._warming.cancel()

    def _index_ready(self, index: search.SearchIndex, generation: int) -> None:
        if generation == self._generation:
            self._search_index = index
        else:  # the data changed while it was built: build again
            self._rewarm = True

    def _warming_done(self) -> None:
        self._warming = None
        if self._rewarm and self._runner is not None:
            self._rewarm = False
            self.warm_search(self._runner)

    def _matching(self, text: str) -> list[int] | None:
        """Positions in the search index of the matches; None while the index is built."""
        if self._search_index is None:
            if self._runner is not None:
                # 100k firms take a while: built in the background, SQL answers meanwhile
                self.warm_search(self._runner)
                return None
            # a model without a window (no runner): nobody waits on a GUI thread here
            with self.database.session() as session:
                self._search_index = search.SearchIndex.load(session)
        previous, previous_positions = self._last_search
        within = previous_positions if previous_positions is not None and previous and \
            text.startswith(previous) else None
        positions = self._search_index.positions(text, within=within)
        self._last_search = (text, positions)
        return positions

    def _query_ids(self) -> list[int]:
        base = self._base_ids()
        text = self.filters.search.strip()
        if not text:
            return list(base)
        positions = self._matching(text)
        if positions is None:
            sort, descending = self.sort_key()
            with self.database.session() as session:
                return roster.roster_ids(session, self.filters, sort=sort,
                                          descending=descending)
        # keep the base (SQL) order: a mask over the index, read in base order, in C loops
        index = self._search_index
        mask = bytearray(len(index.ids) + 1)  # the last byte stays 0 for ids not indexed
        for n in positions:
            mask[n] = 1
        return list(compress(base, map(mask.__getitem__, self._base_positions(index))))

    def _base_positions(self, index: search.SearchIndex) -> list[int]:
        key = (self._base_key, id(index))
        if self._positions_key != key:
            position_of = index.position_of()
            self._positions = [position_of.get(i, -1) for i in self._base]
            self._positions_key = key
        return self._positions

    def _requery(self) -> None:
        if self._superseding_read(keep_place=False):
            return  # (shown from the top when read, as below)
        self._drop_listing()  # (this one is newer)
        try:
            ids = self._query_ids()
            self.error = ""
        except StorageError as exc:  # the database busy, unreadable, the server gone
            self.error = str(exc)  # the last rows stay (the message says why)
            self._base_key = None
            return
        except TiersError as exc:  # a bad filter
            ids, self.error = [], str(exc)
            self._base_key = None
        self.show_found(ids)

    def invalidate(self) -> None:
        """Rows changed but the set did not: drop the cache and repaint."""
        self._blocks.clear()
        if self.ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.ids) - 1, len(COLUMNS) - 1))

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].sort_key is None:
            return
        if (column, Qt.SortOrder(order)) == (self.sort_column, self.sort_order):
            return  # the ids are in this order already (reload keeps it): no second query
        self.sort_column, self.sort_order = column, Qt.SortOrder(order)
        # a refresh's listing under way is read anew in this order (the set may have
        # changed: it is shown by a reset)
        if self._superseding_read(keep_place=True):
            return
        ids = self._query_ids()
        if len(ids) != len(self.ids) or set(ids) != set(self.ids):
            self.show_found(ids)  # another set (the data changed): not a layout change
            return
        self.layoutAboutToBeChanged.emit()
        # the same set in a new order: persistent indexes follow their enterprise
        new_positions = {enterprise_id: row for row, enterprise_id in enumerate(ids)}
        previous = self.persistentIndexList()
        moved = []
        for index in previous:
            enterprise_id = self.ids[index.row()] if index.row() < len(self.ids) else None
            row = new_positions.get(enterprise_id, -1)
            moved.append(self.index(row, index.column()) if row >= 0 else QModelIndex())
        self.ids = ids
        self._blocks.clear()
        self.changePersistentIndexList(previous, moved)
        self.layoutChanged.emit()

    # --- rows on demand -----------------------------------------------------------------
    def row(self, row: int) -> dict[str, Any]:
        """The row, read with its block if not yet. Called from ``data`` while painting:
        nothing may raise through Qt there, so a database gone (the server stopped, the
        account disabled) leaves the block's cells blank, tells ``rows_failed`` once, and
        is tried again at the next refresh (the reconnection's)."""
        try:
            self._blocks.filters = self.filters
            found = self._blocks.row(self.ids, row, today=self.filters.today,
                                     search_text=self.filters.search)
        except TiersError as exc:
            self._blocks.fill_blank(self.ids, row)  # (not read again for every cell)
            if not self._rows_failing:
                self._rows_failing = True
                self.error = str(exc)
                log.warning("企业库的行未能读取：%s", exc)
                QTimer.singleShot(0, lambda message=str(exc): self.rows_failed.emit(message))
            return {"id": self.ids[row]}
        return found

    def cached(self, row: int) -> dict[str, Any] | None:
        """The row if its block was built (painted), else None: nothing is read."""
        return self._blocks.cached(self.ids, row)

    def cached_text(self, row: int, column: int) -> str | None:
        """The cell's text if its row was read (painted), else None: nothing is read."""
        found = self.cached(row)
        if found is None:
            return None
        key = COLUMNS[column].key
        return tier_text(found, short=True) if key == "tier" else self._cell(found, key)

    def prefetch(self, rows: list[int]) -> None:
        """Fetch the blocks of these rows in one query (a copy of many rows)."""
        self._blocks.filters = self.filters
        self._blocks.prefetch(self.ids, rows, today=self.filters.today,
                              search_text=self.filters.search)

    def rows_job(self, columns: list[int], amounts: set[int], rows: list[int] | None = None):
        """导出当前列表 of every firm in view (or of the ``rows`` given: a large selection's
        copy and sums), fetched on the runner with its own session."""
        ids = list(self.ids) if rows is None else [self.ids[row] for row in rows]
        database, today, filters = self.database, self.filters.today, self.filters
        keys = [(COLUMNS[c].key, c in amounts) for c in columns]

        def fetch() -> list[list[Any]]:
            with database.session() as session:
                rows = roster.roster_rows(session, ids, today=today, filters=filters)
            cell = EnterpriseTableModel._cell  # (as the table shows them: a sum of nothing —)
            return [[row.get(key) if amount else cell(row, key) for key, amount in keys]
                    for row in rows]

        return fetch

    def enterprise_id(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def row_of(self, enterprise_id: int) -> int:
        try:
            return self.ids.index(enterprise_id)
        except ValueError:
            return -1

    # --- Qt model API -----------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def _found_by_kind(self, found: list[search.FoundName]) -> list[tuple[str, list[str]]]:
        """The names a search found a firm by, 曾用名 apart from 记住的写法 (a name kept for
        matching only, FormerName.is_alias: no 曾用名)."""
        kinds = [(field_label("former_name", "name"), [str(n) for n in found if not n.remembered]),
                 (REMEMBERED, [str(n) for n in found if n.remembered])]
        return [(kind, names) for kind, names in kinds if names]

    @staticmethod
    def _cell(row: dict[str, Any], key: str) -> str:
        # 扶持金额合计 of no paid measure: a sum of nothing (—), where a figure's 0 is 0.00
        return display(row.get(key), zero=NOTHING_PAID if key == "support_total" else None)

    def data(self, index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.ids):
            return None
        column = COLUMNS[index.column()]
        if role == Qt.DisplayRole:
            if column.key == "tier":
                return tier_text(self.row(index.row()), short=True)
            return self._cell(self.row(index.row()), column.key)
        if role == Qt.ToolTipRole:
            row = self.row(index.row())
            if column.key == "name" and row.get(FORMER_MATCH):
                found = row[FORMER_MATCH]
                parts = [self.tr("{kind}“{names}”").format(kind=kind, names="、".join(names))
                         for kind, names in self._found_by_kind(found)]
                return self.tr("{name}\n按{found}找到").format(
                    name=display(row.get("name")), found="、".join(parts))
            if column.key == "valid_until" and row.get("status"):
                return row["status"]
            if column.key == "tier":
                return tier_text(row) or None
            if column.key == "support_total" and not row.get("support_total"):
                return self.tr("没有已兑现的资金奖补（申报、审核中的与融资、税收优惠、服务等不计入合计）")
            return self._cell(row, column.key) or None
        if role == Qt.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ForegroundRole and column.key in {"valid_until", "tier"}:
            row = self.row(index.row())
            colour = STATUS_COLOURS.get(row.get("status", ""))
            if colour is None and column.key == "tier" and row.get("pending") \
                    and not row.get("tier"):
                colour = PENDING_COLOUR
            elif colour is None and column.key == "tier" and row.get("review") \
                    and not row.get("tier"):
                colour = REVIEW_COLOUR
            return QBrush(colour) if colour else None
        if role == ID_ROLE:
            return self.ids[index.row()]
        if role == FORMER_NAME_ROLE and column.key == "name":
            found = self.row(index.row()).get(FORMER_MATCH)
            if not found:
                return None
            return "；".join(self.tr("{kind}：{names}").format(kind=kind, names="、".join(names))
                            for kind, names in self._found_by_kind(found))
        if role == VALUE_ROLE:
            return self.row(index.row()).get(column.key)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.DisplayRole) -> Any:
        if orientation == Qt.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.DisplayRole:
                return COLUMNS[section].title
            if role == Qt.TextAlignmentRole:  # (a long title wraps: roster_table.TitleWrap)
                return int(COLUMNS[section].align | Qt.TextWordWrap)
            if role == Qt.ToolTipRole:  # (the title whole where the column gave way)
                return filtered_header(self.column_filter(section), role) or \
                    COLUMNS[section].header_tip() or COLUMNS[section].title
            if role == Qt.FontRole:
                return filtered_header(self.column_filter(section), role)
        if orientation == Qt.Vertical and role == Qt.DisplayRole and 0 <= section < len(self.ids):
            return str(section + 1)
        return None

    # flags: QAbstractTableModel's own (enabled, selectable, no children), answered in C++.
    # A Python override was called for every cell a selection covers: Ctrl+A on 100,000
    # firms froze the window 11 s in it.
