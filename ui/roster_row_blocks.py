"""The 企业库 table's rows, built on demand a block at a time (tiers.queries.roster.roster_rows)
and kept until the data changes: the part of EnterpriseTableModel that reads rows, apart
from the part that decides which ids are listed (filters, sort, search)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tiers.queries import roster, search
from tiers.storage.database import Database

BLOCK = 64  # rows built per query: about two screens
KEPT = 50  # blocks kept: memory stays flat when scrolling far
# a row's key for the names a search found it by (search.FoundName: a former name, or a
# name remembered for matching only, 记住的写法)
FORMER_MATCH = "former_match"


class RowBlocks:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.blocks: dict[int, list[dict[str, Any]]] = {}
        # the filters the listing was found by: a status filter's rows name their titles
        # of that status (roster_rows)
        self.filters: roster.RosterFilter | None = None

    def clear(self) -> None:
        self.blocks.clear()

    def row(self, ids: Sequence[int], row: int, *, today, search_text: str) -> dict[str, Any]:
        """Row ``row`` of the listing ``ids``, its block read if not yet."""
        block = row // BLOCK
        rows = self.blocks.get(block)
        if rows is None:
            if len(self.blocks) > KEPT:
                self.blocks.clear()
            part = list(ids[block * BLOCK:(block + 1) * BLOCK])
            by_id = self._read(part, today=today, search_text=search_text)
            rows = [by_id.get(i, {"id": i}) for i in part]
            self.blocks[block] = rows
        return rows[row - block * BLOCK]

    def cached(self, ids: Sequence[int], row: int) -> dict[str, Any] | None:
        """The row if its block was built (painted), else None: nothing is read."""
        rows = self.blocks.get(row // BLOCK) if 0 <= row < len(ids) else None
        return rows[row - (row // BLOCK) * BLOCK] if rows is not None else None

    def prefetch(self, ids: Sequence[int], rows: list[int], *, today,
                 search_text: str) -> None:
        """Read the blocks of these rows in one query (a copy of many rows)."""
        blocks = sorted({row // BLOCK for row in rows if 0 <= row < len(ids)}
                        - self.blocks.keys())
        if not blocks:
            return
        if len(self.blocks) + len(blocks) > KEPT:
            self.blocks.clear()
        wanted = [i for block in blocks for i in ids[block * BLOCK:(block + 1) * BLOCK]]
        by_id = self._read(wanted, today=today, search_text=search_text)
        for block in blocks:
            self.blocks[block] = [by_id.get(i, {"id": i})
                                  for i in ids[block * BLOCK:(block + 1) * BLOCK]]

    def _read(self, ids: list[int], *, today, search_text: str) -> dict[int, dict[str, Any]]:
        return read_rows(self.database, ids, today=today, search_text=search_text,
                         filters=self.filters)

    def fill_blank(self, ids: Sequence[int], row: int) -> None:
        """The block of ``row`` could not be read: blank rows (just their ids) until the
        cache is next cleared, so that painting does not ask again for every cell."""
        block = row // BLOCK
        self.blocks[block] = [{"id": i} for i in ids[block * BLOCK:(block + 1) * BLOCK]]

    def install(self, blocks: dict[int, list[dict[str, Any]]]) -> None:
        """Blocks built elsewhere (read_blocks, on the runner) for the listing shown now."""
        self.blocks.clear()
        self.blocks.update(blocks)


def read_rows(database: Database, ids: list[int], *, today, search_text: str,
              filters: roster.RosterFilter | None = None) -> dict[int, dict[str, Any]]:
    with database.session() as session:
        fetched = roster.roster_rows(session, ids, today=today, filters=filters)
        note_former_names(session, fetched, search_text)
    return {item["id"]: item for item in fetched}


def read_blocks(database: Database, ids: Sequence[int], rows: range, *, today,
                search_text: str, filters: roster.RosterFilter | None = None,
                ) -> dict[int, list[dict[str, Any]]]:
    """The blocks holding ``rows`` of the listing ``ids``, read in one query (from any
    thread: a session of its own), for RowBlocks.install."""
    blocks = range(max(rows.start, 0) // BLOCK,
                   min(max(rows.stop, 0), len(ids)) // BLOCK + 1)
    wanted = [i for block in blocks for i in ids[block * BLOCK:(block + 1) * BLOCK]]
    if not wanted:
        return {}
    by_id = read_rows(database, wanted, today=today, search_text=search_text,
                      filters=filters)
    return {block: [by_id.get(i, {"id": i}) for i in ids[block * BLOCK:(block + 1) * BLOCK]]
            for block in blocks if ids[block * BLOCK:(block + 1) * BLOCK]}


def note_former_names(session, rows: list[dict[str, Any]], search_text: str) -> None:
    """Under a search, the former names that found a firm its present name does not
    explain (the officer typed the old name and sees the new one)."""
    text = search_text.strip()
    if not text or not rows:
        return
    found = search.former_name_matches(session, [row["id"] for row in rows], text)
    for row in rows:
        if row["id"] in found:
            row[FORMER_MATCH] = found[row["id"]]
