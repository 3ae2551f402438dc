"""5 产业链企业分布表: per cluster and chain, the enterprises per tier and the 链主 names.

An enterprise counts on a chain when it has a role there or holds a 链主 recognition for
it, and under a tier when it holds that tier in force; 集群小计 and 合计 count each
enterprise once (one on two chains of a cluster is one enterprise of the cluster)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tiers.model import reference
from tiers.progress import Job, Progress
from tiers.reports import common, data
from tiers.reports.base import ReportDefinition, ReportRequest
from tiers.reports.cells import Column, display_width
from tiers.reports.writer import ReportBook

TITLE = "产业链企业分布表"
BY_TIER = "梯度培育企业（家）"


def _widest(field: str) -> float:
    """A column as wide as the longest cluster or chain name of the catalogue: names that
    wrapped (or, where a renderer still fit them, left a tall row with one line) made the
    rows uneven."""
    return max(display_width(getattr(chain, field)) for chain in reference.chains()) + 1.5


def _leaders(names: list[str]) -> str:
    """The 链主 of a chain, one per line (run together, two names wrapped mid-name)."""
    return "\n".join(names)


def _counts(members: set[int], held: dict[int, set[str]], tiers) -> list[int]:
    return [len(members), *[sum(1 for m in members if t.code in held.get(m, ())) for t in tiers]]


def _lines(groups: dict, held: dict[int, set[str]],
           tiers: list) -> tuple[list[tuple[str, list]], int, set[int]]:
    """The chains cluster by cluster, a 小计 after a cluster of several chains: ("", values)
    for a chain, (小计 label, values) for a subtotal; the number of chains; every member."""
    clusters: dict[int, list[reference.Chain]] = {}
    for chain in reference.chains():
        if chain.code in groups:
            clusters.setdefault(chain.cluster_no, []).append(chain)
    lines: list[tuple[str, list]] = []
    number = 0
    everyone: set[int] = set()
    for cluster_chains in clusters.values():
        cluster_members: set[int] = set()
        cluster_leaders: list[str] = []
        for chain in cluster_chains:
            group = groups[chain.code]
            number += 1
            cluster_members |= group.members
            cluster_leaders += [n for n in group.leaders if n not in cluster_leaders]
            lines.append(("", [number, chain.cluster, chain.name,
                               *_counts(group.members, held, tiers),
                               _leaders(group.leaders)]))
        everyone |= cluster_members
        if len(cluster_chains) > 1:
            lines.append((f"{cluster_chains[0].cluster} 小计",
                          [*_counts(cluster_members, held, tiers), _leaders(cluster_leaders)]))
    return lines, number, everyone


def columns(tiers: list[reference.Tier]) -> list[Column]:
    """序号, the cluster and chain, the firms on it, per tier held, and the 链主."""
    return [Column("序号", "seq", min_width=5, max_width=6),
            Column("产业集群", "text", min_width=12, max_width=_widest("cluster")),
            Column("产业链", "text", min_width=10, max_width=_widest("name")),
            Column("链上企业", "int", min_width=7, max_width=9),
            *[Column(t.short, "int", min_width=7, max_width=10, group=BY_TIER)
              for t in tiers],
            Column("链主企业", "text", min_width=24, max_width=32)]


def build(session: Session, request: ReportRequest, book: ReportBook) -> Job[None]:
    yield Progress("正在统计", 0, 0)
    groups, held, _names = data.chain_distribution(session, request)
    present = {code for codes in held.values() for code in codes}
    tiers = [t for t in reference.tiers()
             if t.code != "chain_leader" and (t.ladder or t.code in present)]
    lines, number, everyone = _lines(groups, held, tiers)
    sheet = book.sheet(TITLE, columns(tiers))
    sheet.start(common.title_for(request, TITLE, tier_in_title=False, session=session),
                unit_label="家",
                subtitle=common.as_of(request, "各层级为当前有效的认定；小计、合计中同一企业只计一次"),
                sample=[values for label, values in lines if not label])
    for label, values in lines:
        if label:
            sheet.total_row(values, label=label, label_span=3)
        else:
            sheet.row(values)
    if not lines:
        sheet.empty_row()
    sheet.total_row([*_counts(everyone, held, tiers), ""], label="合计（去重）", label_span=3)
    yield Progress(f"共 {number} 条产业链", number, number)


DEFINITION = ReportDefinition(
    name="chains", title=TITLE,
    description="按产业集群、产业链统计链上企业及各梯度层级家数，列出链主企业",
    filters=(common.CHAIN, common.COUNTY, common.TOWN),
    build=build)
