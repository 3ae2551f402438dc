"""An empty 成立日期 showed a grey “2010-05-01” that read as the firm's own date (tester25,
problem 9): every empty date field of the client says it is empty and the form a date takes
(未填写（格式如 2010-05-01）), and no field's grey text is a bare date or number."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QLineEdit

from tiers.services import enterprises
from ui import record_forms
from ui.record_form_dialog import RecordFormDialog

# a grey text that could be a value: a date or a number alone, nothing saying it is an example
LOOKS_LIKE_DATA = re.compile(r"^\s*[\d.,:/年月日-]+\s*$")


def test_the_empty_founding_date_says_it_is_empty(
        qtbot, firm_window, database, settings, runner, code):
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": code(1), "name": "溧阳市金峰电缆有限公司",
                                            "county": "溧阳市"}).id
    window = firm_window(firm)
    founded = window.basic_form.inputs["founded_on"]
    assert founded.text() == ""
    assert founded.placeholderText() == "未填写（格式如 2010-05-01）"
    for widget in window.basic_form.inputs.values():
        if isinstance(widget, QLineEdit):
            assert not LOOKS_LIKE_DATA.match(widget.placeholderText()), widget.placeholderText()


def test_no_record_form_shows_a_bare_value_in_grey(qtbot):
    dates = 0
    for fields in (record_forms.recognition_fields(), record_forms.measure_fields(),
                   record_forms.figures_fields(), record_forms.chain_role_fields(),
                   record_forms.cultivation_fields()):
        dialog = RecordFormDialog("记录", fields, {})
        qtbot.addWidget(dialog)
        for spec in fields:
            widget = dialog.widgets[spec.key]
            if not isinstance(widget, QLineEdit):
                continue
            grey = widget.placeholderText()
            assert not LOOKS_LIKE_DATA.match(grey), (spec.key, grey)
            if spec.kind == "date" and not spec.placeholder:
                assert grey == "未填写（格式如 2010-05-01）", spec.key
                dates += 1
    assert dates == 2  # 认定日期, 兑现日期 (有效期至 says how it is worked out when left empty)
