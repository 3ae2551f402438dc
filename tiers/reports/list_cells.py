"""The 名单's 认定批次 and 所属产业链 cells: how the report writes a batch and a firm's chains
(链主 marked), and their inverses, with which the importer reads Tiers' own 名单 back
(a batch with its own year, not the statistics date; 链主 kept as it was)."""

from __future__ import annotations

import re
from functools import lru_cache

from tiers.model import reference

# the 名单's 认定批次 cell, made in tiers.text (the assessment's 公示 wording uses it too)
from tiers.text.values import batch_text  # noqa: F401

_BATCH_WITH_YEAR = re.compile(r"^(?P<label>.*?)（(?P<year>\d{4})年）$")
_YEAR_ONLY = re.compile(r"^(?P<year>\d{4})年$")
_YEAR_IN_LABEL = re.compile(r"(\d{4})年")


@lru_cache(maxsize=4096)
def batch_from_text(text: str) -> tuple[str, int | None]:
    """The (batch label, year) ``batch_text`` wrote: its inverse, for reading the report
    back. 第五批（2023年） → (第五批, 2023); 2023年度 → (2023年度, 2023); 2023年 → ("", 2023)."""
    text = text.replace("\n", "").strip()
    if match := _BATCH_WITH_YEAR.match(text):
        return match["label"], int(match["year"])
    if match := _YEAR_ONLY.match(text):
        return "", int(match["year"])
    match = _YEAR_IN_LABEL.search(text)
    return text, int(match.group(1)) if match else None


LEADER_SUFFIX = "（链主）"
# the 名单 prints a chain's （链主） on a line of its own: in its narrow column LibreOffice broke
# 纺织加工（链主） as 纺织加工（链主 / ）, a lone bracket (the officer's re-test)
PRINTED_LEADER_SUFFIX = "\n" + LEADER_SUFFIX


def printed_chains(label: str | None) -> str | None:
    """The 所属产业链 cell as the 名单 prints it: each （链主） on a new line."""
    return label.replace(LEADER_SUFFIX, PRINTED_LEADER_SUFFIX) if label else label


def chains_from_label(text: str) -> list[tuple[str, bool]]:
    """The (chain name, is 链主) pairs ``_chain_label`` wrote: its inverse."""
    pairs = []
    for part in text.replace("\n", "").split("、"):  # (the 名单 prints （链主） on a line of its own)
        part = part.strip()
        if part:
            leads = part.endswith(LEADER_SUFFIX)
            pairs.append((part.removesuffix(LEADER_SUFFIX), leads))
    return pairs


@lru_cache(maxsize=1)
def _chain_names() -> dict[str, str]:
    return {chain.code: chain.name for chain in reference.chains()}


@lru_cache(maxsize=4096)
def chain_label(codes: str | None, leaders: str | None) -> str:
    if not codes and not leaders:
        return ""
    names = _chain_names()
    leading = set((leaders or "").split(",")) - {""}
    labels: list[str] = []
    seen: set[str] = set()
    for item in (codes or "").split(","):
        if not item:
            continue
        code, _, role = item.partition(":")
        if code in seen:
            continue
        seen.add(code)
        name = names.get(code, code)
        labels.append(f"{name}{LEADER_SUFFIX}" if role == "链主" or code in leading else name)
    for code in sorted(leading - seen):
        labels.append(f"{names.get(code, code)}{LEADER_SUFFIX}")
    return "、".join(labels)
