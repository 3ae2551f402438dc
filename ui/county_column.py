"""A list's 县区 column (培育库, 候选企业, 扶持措施, 产业链): shown on a city's database (firms of several counties), hidden on
a county's own, where every row would say the same county.

How many counties the firms are in is read once per database (a DISTINCT scan of every
firm) and again only after a write that touched firms: the window calls ``firms_changed``
(a database switch opens another Database, read afresh)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from PySide6.QtWidgets import QTableView

from tiers.queries import roster
from ui.record_table_model import RecordTableModel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tiers.storage.database import Database

_COUNTIES: WeakKeyDictionary[Database, int] = WeakKeyDictionary()


def county_count(database: Database, session: Session) -> int:
    """How many counties the database's firms are in (read by ``session`` when not known)."""
    known = _COUNTIES.get(database)
    if known is None:
        known = _COUNTIES[database] = len(roster.counties(session))
    return known


def firms_changed(database: Database) -> None:
    """A write touched firms (or another client's did): the count is read again."""
    _COUNTIES.pop(database, None)


class CountyColumn:
    """``show_for(counties)`` after each load, with how many counties the database's firms
    are in. The column is shown or hidden only when that answer changes (a second county's
    package arrives): an officer who hides or shows it by the header's menu keeps the choice
    until then, also across restarts — the first load applies the rule only to a table with
    no saved state of its own, or one saved when the firms were in one county and now are in
    several (or the other way round). 恢复默认列 applies it again."""

    def __init__(self, table: QTableView, model: RecordTableModel) -> None:
        self.table = table
        self.column = [column.key for column in model.columns].index("county")
        self.several: bool | None = None
        self.comforts = None  # ui.table_comforts.TableComforts, once ``follow`` is called

    def follow(self, comforts) -> None:
        """The table's comforts: its saved state says how many counties there were."""
        self.comforts = comforts
        comforts.counties = self.note
        comforts.defaults_restored.append(self.apply)

    def note(self) -> str:
        """For the saved state: before the first load, what was noted with it before."""
        if self.several is None:
            return self._saved()
        return "several" if self.several else "one"

    def load(self, database: Database, session: Session) -> None:
        self.show_for(county_count(database, session))

    def show_for(self, counties: int) -> None:
        several = counties > 1
        if several == self.several:
            return
        first = self.several is None
        self.several = several
        if first and self._saved_for(several):
            return  # the officer's own show or hide, saved under the same counties
        self.apply()

    def apply(self) -> None:
        if self.several is not None:
            self.table.setColumnHidden(self.column, not self.several)

    def _saved_for(self, several: bool) -> bool:
        """The table's state was restored, saved under the same answer (a state saved
        without it, by an earlier version, gets the rule once more)."""
        restored = self.comforts is not None and self.comforts.restored
        return restored and self._saved() == ("several" if several else "one")

    def _saved(self) -> str:
        comforts = self.comforts
        if comforts is None or comforts.settings is None:
            return ""
        return comforts.settings.table_counties(comforts.name)
