"""docs/exchange_package.md lists every member and column the code writes."""

from __future__ import annotations

from pathlib import Path

from tiers.exchange.format import TABLES

DOC = Path(__file__).resolve().parents[2] / "docs" / "exchange_package.md"


def test_every_member_and_column_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for spec in TABLES:
        section = text.split(f"### {spec.member}", 1)[1].split("###", 1)[0]
        missing = [c for c in spec.columns() if f"`{c}`" not in section]
        assert not missing, f"{spec.member}: {missing}"
