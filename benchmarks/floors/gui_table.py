"""Floor of the window's start: a bare PySide6 QTableView over sqlite3 (the firms' ids, names
and codes sorted by the pinyin key, rows read on demand), shown; prints the wall-clock time
of its first paint (``first_paint <time.time()>`` on stderr) and quits.

    python gui_table.py DEMO.sqlite3
"""

import sqlite3
import sys
import time

from PySide6.QtCore import QAbstractTableModel, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QTableView

db = sqlite3.connect(sys.argv[1])
ids = [row[0] for row in db.execute(
    "SELECT id FROM enterprise WHERE deleted_at IS NULL ORDER BY pinyin_key, name, id")]


class Model(QAbstractTableModel):
    def rowCount(self, parent=None):  # noqa: N802 (Qt's name)
        return len(ids)

    def columnCount(self, parent=None):  # noqa: N802
        return 3

    def data(self, index, role=Qt.DisplayRole):
        if role != Qt.DisplayRole:
            return None
        return db.execute("SELECT name, credit_code, town FROM enterprise WHERE id = ?",
                          (ids[index.row()],)).fetchone()[index.column()]


class FirstPaint(QObject):
    def eventFilter(self, watched, event):  # noqa: N802
        if event.type() == QEvent.Paint:
            print(f"first_paint {time.time()}", file=sys.stderr, flush=True)
            QTimer.singleShot(0, app.quit)
            watched.removeEventFilter(self)
        return False


app = QApplication(sys.argv[:1])
view = QTableView()
view.setModel(Model())
watcher = FirstPaint()
view.viewport().installEventFilter(watcher)
view.resize(1200, 700)
view.show()
app.exec()
