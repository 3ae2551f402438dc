"""Words the command line offers as choices before anything is opened: recognition statuses,
the roster's sort keys and the kinds of list an import reads. Imports nothing, so that ``tiers --help`` stays fast (the ladder
and the roster query, where these are used, import SQLAlchemy)."""

from __future__ import annotations

VALID, EXPIRING, EXPIRED, REVOKED = "有效", "即将到期", "已到期", "已撤销"
PENDING = "公示中"  # read from a 公示 list: not held until confirmed
# a title run out inside its 复核 round, and one whose round is over but whose 复核 list is
# not out yet (tiers.model.ladder.status_of says which): neither is 已到期
REVIEW_DUE, REVIEW_RESULTS_PENDING = "待复核", "复核结果待公布"
# the statuses one filters by (the 企业库, ``tiers enterprises --status``, the reports)
STATUSES = (VALID, EXPIRING, REVIEW_DUE, REVIEW_RESULTS_PENDING, EXPIRED, REVOKED, PENDING)
# what a recognition list is taken as: a 公示 list's firms are pending, a final list's held
AS_PUBLICITY, AS_FINAL = "公示", "认定"
LIST_STANDING_LABELS = {AS_PUBLICITY: "公示名单", AS_FINAL: "认定名单"}

# the firms without a county code (a 开发区 without a division code, a blank county), as a
# county filter names them: --county none (tiers enterprises, export, package export), the
# 企业库's 县区 choice （未填区县）; an editor's grant of them (tiers user add/set --county
# none) takes the same words. One spelling everywhere: 未填区县 (review27b)
NO_COUNTY_ARG = "none"
NO_COUNTY_LABEL = "未填区县"  # inside a sentence (只能修改武进区、未填区县的企业), a report's line
NO_COUNTY_CHOICE = f"（{NO_COUNTY_LABEL}）"
NO_COUNTY_NAME = f"{NO_COUNTY_LABEL}的企业"  # the editor's grant, as tiers user list names it
NO_COUNTY_WORDS = (NO_COUNTY_ARG, "未填", NO_COUNTY_LABEL, NO_COUNTY_CHOICE, NO_COUNTY_NAME)


def means_no_county(text: str | None) -> bool:
    """Whether a county filter asks for the firms without a county (NO_COUNTY_WORDS)."""
    return bool(text) and "".join(str(text).split()).lower() in NO_COUNTY_WORDS


# every county's firms in a report (or the 工作台) of a database whose unit is recorded: by
# default those are of the unit only (tiers.queries.unit_scope); --county all, the
# dialog's （全部区县，含本单位以外）
ALL_COUNTIES_ARG = "all"
ALL_COUNTIES_CHOICE = "（全部区县，含本单位以外）"
ALL_COUNTIES_WORDS = (ALL_COUNTIES_ARG, "全部区县", "（全部区县）", ALL_COUNTIES_CHOICE)


def means_all_counties(text: str | None) -> bool:
    """Whether a county filter asks for every county's firms (ALL_COUNTIES_WORDS)."""
    return bool(text) and "".join(str(text).split()).lower() in ALL_COUNTIES_WORDS


ROSTER_SORT_KEYS = ("name", "credit_code", "county", "town", "tier", "year", "valid_until",
                    "support_total", "created_at", "binned_at")

# The kinds of list an import reads (an import batch records its kind), with their names.
LIST_KINDS = ("roster", "recognitions", "support", "figures")
LIST_KIND_LABELS = {"roster": "企业名录", "recognitions": "认定名单", "support": "扶持措施",
                    "figures": "年度数据"}
# The kinds an import batch records: a list's, the demo data's, a bulk action's
# (tiers.services.bulk: undone like an import) or an exchange package's (tiers.exchange).
BATCH_KIND_LABELS = {**LIST_KIND_LABELS, "demo": "演示数据", "bulk": "批量操作", "package": "数据包"}
PUBLICITY_LIST_LABEL = "公示名单"  # a recognition list imported as pending (公示中)


def with_pending(held: str, pending: str | None) -> str:
    """当前梯度 and what a 公示 list named the firm for (not held yet, so not its tier):
    创新型中小企业（公示中：省专精特新）; the held tier alone without one. The 企业库 and
    ``tiers enterprises`` write it alike."""
    return f"{held}（{PENDING}：{pending}）" if pending else held


def matched_words(found: list[tuple[str, str, str]], *,
                  held: tuple[str, str] | None = None) -> str:
    """The titles a status filter (or ``--expiring``) found a firm by, each ``(status, short
    tier name, day as text or "")``, as 即将到期：创新型 2026-12-16 (statuses apart with ；, in
    the order found). ``held``: the row's own title (short name, 有效期至 as text), which
    当前梯度 names already: said once, as 即将到期 2026-12-27 (not 省专精特新（即将到期：省专精特新
    2026-12-27）), the others after it: 即将到期 2026-12-27，及创新型 2026-12-16."""
    by_status: dict[str, list[tuple[str, str]]] = {}
    for status, short, day in found:
        titles = by_status.setdefault(status, [])
        if (short, day) not in titles:
            titles.append((short, day))
    parts = []
    for status, titles in by_status.items():
        own = [title for title in titles if held is not None and title == held]
        others = "、".join(" ".join(filter(None, title)) for title in titles if title not in own)
        if own:
            parts.append(" ".join(filter(None, (status, own[0][1])))
                         + (f"，及{others}" if others else ""))
        else:
            parts.append(f"{status}：{others}")
    return "；".join(parts)


def tier_words(held: str, *, pending: str | None = None, review: str | None = None,
               matched: str | None = None) -> str:
    """当前梯度 as the 企业库 and ``tiers enterprises`` both write it: the held tier, then what
    a 公示 list named the firm for (``with_pending``), the titles run out in their 复核 round
    or awaiting its list (创新型中小企业（待复核：小巨人）, or （待复核：小巨人） for a firm holding
    nothing now), and, under a status filter, the titles the filter found with their date
    (专精特新“小巨人”企业（即将到期：创新型 2026-12-16）: the title about to expire not being the
    one held to 2028)."""
    words = with_pending(held, pending)
    for note in (review, matched):
        if note:
            words += f"（{note}）"
    return words
