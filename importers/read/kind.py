"""Which kind of list a sheet is (roster, figures, recognitions, support), from the
columns it maps and what its title says."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from importers import columns
from importers.read.metadata import Metadata

# the columns only Tiers's own 企业库 list has (tiers enterprises --format csv, the 企业库's
# 导出当前列表): a firm's current tier and its support in total are no list's own columns
_ROSTER_LIST_OWN = ("tier", "support_total")


def _names_a_list(metadata: Metadata) -> bool:
    """The title announces recognised firms: a 名单/公示/认定 title with a batch or year."""
    title = metadata.title or ""
    announces = any(word in title for word in ("名单", "公示", "公告", "认定", "复核"))
    return announces and (metadata.batch_label is not None or metadata.batch_year is not None
                          or bool(metadata.is_review))


def _plain(text: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


def is_roster_list(headers: Sequence[object]) -> bool:
    """The header is Tiers's own 企业库 list, as ``tiers enterprises --format csv`` or the
    企业库's 导出当前列表 write it: every heading one of the list's columns (fields.toml
    [fields.roster], long, short or narrow, any subset in any order, a 序号 before), the firm's
    name among them, and a column only that list has (当前梯度, 扶持金额合计). One row per
    firm with its attributes: a 企业名录, though its 扶持金额 and 认定年度 columns map to
    a support list's and a recognition list's fields (5,999 rows 未匹配 as 扶持措施)."""
    from tiers.text import fields

    known = fields.fields_of("roster")
    titles = {_plain(title): key for key, spec in known.items()
              for title in (spec.label, spec.short, spec.narrow) if title}
    seen = [_plain(h) for h in headers if _plain(h)]
    if seen[:1] == ["序号"]:
        seen = seen[1:]
    keys = {titles.get(title) for title in seen}
    return (None not in keys and "name" in keys
            and any(key in keys for key in _ROSTER_LIST_OWN))


def guess_kind(mapped: set[str], metadata: Metadata, texts: list[str] | None = None, *,
               headers: Sequence[object] = ()) -> str:
    """The kind from the columns mapped; ``texts`` (title rows, sheet and file name) break
    the tie of a sheet that has only name, code and figure columns: “企业名录” is a roster.
    ``headers`` as written: Tiers's own 企业库 list is a roster whatever its columns map to."""
    if is_roster_list(headers):
        return "roster"
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
