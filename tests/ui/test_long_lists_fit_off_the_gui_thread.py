"""扶持措施, 培育库 and 产业链 list thousands of rows on a city's database. Their column widths
were fitted by Qt on the GUI thread, asking the model for a dozen roles of 100 rows per column
(200-300 ms at each refresh), and only the rows near the top were measured: a longer text
further down was cut off. Now the read on the runner picks each column's widest-looking texts
from every row and the GUI thread measures only those (ui.column_fit); 产业链 reads the chosen
chain's firms on the runner too."""

from __future__ import annotations

import pytest

from tiers.services import chains, cultivation, measures
from ui.chains_view import ChainsView
from ui.column_fit import CharWidths, widest_texts
from ui.cultivation_view import CultivationView
from ui.measures_view import MeasuresView
from ui.record_table_model import RecordTableModel

LONG = "智能制造装备数字化转型示范项目"  # the widest project name (within 260 px)
MANY = 130  # more rows than Qt measured (100)


@pytest.fixture
def cells_asked(monkeypatch):
    """How many times a record model was asked for a cell while a page showed the rows it
    read (painting the screenful shown asks for its cells, and is not counted)."""
    asked, showing = [0], [False]
    original = RecordTableModel.data

    def data(self, index, role=0):
        if showing[0]:
            asked[0] += 1
        return original(self, index, role)

    def counted(method):
        def run(*args, **kwargs):
            showing[0] = True
            try:
                return method(*args, **kwargs)
            finally:
                showing[0] = False
        return run

    monkeypatch.setattr(RecordTableModel, "data", data)
    monkeypatch.setattr(MeasuresView, "_show", counted(MeasuresView._show))
    monkeypatch.setattr(CultivationView, "_entries_read", counted(CultivationView._entries_read))
    monkeypatch.setattr(CultivationView, "_overview_done", counted(CultivationView._overview_done))
    return asked


def fits(table, column: int, text: str) -> bool:
    """Drawn whole in its cell, as Qt elides it (fractional widths: review)."""
    from PySide6.QtCore import Qt

    from ui.column_fit import cell_margin

    room = table.columnWidth(column) - cell_margin(table)
    return table.fontMetrics().elidedText(text, Qt.ElideRight, room) == text


def test_a_long_text_far_down_the_list_fits_and_no_cell_is_asked_for_it(
        qtbot, database, settings, runner, session, enterprise_factory, cells_asked):
    for number in range(MANY):
        firm = enterprise_factory(f"常州{number:03d}科技有限公司")
        # the newest first: the long one, of the oldest year, is the last row
        measures.add(session, firm.id, {"kind": "认定奖励", "amount": "10",
                                        "year": 2000 if number == 0 else 2025,
                                        "name": LONG if number == 0 else "技改"})
    session.commit()
    view = MeasuresView(database, settings=settings, runner=runner, load=False)
    qtbot.addWidget(view)
    view.resize(1300, 600)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    column = [c.key for c in view.model.columns].index("measure_name")
    assert view.model.record(view.model.rowCount() - 1)["measure_name"] == LONG
    assert fits(view.table, column, LONG)
    cells_asked[0] = 0
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    assert cells_asked[0] == 0  # Qt's fitting asked 100 rows × 11 columns × a dozen roles


def test_the_cultivation_list_is_fitted_without_asking_its_cells(
        qtbot, database, settings, runner, session, enterprise_factory, cells_asked):
    for number in range(MANY):
        name = "常州市武进区精密传感技术科技集团有限公司" if number == MANY - 1 \
            else f"常州{number:03d}科技有限公司"
        firm = enterprise_factory(name)
        cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": 2027})
    session.commit()
    view = CultivationView(database, settings, runner=runner, load=False)
    qtbot.addWidget(view)
    view.resize(1800, 600)
    view.show()
    qtbot.waitExposed(view)
    cells_asked[0] = 0
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    assert cells_asked[0] == 0
    qtbot.waitUntil(lambda: view.overview_task is None, timeout=20_000)
    assert cells_asked[0] == 0  # nor when the 对标预审 arrives
    assert fits(view.table, 0, "常州市武进区精密传感技术科技集团有限公司")


def test_the_widest_credit_code_is_found_among_thousands_of_the_same_length(qtbot):
    """Every code has 18 characters: weighed by its characters, the one of wide letters
    is among the few measured."""
    from PySide6.QtWidgets import QTableView

    table = QTableView()
    qtbot.addWidget(table)
    widths = CharWidths.of(table.fontMetrics())
    codes = [f"9132041200000{number:05d}" for number in range(5000)] + ["91320412MWMWMWMWMW"]
    assert widest_texts(codes, widths)[0] == "91320412MWMWMWMWMW"


def test_choosing_a_chain_reads_nothing_on_the_gui_thread(
        qtbot, database, settings, runner, session, enterprise_factory, gui_statements):
    leader = enterprise_factory("常州链主有限公司", county="新北区")
    chains.set_role(session, leader.id, "C14", "链主")
    for number in range(MANY):
        firm = enterprise_factory(f"常州配套{number:03d}有限公司")
        chains.set_role(session, firm.id, "C14", "配套企业")
    other = enterprise_factory("常州另一链有限公司")
    chains.set_role(session, other.id, "C32", "配套企业")
    session.commit()
    view = ChainsView(database, settings, runner=runner)
    qtbot.addWidget(view)
    view.resize(1300, 600)
    view.show()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    seen, counting = gui_statements
    counting[0] = True
    try:
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            view.select_chain("C14")
        names = [view.model.record(row)["name"] for row in range(view.model.rowCount())]
        assert names[0] == "常州链主有限公司" and len(names) == MANY + 1
        assert "链主 1 家" in view.title.text() and f"{MANY + 1} 家企业" in view.title.text()
        cluster = view.items["C14"].parent()
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            view.tree.setCurrentItem(cluster)  # the cluster's chains, C14 among them
        assert not view.table.isColumnHidden(0)
        assert view.model.rowCount() == MANY + 1
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            view.select_chain("C32")
        assert [view.model.record(0)["name"]] == ["常州另一链有限公司"]
    finally:
        counting[0] = False
    assert seen == [], seen


def test_the_widest_amount_and_code_are_drawn_whole(qtbot):
    """Texts of Latin letters and digits have fractional widths: measured in whole pixels,
    the widest amount and credit code were a pixel short and drawn with '…' (review)."""
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from ui.column_fit import fit_to_texts

    texts = ["1,234,567.50", "91320412MWMWMWMWMW"]
    model = QStandardItemModel(1, 2)
    model.setHorizontalHeaderLabels(["额", "码"])
    table = QTableView()
    table.setModel(model)
    qtbot.addWidget(table)
    fit_to_texts(table, [[texts[0]], [texts[1]]])
    assert fits(table, 0, texts[0]) and fits(table, 1, texts[1])


def test_a_chain_whose_read_fails_says_so_and_is_read_again(
        qtbot, database, settings, runner, session, enterprise_factory, monkeypatch, messages):
    """The members' read failing left the title at 正在读取 for good, and choosing the chain
    again did nothing (review)."""
    import ui.chains_view as module

    firm = enterprise_factory("常州配套有限公司")
    chains.set_role(session, firm.id, "C14", "配套企业")
    session.commit()
    view = ChainsView(database, settings, runner=runner)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    whole = module.chain_members

    def broken(*_args, **_kwargs):
        raise OSError(5, "磁盘读取错误")

    monkeypatch.setattr(module, "chain_members", broken)
    view.select_chain("C14")
    after = []  # (what a save waits for: its save_finished was lost with a failed read)
    view._when_listed(lambda: after.append("listed"))
    qtbot.waitUntil(lambda: "未能读取" in view.title.text(), timeout=10_000)
    assert after == ["listed"]
    monkeypatch.setattr(module, "chain_members", whole)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.tree.itemClicked.emit(view.items["C14"], 0)  # the same chain, once more
    assert view.model.rowCount() == 1 and "1 家企业" in view.title.text()
