"""The field catalogue (resources/fields.toml): well formed, complete, and the one source of
the labels the services and the change history use."""

import ast
from pathlib import Path

import pytest

from tiers.model import orm
from tiers.services import cultivation, enterprises, figures, measures, recognitions
from tiers.text import changes, fields

ROOT = Path(__file__).resolve().parents[2]
RECORDS = {"enterprise": orm.Enterprise, "recognition": orm.Recognition,
           "support_measure": orm.SupportMeasure, "annual_figures": orm.AnnualFigures,
           "chain_role": orm.ChainRole, "cultivation_entry": orm.CultivationEntry,
           "former_name": orm.FormerName}
# The modules whose field labels must come from the catalogue (not a literal of their own).
LABEL_USERS = ["tiers/services/enterprises.py", "tiers/services/figures.py",
               "tiers/services/measures.py", "tiers/services/recognitions.py",
               "tiers/services/cultivation.py", "tiers/text/changes.py",
               "ui/cli/enterprises.py", "ui/cli/show.py", "ui/enterprise_table_model.py"]


def _every_field():
    return [f for entity in fields.catalogue().fields.values() for f in entity.values()]


def test_every_field_is_well_formed():
    for field in _every_field():
        assert field.kind in fields.KINDS and field.label.strip() == field.label != ""
        if field.places is not None:
            assert field.kind in {"amount", "decimal", "percent"}, field
        if field.kind == "amount":
            assert field.unit == "万元" and field.places == 2, field


@pytest.mark.parametrize("entity", sorted(RECORDS))
def test_every_column_people_see_has_a_label_and_an_entity_name(entity):
    columns = {column.key for column in RECORDS[entity].__table__.columns} - changes.HIDDEN
    assert columns <= set(fields.fields_of(entity)), columns - set(fields.fields_of(entity))
    assert fields.entity_label(entity) != entity


def test_an_unknown_field_is_an_error_for_tables_and_its_key_for_the_history():
    with pytest.raises(KeyError):
        fields.label("recognition", "no_such_field")
    assert changes.field_label("recognition", "no_such_field") == "no_such_field"
    assert changes.field_label("no_such_entity", "x") == "x"
    assert fields.entity_label("import_batch") == "import_batch"


def test_the_services_labels_are_the_catalogues():
    assert fields.labels("annual_figures") == figures.LABELS
    assert list(figures.LABELS) == ["year", *figures.MONEY, *figures.COUNTS, *figures.OTHER]
    assert set(figures.MONEY) == {k for k, f in fields.fields_of("annual_figures").items()
                                  if f.kind == "amount"}
    for module, entity in ((enterprises, "enterprise"), (measures, "support_measure"),
                           (recognitions, "recognition"), (cultivation, "cultivation_entry")):
        table = getattr(module, "FIELD_LABELS", None) or module.LABELS
        for key, label in table.items():
            assert label == fields.label(entity, key), (module.__name__, key)
    assert enterprises.TEXT_FIELDS.items() <= enterprises.FIELD_LABELS.items()


def test_the_change_history_labels_are_the_catalogues():
    for field in _every_field():
        assert changes.field_label(field.entity, field.key) == field.label


@pytest.mark.parametrize("path", LABEL_USERS)
def test_no_module_spells_a_field_label_of_its_own(path):
    labels = {f.label for f in _every_field()} | {f.short for f in _every_field() if f.short}
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    # (a piece of an f-string, like the 年度 of f"{year}年度", is text, not a label)
    pieces = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
              for part in node.values}
    literals = [(node.lineno, node.value) for node in ast.walk(tree)
                if isinstance(node, ast.Constant) and node.value in labels
                and id(node) not in pieces]
    assert literals == []


def test_headings_carry_their_unit_once():
    assert fields.heading("annual_figures", "revenue") == "营业收入（万元）"
    assert fields.heading("annual_figures", "employees") == "从业人员（人）"
    assert fields.heading("annual_figures", "market_share") == "细分市场占有率（%）"
    assert fields.heading("enterprise", "name") == "企业名称"
