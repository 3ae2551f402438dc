"""产业链: the 14 clusters and 50 chains as a tree; a chain's enterprises by tier and
role, 链主 first; put a firm on a chain with a role."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tiers.model import reference
from tiers.queries.chains import chain_counts, chain_members
from tiers.services import chains
from tiers.storage.database import Database
from ui.app_settings import AppSettings
from ui.ask import ConfirmDialog, MessageDialog
from ui.background_runner import BackgroundRunner, Task
from ui.column_fit import CharWidths, Widest, fit_to_texts
from ui.county_column import CountyColumn
from ui.enterprise_picker_dialog import EnterprisePickerDialog, PickedFirm, with_name
from ui.latest_read import LatestRead
from ui.operations import Changes, save_from_page
from ui.record_form_dialog import RecordFormDialog
from ui.record_forms import chain_role_fields
from ui.record_table_model import (
    RecordColumn,
    RecordTableModel,
    fitted_and_keyed,
    record_table,
)
from ui.table_comforts import TableComforts

CODE_ROLE = Qt.UserRole + 3
CLUSTER_ROLE = Qt.UserRole + 4


class ChainsView(QWidget):
    open_requested = Signal(int)
    save_finished = Signal(bool)  # a write ended: True when written (and the firms shown)
    loaded = Signal()  # the chosen chain's firms are shown

    def __init__(self, database: Database, settings: AppSettings,
                 parent: QWidget | None = None, *, load: bool = True,
                 runner: BackgroundRunner | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.settings = settings
        # a viewer's login changes nothing here: its buttons greyed, saying why
        self.read_only = database.rights.refusal() if hasattr(database, "rights") else ""
        self.runner = runner  # writes run there; the firm picker builds its search index there
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("产业集群 / 产业链"), self.tr("企业")])
        header = self.tree.header()
        # the counts must stay on screen however narrow the tree is
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.tree.setMinimumWidth(300)
        self.saving: Task | None = None
        self.counting = LatestRead(self, self.tr("产业链"))  # the chains' counts
        self.listing = LatestRead(self, self.tr("产业链企业"),  # the chosen chain's firms
                                  on_ended=self._listing_failed)
        self.shown: tuple[str, str] | None = None  # ("chain", code) or ("cluster", name)
        self._after_listing: list[Callable[[], None]] = []  # (_when_listed)
        self.widest: Widest = []  # each column's widest texts, as last read
        self.items: dict[str, QTreeWidgetItem] = {}
        clusters: dict[str, QTreeWidgetItem] = {}
        for chain in reference.chains():
            parent_item = clusters.get(chain.cluster)
            if parent_item is None:
                parent_item = QTreeWidgetItem([f"{chain.cluster_no}. {chain.cluster}", ""])
                parent_item.setData(0, CLUSTER_ROLE, chain.cluster)
                parent_item.setTextAlignment(1, Qt.AlignRight | Qt.AlignVCenter)
                clusters[chain.cluster] = parent_item
                self.tree.addTopLevelItem(parent_item)
            item = QTreeWidgetItem([f"{chain.number}. {chain.name}", ""])
            item.setToolTip(0, f"{chain.cluster} · {chain.name}")
            item.setData(0, CODE_ROLE, chain.code)
            item.setTextAlignment(1, Qt.AlignRight | Qt.AlignVCenter)
            parent_item.addChild(item)
            self.items[chain.code] = item
        self.cluster_items = clusters
        self.tree.expandAll()
        self.tree.currentItemChanged.connect(lambda _c, _p: self.show_chain())
        # (a chain whose read failed is read again when clicked once more)
        self.tree.itemClicked.connect(lambda *_: self.show_chain() if self.shown is None
                                      else None)

        self.title = QLabel(self.tr("选择左侧的产业链"))
        self.title.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.model = RecordTableModel([
            RecordColumn("chain", "产业链"),
            RecordColumn("role", "角色"), RecordColumn("name", "企业名称"),
            RecordColumn("tier", "当前梯度"), RecordColumn("county", "县区"),
            RecordColumn("town", "镇街"),
            RecordColumn("credit_code", "信用代码"), RecordColumn("note", "备注"),
        ], [], self, colour=lambda r: "#b00020" if r["is_leader"] else None)
        self.table = record_table(self.model)
        self.table.activated.connect(self._activated)
        self.table.setColumnHidden(0, True)  # the 产业链 column is for a cluster's list
        self.county_column = CountyColumn(self.table, self.model)
        self.comforts = TableComforts(
            self.table, "chains", settings, unit=self.tr("家"), title=self.tr("产业链企业"),
            runner=runner,
            open_row=lambda row: self._activated(self.model.index(row, 0)),
            row_actions=self._row_actions, describe=lambda: self.title.text())
        self.county_column.follow(self.comforts)
        self.comforts.fit = lambda: fit_to_texts(self.table, self.widest)
        self.char_widths = CharWidths.of(self.table.fontMetrics())
        buttons = QHBoxLayout()
        buttons.addWidget(self.title, 1)
        for text, slot in ((self.tr("加入企业"), self.assign), (self.tr("修改角色"), self.edit_role),
                           (self.tr("移出"), self.remove_selected)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            if self.read_only and slot != getattr(self, "open_selected", None):
                button.setEnabled(False)
                button.setToolTip(self.read_only)
        right = QWidget()
        box = QVBoxLayout(right)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(buttons)
        box.addWidget(self.table, 1)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setSizes([320, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        if load:
            self.refresh()

    def refresh(self) -> None:
        """The chain shown, the 县区 column, and the chains' counts: read on the runner
        (every firm's roles and 链主 titles: 0.1 s at 100,000 firms), the latest refresh's
        shown."""
        self.county_column.refresh(self.database, self.runner)
        self.show_chain()
        database = self.database

        def job(_task: Task | None) -> dict[str, int]:
            with database.session() as session:
                return chain_counts(session)

        self.counting.run(self.runner, job, self._show_counts)

    def _show_counts(self, counts: dict[str, int]) -> None:
        for code, item in self.items.items():
            item.setText(1, str(counts.get(code, "")) if counts.get(code) else "")
        for cluster in self.cluster_items.values():
            total = sum(counts.get(cluster.child(i).data(0, CODE_ROLE), 0)
                        for i in range(cluster.childCount()))
            cluster.setText(1, str(total) if total else "")

    def current_chain(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, CODE_ROLE) if item is not None else None

    def select_chain(self, code: str) -> None:
        self.tree.setCurrentItem(self.items[code])

    def current_cluster(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, CLUSTER_ROLE) if item is not None else None

    def show_cluster(self, cluster: str) -> None:
        chains_of = [c for c in reference.chains() if c.cluster == cluster]

        def show(rows: list[dict]) -> None:
            firms = len({r["enterprise_id"] for r in rows})
            self.title.setText(self.tr("%1：%2 条产业链，%3 家企业").replace("%1", cluster)
                               .replace("%2", str(len(chains_of))).replace("%3", str(firms)))
            self.table.setColumnHidden(0, False)

        self._list(("cluster", cluster), [(c.code, c.name) for c in chains_of], show)

    def show_chain(self) -> None:
        """The chosen chain's (or cluster's) firms, read on the runner (5,000 firms on a
        city's chain: 0.2 s); another chain chosen meanwhile supersedes the read."""
        code = self.current_chain()
        if code is None:
            cluster = self.current_cluster()
            if cluster:
                self.show_cluster(cluster)
                return
            self.listing.drop()
            self.shown = None
            self.title.setText(self.tr("选择左侧的产业链"))
            self.model.set_rows([])
            self._listed()
            return
        chain = next(c for c in reference.chains() if c.code == code)

        def show(rows: list[dict]) -> None:
            leaders = sum(1 for r in rows if r["is_leader"])
            self.title.setText(self.tr("%1：%2 家企业，链主 %3 家").replace("%1", chain.name)
                               .replace("%2", str(len(rows))).replace("%3", str(leaders)))
            self.table.setColumnHidden(0, True)

        self._list(("chain", code), [(code, chain.name)], show)

    def _list(self, key: tuple[str, str], chains_of: list[tuple[str, str]],
              titled: Callable[[list[dict]], None]) -> None:
        """Read the members of ``chains_of`` (code, name) on the runner, then show them
        and ``titled`` the page. The rows of another chain are taken away at once (修改角色
        on them would act on the chain now chosen); the same chain's stay until read."""
        if key != self.shown:
            self.shown = key
            self.model.set_rows([])
            self.title.setText(self.tr("%1：正在读取……").replace("%1", key[1] if key[0] ==
                                                                 "cluster" else chains_of[0][1]))
        database, columns, widths = self.database, self.model.columns, self.char_widths

        def job(_task: Task | None) -> tuple[list[dict], Widest, list]:
            with database.session() as session:
                rows = [dict(r, chain=name) for code, name in chains_of
                        for r in chain_members(session, code)]
            # each column's widest texts and sort keys: the GUI thread measures a dozen
            # texts a column, and a click on a header is a key sort
            return rows, *fitted_and_keyed(columns, rows, widths)

        def show(found: tuple[list[dict], Widest, list]) -> None:
            rows, self.widest, keys = found
            titled(rows)
            self.model.set_rows(rows, keys=keys)
            fit_to_texts(self.table, self.widest)
            self.loaded.emit()
            self._listed()

        self.listing.run(self.runner, job, show)

    def _listing_failed(self) -> None:
        """The members' read failed or was cancelled: the title says so (it said 正在读取
        for good), and choosing the chain again reads it again (review)."""
        if self.shown is not None:
            self.title.setText(self.tr("%1：未能读取").replace(
                "%1", self.title.text().split("：")[0]))
        self.shown = None
        self._listed()

    def _when_listed(self, then: Callable[[], None]) -> None:
        """``then`` once the members being read are shown, or their read ended otherwise
        (now when none is under way), as 培育库's _when_loaded: waiting on ``loaded`` alone,
        a save's save_finished was lost when the read failed, and came with a later chain
        (review)."""
        if self.listing.task is None:
            then()
        else:
            self._after_listing.append(then)

    def _listed(self) -> None:
        waiting, self._after_listing = self._after_listing, []
        for then in waiting:
            then()

    def _row_actions(self) -> list[QAction]:
        actions = []
        for text, slot in ((self.tr("修改角色"), self.edit_role),
                           (self.tr("移出产业链"), self.remove_selected)):
            action = QAction(text)
            action.triggered.connect(slot)
            action.setEnabled(self.table.currentIndex().isValid() and not self.read_only)
            actions.append(action)
        return actions

    def role_title(self, name: str) -> str:
        return self.tr("产业链角色") + (f" — {name}" if name else "")

    def selected(self):
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def assign(self, firm: PickedFirm | None = None) -> None:
        """加入企业: the firm picked (or given), its role on the chain asked; the name in the
        form's title is the one the picker showed, or read on the runner (nothing is read on
        the GUI thread)."""
        code = self.current_chain()
        firm = firm or EnterprisePickerDialog.pick_firm(
            self.database, self, self.tr("选择要加入产业链的企业"), runner=self.runner)
        if firm:  # (a name the picker had not shown is read on the runner first)
            with_name(self, self.database, self.runner, firm,
                      lambda named: self._ask_role(named, code))

    def _ask_role(self, firm: PickedFirm, code: str | None) -> None:
        enterprise_id, name = firm
        values = RecordFormDialog.edit(self, self.role_title(name), chain_role_fields(),
                                       {"chain_code": code, "role": "配套企业"})
        if values is None:
            return
        self._write(lambda s: chains.set_role(s, enterprise_id, values["chain_code"],
                                              values["role"], note=values.get("note") or "",
                                              user=self.settings.officer or None),
                    show_chain=values["chain_code"])

    def edit_role(self) -> None:
        row, code = self.selected(), self.current_chain()
        if row is None or code is None:
            return
        values = RecordFormDialog.edit(self, self.role_title(row["name"]), chain_role_fields(),
                                       {"chain_code": code, "role": row["role"] or "链主",
                                        "note": row["note"]})
        if values is not None:
            self._write(lambda s: chains.set_role(s, row["enterprise_id"], values["chain_code"],
                                                  values["role"], note=values.get("note") or "",
                                                  user=self.settings.officer or None))

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row["chain_role_id"] is None:
            MessageDialog.info(self, self.tr("产业链"), self.tr(
                "该企业因链主认定而列在此链，请在企业档案的“梯度认定”中修改。"))
            return
        if ConfirmDialog.ask(self, self.tr("移出产业链"),
                             self.tr("把“%1”移出该产业链？").replace("%1", row["name"])):
            self._write(lambda s: chains.remove(s, row["chain_role_id"],
                                                user=self.settings.officer or None))

    def _activated(self, index) -> None:
        row = self.model.record(index.row())
        if row:
            self.open_requested.emit(row["enterprise_id"])

    def _write(self, action, *, show_chain: str | None = None) -> Task:
        """Write on the runner (a busy database must not freeze the window), then show the
        new counts and, after an assignment, the chain the firm was put on."""

        def written(_outcome) -> None:
            self.refresh()
            if show_chain is not None:
                self.select_chain(show_chain)

        self.saving = save_from_page(
            self, self.runner, self.database, self.tr("产业链"), action, status=self.title,
            changes=Changes(chains=True), on_saved=written, on_done=self._write_done)
        return self.saving

    def _write_done(self, written: bool) -> None:
        self.saving = None
        # written: the chain's firms are being read again (on_saved), shown before this
        self._when_listed(lambda: self.save_finished.emit(written))
