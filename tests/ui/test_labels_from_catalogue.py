"""The desktop's roster table and the command line title their columns from the field
catalogue, and show their cells with values.show."""

import datetime as dt
from decimal import Decimal

from tiers.text import fields
from ui.cli.common import format_cell, money
from ui.cli.enterprises import ROSTER_COLUMNS
from ui.enterprise_table_model import COLUMNS, display


def _titles(entity, key):
    return {fields.label(entity, key), fields.short(entity, key), fields.narrow(entity, key)}


def test_the_roster_table_titles_come_from_the_catalogue():
    for column in COLUMNS:
        assert column.title in _titles("roster", column.key), column


def test_the_command_line_roster_titles_come_from_the_catalogue():
    for key, title in ROSTER_COLUMNS:
        assert title in _titles("roster", key), key


def test_the_desktop_and_the_command_line_show_amounts_their_own_way():
    amount = Decimal("12345.6")
    # a 0 entered is 0.00 on the desktop too; — only for the roster's sum of nothing
    assert display(amount) == "12,345.60" and display(Decimal(0)) == "0.00"
    assert display(Decimal(0), zero="—") == "—" and display(None) == ""
    assert format_cell(amount) == "12345.60" and format_cell(Decimal(0)) == "0.00"
    assert money(amount) == "12,345.60 万元" and money(None) == "—"
    for shown in (display, format_cell):
        assert shown(None) == "" and shown(dt.date(2027, 12, 31)) == "2027-12-31"
        assert shown("泰州") == "泰州" and shown(2024) == "2024"
