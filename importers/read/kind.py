"""Which kind of list a sheet is (roster, figures, recognitions, support), from the
columns it maps and what its title says."""

from __future__ import annotations

from importers import columns
from importers.read.metadata import Metadata


def _names_a_list(metadata: Metadata) -> bool:
    """The title announces recognised firms: a 名单/公示/认定 title with a batch or year."""
    title = metadata.title or ""
    announces = any(word in title for word in ("名单", "公示", "公告", "认定", "复核"))
    return announces and (metadata.batch_label is not None or metadata.batch_year is not None
                          or bool(metadata.is_review))


def guess_kind(mapped: set[str], metadata: Metadata, texts: list[str] | None = None) -> str:
    """The kind from the columns mapped; ``texts`` (title rows, sheet and file name) break
    the tie of a sheet that has only name, code and figure columns: “企业名录” is a roster."""
    signals = columns.kind_signals()
    hits = {kind: len(mapped & set(keys)) for kind, keys in signals.items()}
    if {"measure_kind", "measure_name", "amount"} & mapped:
        return "support"
    if hits.get("recognitions"):
        return "recognitions"
    if metadata.tier is not None and (
            _names_a_list(metadata) or not (hits.get("figures") or hits.get("roster"))):
        # "2026年度武进区创新型中小企业名单（第一批）" is a recognition list even when it
        # also carries 镇街 and 主导产品 columns, or the firms' figures
        return "recognitions"
    if hits.get("figures") and not hits.get("roster"):
        if any("名录" in text for text in texts or ()):
            return "roster"
        return "figures"
    return "roster"
