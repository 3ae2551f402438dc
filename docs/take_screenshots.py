"""Render each main screen of the desktop client with the demo data into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen python docs/take_screenshots.py [--out docs/screenshots]

Works offscreen or under Xvfb; needs a CJK font (fonts-noto-cjk on Debian/Ubuntu).
Nothing touches the user's database or settings: everything lives in a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QItemSelectionModel, QSettings  # noqa: E402

from tiers.queries import profiles, roster
from tiers.services import demo  # noqa: E402
from tiers.storage.database import open_database  # noqa: E402

SIZE = (1360, 860)


def settle(app, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def wait_for(app, condition, timeout: float = 30.0) -> None:
    import time

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("screenshot step did not finish")
        app.processEvents()
        time.sleep(0.01)


def sample_roster(folder: Path, database) -> Path:
    """A county roster as it arrives: a title row, known firms with new values, new firms,
    one wrong credit code."""
    import openpyxl

    from tiers.model import credit_code

    with database.session() as session:
        known = roster.roster(session, roster.RosterFilter())[:6]
    path = folder / "2024年武进区专精特新企业名单.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["2024年度武进区省级专精特新中小企业名单"])
    sheet.append(["序号", "企业名称", "统一社会信用代码", "所在镇（街道）", "主导产品", "联系人"])
    for number, row in enumerate(known, start=1):
        sheet.append([number, row["name"], row["credit_code"], row["town"],
                      row["main_product"] or "精密零部件", "周建华"])
    for offset, (name, town) in enumerate([("常州市新誉精工机械有限公司", "湖塘镇"),
                                           ("江苏恒信传感科技有限公司", "洛阳镇"),
                                           ("常州博远智能装备有限公司", "雪堰镇")]):
        code = credit_code.make(f"91320412MA7X{offset:04d}")
        sheet.append([len(known) + offset + 1, name, code, town, "工业机器人", "孙敏"])
    sheet.append([len(known) + 4, "常州市错误代码有限公司", "91320412MA12345678", "牛塘镇",
                  "阀门", ""])
    book.save(path)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="tiers-screenshots-"))
    database = open_database(folder / "demo.sqlite3")
    with database.session() as session:
        for _ in demo.generate(session, enterprises=300, today=dt.date.today()):
            pass

    from ui.app import make_application
    from ui.app_settings import AppSettings
    from ui.enterprise_dialog import EnterpriseDialog
    from ui.export_dialog import ExportDialog
    from ui.import_wizard import PREVIEW, ImportWizard
    from ui.main_window import MainWindow
    from ui.settings_dialog import SettingsDialog

    app = make_application([sys.argv[0]])
    settings = AppSettings(QSettings(str(folder / "settings.ini"), QSettings.IniFormat))
    settings.organisation = "常州市武进区工业和信息化局"
    settings.officer = "陈晓东"
    settings.phone = "0519-86310000"
    window = MainWindow(database, settings)
    window.resize(*SIZE)
    window.show()
    settle(app)

    def save(widget, name: str) -> None:
        settle(app)
        path = args.out / f"{name}.png"
        widget.grab().save(str(path))
        print(path)

    window.show_page(0)
    wait_for(app, lambda: window.dashboard.loaded_once)
    save(window, "01-工作台")
    window.show_page(1)
    save(window, "02-企业库")
    window.roster.search.setText("yy")
    window.roster.apply_filters()
    window.roster.filters.select(status="有效")
    save(window, "03-企业库-搜索筛选")
    window.roster.filters.clear()
    window.roster.search.setText("")
    window.roster.apply_filters()
    for number, name in ((2, "04-培育库"), (3, "05-扶持措施"), (4, "06-产业链"),
                         (5, "07-导入记录")):
        window.show_page(number)
        if number == 2:  # each entry's 对标预审 arrives from the background runner
            wait_for(app, lambda: window.cultivation.overview_task is None)
        if number == 4:
            window.chains.select_chain("C32")
        save(window, name)

    with database.session() as session:
        ids = roster.roster_ids(session, roster.RosterFilter(tier="little_giant"))
    dialog = EnterpriseDialog(database, settings, ids[0], window, runner=window.runner)
    dialog.resize(980, 700)
    dialog.show()
    save(dialog, "08-企业档案-基本信息")
    dialog.tabs.setCurrentIndex(1)
    save(dialog, "09-企业档案-梯度认定")
    dialog.tabs.setCurrentIndex(3)
    save(dialog, "10-企业档案-扶持措施")
    dialog.close()

    # 变更记录: an officer's edits to the same firm — a field, a new measure, a revoke
    from tiers.services import enterprises, measures, recognitions

    with database.session() as session:
        profile = profiles.profile(session, ids[0])
        enterprises.update(session, ids[0], {"main_product": "精密液压件"}, user="陈晓东")
        measures.add(session, ids[0], {"kind": profile["support_measures"][0]["kind"]
                                       if profile["support_measures"] else "奖励资金",
                                       "name": "智能化改造专项", "amount": "50.00",
                                       "year": dt.date.today().year, "status": "已兑现",
                                       "paid_on": dt.date.today()}, user="陈晓东")
        if profile["recognitions"]:
            recognitions.revoke(session, profile["recognitions"][-1]["id"],
                                reason="复核未通过", user="陈晓东")
    dialog = EnterpriseDialog(database, settings, ids[0], window, runner=window.runner)
    dialog.resize(1180, 700)
    dialog.show()
    dialog.tabs.setCurrentWidget(dialog.history_view)
    save(dialog, "17-企业档案-变更记录")
    dialog.close()

    # 对标预审: a firm one condition short of 专精特新, with its gap
    from tiers.assess import ONE_SHORT, candidates

    with database.session() as session:
        found = candidates(session, "zjtx")
    near = next(item for item in found.ranked if item.readiness == ONE_SHORT)
    dialog = EnterpriseDialog(database, settings, near.enterprise_id, window,
                              runner=window.runner)
    dialog.resize(1180, 760)
    dialog.show()
    dialog.tabs.setCurrentWidget(dialog.assessment_tab)
    wait_for(app, lambda: dialog.assessment_tab.ready)  # (the tab reads on the runner)
    dialog.assessment_tab.select_tier("zjtx")
    wait_for(app, lambda: dialog.assessment_tab.ready)  # (a pick assesses on it too)
    tree = dialog.assessment_tab.tree
    short = tree.model().match(tree.model().index(0, 1), 0, "不满足", 1)
    if short:  # its text below, the row itself left unselected so its colour shows
        tree.selectionModel().setCurrentIndex(short[0].siblingAtColumn(0),
                                              QItemSelectionModel.NoUpdate)
    save(dialog, "15-企业档案-对标预审")
    dialog.close()

    window.show_page(2)
    candidates_view = window.cultivation.candidates
    window.cultivation.tabs.setCurrentWidget(candidates_view)
    candidates_view.select_tier("zjtx")
    candidates_view.run()
    wait_for(app, lambda: candidates_view.found is not None and not candidates_view.running())
    # the turn from 条件均满足 to 差一项, where the gaps start
    model = candidates_view.model
    first_short = next(row for row in range(model.rowCount())
                       if model.record(row)["readiness_code"] == ONE_SHORT)
    candidates_view.table.selectRow(first_short)
    candidates_view.table.scrollTo(model.index(first_short, 0),
                                   candidates_view.table.ScrollHint.PositionAtCenter)
    save(window, "16-培育库-候选企业")

    wizard = ImportWizard(database, settings, window.runner, window,
                          path=str(sample_roster(folder, database)))
    wizard.resize(1180, 720)
    wizard.show()
    wizard.next()
    wait_for(app, lambda: wizard.current_step() >= 2 and not wizard._busy())
    save(wizard, "11-导入-列对应")
    wizard.next()
    wait_for(app, lambda: wizard.current_step() == PREVIEW and not wizard._busy())
    save(wizard, "12-导入-预览")
    wizard.close()

    export = ExportDialog(database, settings, window.runner, window, report="roster")
    export.show()
    save(export, "13-导出报表")
    export.close()
    settings_dialog = SettingsDialog(database, settings, window.runner, window)
    settings_dialog.show()
    save(settings_dialog, "14-设置")
    settings_dialog.close()
    window.close()
    database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
