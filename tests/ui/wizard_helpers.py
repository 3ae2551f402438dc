"""Lists the import wizard's tests build (a title row, a roster, a recognition list) and
the steps they drive the wizard through."""

from __future__ import annotations

from ui.import_wizard import ImportWizard

INSTRUCTIONS = [["填报说明"], ["1. 请按下表填写，金额单位为万元"],
                ["企业名称", "统一社会信用代码", "填写要求"]]  # a header, no data rows


def roster_rows(code, serials=(1, 2, 3)):
    return [["武进区重点企业名录"], ["序号", "企业名称", "统一社会信用代码", "县区"],
            *[[n, f"常州工作表{n}号科技有限公司", code(700 + n), "武进区"] for n in serials]]


def recognition_rows(code):
    return [["第五批专精特新“小巨人”企业名单"], ["序号", "企业名称", "统一社会信用代码", "县区"],
            *[[n, f"常州认定{n}号科技有限公司", code(800 + n), "武进区"] for n in (1, 2, 3)]]


def wait_idle(qtbot, wizard, step):
    qtbot.waitUntil(lambda: (wizard.current_step() == step or bool(wizard.error.text()))
                    and wizard.runner.settled, timeout=15_000)
    assert wizard.current_step() == step, wizard.error.text()


def open_wizard(qtbot, database, settings, runner, path, step, *, size=None):
    """The wizard on ``path`` (at ``size``, else its own), 下一步 pressed and ``step``
    reached with the runner idle."""
    wizard = ImportWizard(database, settings, runner, path=str(path))
    qtbot.addWidget(wizard)
    if size is not None:
        wizard.resize(*size)
    wizard.show()
    wizard.next_button.click()
    wait_idle(qtbot, wizard, step)
    return wizard
