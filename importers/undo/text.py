"""What an undo tells the officer: which firm, which record, which field, why it is kept or
why the undo is refused, in the words of the firm's 变更记录."""

from __future__ import annotations

from typing import Any

from tiers.model import reference
from tiers.model.ladder import tier_label
from tiers.text import fields
from tiers.text.changes import HIDDEN, field_label, value_text
from tiers.text.lists import names_cut

ENTITY_LABELS = {entity: fields.entity_label(entity) for entity in (
    "enterprise", "recognition", "annual_figures", "support_measure", "former_name",
    "chain_role", "cultivation_entry")}
ENTERPRISE_ACTIONS = {"delete": "删除", "restore": "恢复", "create": "新建"}
# a firm's field an update sets for a reason the officer knows by another name: a newer
# 数据包 moves the firms its county no longer sends to the recycle bin (or brings them back)
ENTERPRISE_FIELD_WORDS = {"deleted_at": "移入回收站"}
# …or brings them back, as the 回收站's 恢复 does under a batch (#25): deleted_at emptied
EMPTIED_FIELD_WORDS = {"deleted_at": "从回收站恢复"}
REFUSAL_SHOWN = 20  # detail lines in a refusal; the rest are counted

Firms = dict[int, tuple[str, str]]  # enterprise id → (name, credit code)


def firm_text(firms: Firms, enterprise_id: int | None) -> str:
    """企业“常州甲科技有限公司”, as officers know it; the id only when the firm is gone."""
    if enterprise_id in firms:
        return f"企业“{firms[enterprise_id][0]}”"
    return f"企业（编号 {enterprise_id}）" if enterprise_id is not None else "企业"


def changed_to_text(field_name: str, value: Any) -> str:
    """改为“…” or 清空: what a field was set to since; 更新 for a key for the program (which
    数据包 a row came from: a newer package that changed another field of it wrote that)."""
    if field_name in HIDDEN:
        return "更新"
    shown = value_text(field_name, value)  # as the firm's 变更记录 shows it
    return f"改为“{shown}”" if shown else "清空"


def record_text(entity: str, entity_id: int, values: dict[str, Any] | None = None) -> str:
    """扶持措施“小巨人奖励”, 2023年度数据, 认定（编号 5）."""
    values = values or {}
    label = ENTITY_LABELS.get(entity, entity)
    if entity == "support_measure" and values.get("name"):
        return f"{label}“{values['name']}”"
    if entity == "annual_figures" and values.get("year"):  # (年度数据: not 2023年年度数据)
        return f"{values['year']}{label}" if label.startswith("年") else f"{values['year']}年{label}"
    if entity == "recognition" and values.get("tier_code"):
        return f"{tier_label(values['tier_code'])}{label}"
    return f"{label}（编号 {entity_id}）"


HELD_NAMED = 3  # firms and records a line of records that cannot go back names


def held_text(records: list[tuple[str, str]], batches: list[int]) -> str:
    """Why records the batch deleted cannot go back: later batches (ascending) changed
    their firms. ``records``: (firm's name, the record in words), the firms' in their
    order. One firm: 本批次删除的企业“甲”的2023年度数据无法放回：这家企业之后又被批次 9、10
    改动; several: the first few records and firms named, the rest counted."""
    said = "、".join(map(str, batches))
    firms = list(dict.fromkeys(name for name, _ in records))
    if len(firms) == 1:
        labels = names_cut([label for _, label in records[:HELD_NAMED]], len(records), unit="条")
        return f"本批次删除的企业“{firms[0]}”的{labels}无法放回：这家企业之后又被批次 {said} 改动"
    labels = names_cut([f"“{name}”的{label}" for name, label in records[:HELD_NAMED]],
                       len(records), unit="条")
    named = names_cut([f"“{name}”" for name in firms[:HELD_NAMED]], len(firms))
    return f"本批次删除的{labels}无法放回：它们所属的企业{named}之后又被批次 {said} 改动"


def reported_elsewhere_text(firms: list[tuple[str, str]], county: str, batch: int) -> str:
    """Why a package's undo is refused while another county's later package (``batch``, of
    ``county``) also sends firms it created, left in conflict: the undo deletes them and
    nothing here says that county reports them any more (its data for them is in its
    package only). ``firms``: (name, credit code), the first few named, the rest counted;
    what to do: undo that batch too, then import its package again."""
    named = names_cut([f"“{name}”（{code}）" for name, code in firms[:HELD_NAMED]], len(firms))
    it, these = ("它", "这家企业") if len(firms) == 1 else ("它们", "这些企业")
    return (f"企业{named}是本批次新增的，{county}的数据包（批次 {batch}）也报送了{it}（列为冲突，"
            f"未合并）：撤销本批次会删除{these}，就查不到{county}也报送了{it}。撤销批次 {batch} "
            f"与本批次后，再导入一次{county}的那个数据包，{it}即作为{county}的企业新增")


def what_changed(changes: list[Any]) -> str:
    """联系电话、地址、扶持措施 2 条: the fields of the firm and the records of it touched."""
    fields: list[str] = []
    records: dict[str, set[int]] = {}
    for change in changes:
        if change.entity == "enterprise":
            if change.field in HIDDEN:
                continue  # bookkeeping (which 数据包 the firm came from), not a field to name
            words = EMPTIED_FIELD_WORDS if getattr(change, "emptied", False) else \
                ENTERPRISE_FIELD_WORDS
            text = (words.get(change.field)
                    or field_label("enterprise", change.field) if change.field
                    else ENTERPRISE_ACTIONS.get(change.action, "企业信息"))
            if text not in fields:
                fields.append(text)
        else:
            records.setdefault(change.entity, set()).add(change.entity_id)
    parts = fields[:4] + (["等"] if len(fields) > 4 else [])
    text = "、".join(parts).replace("、等", "等")
    counts = "、".join(f"{ENTITY_LABELS.get(e, e)} {len(ids)} 条" for e, ids in records.items())
    return "、".join(p for p in (text, counts) if p)


def field_subject(firms: Firms, entity: str, entity_id: int, enterprise_id: int | None,
                  field_name: str) -> str:
    """企业“…”的扶持措施（编号 3）的“金额”: a field of the firm or of one of its records."""
    subject = firm_text(firms, enterprise_id if entity != "enterprise" else entity_id)
    if entity != "enterprise":
        subject += f"的{record_text(entity, entity_id)}"
    if field_name in HIDDEN:  # no field an officer knows: the firm or record itself
        return subject
    return subject + f"的“{field_label(entity, field_name)}”"


class RestoreWords:
    """What putting fields back does, in words, one phrase per kind of record: a final list's
    undo asked 还原的字段：认定的公示中 (tester28a #1) and now says 3 项小巨人认定由已认定改回
    公示中 (已认定, not 有效: it may have expired or been revoked since); other fields,
    1 家企业的联系电话、地址改回导入前的值 (each record counted once)."""

    def __init__(self) -> None:
        self.pending: dict[tuple[str, bool], set[int]] = {}  # (tier, back to 公示中?) → ids
        self.groups: dict[tuple[str, str], tuple[set[int], list[str]]] = {}  # (entity, tier)

    def add(self, entity: str, field_name: str, label: str, params: list[dict[str, Any]],
            tiers: dict[int, str] | None) -> None:
        for put_back in params:
            record, tier = put_back["b_id"], (tiers or {}).get(put_back["b_id"], "")
            if entity == "recognition" and field_name == "is_pending":
                self.pending.setdefault((tier, bool(put_back["b_value"])), set()).add(record)
                continue
            ids, labels = self.groups.setdefault((entity, tier), (set(), []))
            ids.add(record)
            if label not in labels:
                labels.append(label)

    def texts(self) -> list[str]:
        said = [f"{len(ids)} 项{_tier_short(tier)}认定由"
                + ("已认定改回公示中" if back else "公示中改回已认定")
                for (tier, back), ids in self.pending.items()]
        for (entity, tier), (ids, labels) in self.groups.items():
            if entity == "enterprise":
                subject = f"{len(ids)} 家企业"
            elif entity == "recognition":
                subject = f"{len(ids)} 项{_tier_short(tier)}认定"
            else:
                subject = f"{len(ids)} 项{ENTITY_LABELS.get(entity, entity)}"
            said.append(f"{subject}的{names_cut(labels[:3], len(labels), unit='项')}改回导入前的值")
        return said


def _tier_short(code: str) -> str:
    """小巨人, 省专精特新: the tier as the roster's 梯度 column says it."""
    try:
        return reference.tier(code).short if code else ""
    except KeyError:
        return code


def detail_lines(items: list[dict[str, Any]]) -> list[str]:
    """Each reason once: the records one line names (plan._describe_held) are items of
    their own with that line as their reason."""
    reasons = list(dict.fromkeys(item["reason"] for item in items))
    lines = ["　· " + reason for reason in reasons[:REFUSAL_SHOWN]]
    if len(reasons) > REFUSAL_SHOWN:
        lines.append(f"　……另有 {len(reasons) - REFUSAL_SHOWN} 处")
    return lines


def newer_packages_text(blocked: list[dict[str, Any]]) -> str:
    """The newer packages that block an undo (packages.package_blocks's items, newest
    first), each county named once with its packages: 武进区之后又报送了 3 个数据包（批次 4，
    报送时间 …；批次 3，…；批次 2，…），报送情况以最新的为准. As many packages named as
    detail_lines shows lines; the rest counted."""
    by_county: dict[str, list[str]] = {}
    for item in blocked:
        by_county.setdefault(item["county"], []).append(item["package"])
    parts, room = [], REFUSAL_SHOWN
    for county, packages in by_county.items():
        if room <= 0:
            parts.append(f"另有 {len(by_county) - len(parts)} 个区县之后也报送了数据包")
            break
        shown = "；".join(packages[:room])
        if len(packages) > room:
            shown += f"；……另有 {len(packages) - room} 个"
        room -= len(packages)
        if len(packages) == 1:
            parts.append(f"{county}之后又报送了数据包（{shown}），报送情况以它为准")
        else:
            parts.append(f"{county}之后又报送了 {len(packages)} 个数据包（{shown}），"
                         "报送情况以最新的为准")
    return "；".join(parts)


def blocked_message(batch_id: int, later_batches: list[int],
                    blocked: list[dict[str, Any]]) -> str:
    """Why an undo is refused while later imports build on the batch."""
    names = "、".join(f"批次 {b}" for b in later_batches[:REFUSAL_SHOWN])
    if len(later_batches) > REFUSAL_SHOWN:
        names += f"等 {len(later_batches)} 批"
    if not later_batches:  # what blocks it is not a later batch (a record cannot go back)
        return "\n".join([f"不能撤销导入批次 {batch_id}：它删除的记录有的无法恢复（见下）。"
                          "这次没有做任何改动。", *detail_lines(blocked)])
    undo_first = (f"请先撤销{names}{'（从最新的开始）' if len(later_batches) > 1 else ''}，"
                  f"再撤销批次 {batch_id}。这次没有做任何改动。")
    if all(item["entity"] == "exchange_package" for item in blocked):
        # a newer package of the county may only record that it was sent: it need not use
        # or change anything the batch wrote, yet 报送情况 stands on it. Its own line says
        # which county sent it, as which batch and when: said once, as the reason (it was
        # said after 同一区县之后又导入了较新的数据包（批次 7）, the same again)
        return f"不能撤销导入批次 {batch_id}：{newer_packages_text(blocked)}。{undo_first}"
    # (the later batches named once, in what to undo first; each line below says its own)
    return "\n".join([f"不能撤销导入批次 {batch_id}：之后的导入用到或修改了它导入的内容（见下）。{undo_first}",
                      *detail_lines(blocked)])


STILL_PENDING_SHOWN = 10  # kept 公示中 recognitions named in the undo's note; the rest counted


def still_pending_text(subjects: list[str]) -> str:
    """The undo's note on the 公示中 recognitions it kept because they were edited after the
    import: still 公示中 though their 公示 list is undone (so their firms still count as 已在
    公示中), and what the officer does about it. '' when there are none."""
    if not subjects:
        return ""
    named = "；".join(subjects[:STILL_PENDING_SHOWN])
    if len(subjects) > STILL_PENDING_SHOWN:
        named += f"；等 {len(subjects)} 条"
    return (f"{len(subjects)} 条公示中的认定因导入后被修改而保留，仍为公示中（其公示名单已撤销，"
            f"这些企业仍计为“已在公示中”）：{named}。如不需要，请在企业档案的“梯度认定”中"
            "选中该条后点“删除”；如已确认入选，选中后点“确认认定（公示结束）”。")


REASONS_SHOWN = 10  # reasons an undo refused for the login's rights says; the rest counted


def rights_refused_message(batch_id: int, refused: list[tuple[list[str], int, str]]) -> str:
    """Why an undo is refused whole when it would change firms the login may not (an
    editor's: another county's, or a 开发区 firm the unit's rule does not place in the
    unit): how many, then each reason once with its firms, the first few named and the
    rest counted (names_cut: 溧阳甲、溧阳乙、溧阳丙 等 500 家：县（市、区）写作…), so that one
    zone's 500 firms are one line, not 500 long ones."""
    total = sum(count for _names, count, _why in refused)
    lines = [f"　· {names_cut(names, count)}：{why}" for names, count, why in refused[:REASONS_SHOWN]]
    if len(refused) > REASONS_SHOWN:
        rest = sum(count for _names, count, _why in refused[REASONS_SHOWN:])
        lines.append(f"　……另有 {rest:,} 家")
    return "\n".join([
        f"不能撤销导入批次 {batch_id}：撤销要改动的企业中有 {total:,} 家您的账号不能修改（见下），"
        "请有权限的同事或管理员撤销。这次没有做任何改动。", *lines])


def nothing_to_undo_message(batch_id: int, kept: list[dict[str, Any]]) -> str:
    """Why an undo that would keep everything is refused."""
    return "\n".join([
        f"导入批次 {batch_id} 没有可撤销的内容：它新增和修改的内容导入后都又被手工修改过，"
        f"全部予以保留。批次没有标记为已撤销，这次没有做任何改动。",
        *detail_lines(kept)])
