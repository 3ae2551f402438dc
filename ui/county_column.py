"""A list's 县区 column (培育库, 候选企业, 扶持措施, 产业链): shown on a city's database (firms of
several counties), hidden on a county's own, where every row would say the same county; and
the counties the pages' 县区 choices list (候选企业, 扶持措施, the roster's filters).

Which counties the firms are in is read once per database (a DISTINCT scan of every firm:
25 ms at 100,000 firms, more on a busy disk or a server), on the background runner, and
kept here as the list; it is read again only after a write that touched firms: the window
calls ``firms_changed`` (also when another officer's commit on a server is heard,
ui.server_changes, and on 刷新; a database switch opens another Database, read afresh). A page
asks with ``with_counties``: answered at once when known, else when the runner has read
them; the GUI thread never scans the firms for them."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTableView

from tiers.queries import roster
from ui.operations import run_operation
from ui.record_table_model import RecordTableModel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tiers.storage.database import Database
    from ui.background_runner import BackgroundRunner, Task

log = logging.getLogger(__name__)

_COUNTIES: WeakKeyDictionary[Database, list[str]] = WeakKeyDictionary()
# bumped by each firms_changed: a list read before it is not kept
_CHANGES: WeakKeyDictionary[Database, int] = WeakKeyDictionary()
_LOCK = threading.Lock()  # the runner's thread keeps what it read


def known_counties(database: Database) -> list[str] | None:
    """The counties, sorted, when read since the firms last changed (no database work)."""
    with _LOCK:
        return _COUNTIES.get(database)


def read_counties(database: Database, session: Session) -> list[str]:
    """The counties the database's firms are in, read by ``session`` when not known (on
    the runner, or with the data a job reads there), and kept unless firms changed
    meanwhile."""
    with _LOCK:
        known, changes = _COUNTIES.get(database), _CHANGES.get(database, 0)
    if known is not None:
        return known
    found = roster.counties(session)
    with _LOCK:
        if _CHANGES.get(database, 0) == changes:
            _COUNTIES[database] = found
    return found


def firms_changed(database: Database) -> None:
    """A write touched firms (or another client's did): the counties are read again."""
    with _LOCK:
        _COUNTIES.pop(database, None)
        _CHANGES[database] = _CHANGES.get(database, 0) + 1


def with_counties(parent: QObject, runner: BackgroundRunner | None, database: Database,
                  use: Callable[[list[str]], None]) -> Task | None:
    """``use(counties)`` now when they are known, else once the runner has read them
    (dropped if ``parent`` is deleted first); without a runner (a page in a test) they are
    read here."""
    known = known_counties(database)
    if known is not None:
        use(known)
        return None
    if runner is None:
        with database.session() as session:
            use(read_counties(database, session))
        return None
    if runner.closed:
        return None

    def job(_task: Task) -> list[str]:
        with database.session() as session:
            return read_counties(database, session)

    return run_operation(parent, runner, "读取县区", job, on_success=use,
                         on_failure=lambda message: log.warning("县区未读出：%s", message))


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
        """The table's comforts: saved with its state, how many counties there were."""
        self.comforts = comforts
        comforts.state_saved.append(self._save_note)
        comforts.defaults_restored.append(self.apply)

    def _save_note(self) -> None:
        if self.comforts.settings is not None:
            self.comforts.settings.set_table_counties(self.comforts.name, self.note())

    def note(self) -> str:
        """For the saved state: before the first load, what was noted with it before."""
        if self.several is None:
            return self._saved()
        return "several" if self.several else "one"

    def refresh(self, database: Database, runner: BackgroundRunner | None) -> None:
        """Shown or hidden by the counties: at once when known, else once read."""
        with_counties(self.table, runner, database, self.show_for_counties)

    def show_for_counties(self, counties: list[str]) -> None:
        self.show_for(len(counties))

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
