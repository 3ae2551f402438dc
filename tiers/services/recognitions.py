"""Add, edit and revoke recognitions (认定)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tiers.errors import InvalidInput, NotFound
from tiers.model import ladder, reference
from tiers.model.orm import Recognition
from tiers.services import audit, records
from tiers.text import fields
from tiers.text.dates import fold
from tiers.text.values import batch_text

ENTITY = "recognition"
FIELDS = ("tier_code", "level", "issuer", "batch_label", "batch_year", "is_review",
          "is_pending", "review_of_batch", "document_number", "recognized_on", "valid_until", "chain_code",
          "rule_set", "note", "valid_until_estimated")
LABELS = fields.labels("recognition")  # for the messages that name a field
CHAIN_LEADER = "chain_leader"


def recognition_key(enterprise_id: int | None, tier_code: str, batch_label: str | None,
                    batch_year: int | None, chain_code: str | None) -> tuple:
    """A recognition's identity within a firm, as imports match it and as ``add`` and ``edit``
    refuse a second one of: (firm, tier, batch, year, chain). The chain counts for a 链主
    title only: a firm is 链主 *of a chain* (domain §1.4), so a list of a second chain adds a
    title, never rewrites the first's chain; other tiers' titles are one per batch whatever
    chain a list writes (None). ``key[1:4]`` is the batch (tier, label, year) of every title."""
    return (enterprise_id, tier_code, batch_label, batch_year,
            chain_code if tier_code == CHAIN_LEADER else None)


def _title_key(values: Mapping[str, Any]) -> tuple:
    # (a label none: "" as clean gives it, NULL as an older row may hold it)
    return (*recognition_key(None, values.get("tier_code") or "", values.get("batch_label") or "",
                             values.get("batch_year"), values.get("chain_code") or None)[1:],
            bool(values.get("is_review")))


def duplicate_among(cleaned: Mapping[str, Any], titles: Iterable[Mapping[str, Any]]) -> str:
    """Why ``cleaned`` (a recognition as ``clean`` gives it) may not be added beside
    ``titles`` (the firm's other recognitions, revoked ones too: an import would take either
    for the other) — one of them is the same title (recognition_key; a 复核 and the title it
    renews are two, as imports tell them) — else "". Saved twice, revoking one copy left the
    firm holding the title (fixt29b)."""
    key = _title_key(cleaned)
    if not any(_title_key(title) == key for title in titles):
        return ""
    tier = reference.tier(cleaned["tier_code"])
    words = [tier.name, batch_text(cleaned.get("batch_label"), cleaned.get("batch_year"),
                                   is_review=bool(cleaned.get("is_review")))]
    if cleaned["tier_code"] == CHAIN_LEADER and cleaned.get("chain_code"):
        chain = next((c.name for c in reference.chains() if c.code == cleaned["chain_code"]),
                     cleaned["chain_code"])
        words.append(f"{chain}产业链")  # (the chain's name, not the field's label 产业链)
    return (f"该企业已有这一认定（{' '.join(w for w in words if w)}），不能重复添加；"
            "如需更改，请修改已有的那一条")


def refuse_a_copy_among(cleaned: Mapping[str, Any], titles: Iterable[Mapping[str, Any]]
                        ) -> None:
    """ValidationError at 梯度层级 when ``duplicate_among`` says why (the firm window's form
    asks it of the window's rows, ``add`` and ``edit`` of the stored ones)."""
    why = duplicate_among(cleaned, titles)
    if why:
        records.raise_if({"tier_code": why})


def _refuse_a_copy(session: Session, enterprise_id: int, cleaned: Mapping[str, Any], *,
                   other_than: int | None = None) -> None:
    rows = session.execute(select(
        Recognition.tier_code, Recognition.batch_label, Recognition.batch_year,
        Recognition.chain_code, Recognition.is_review).where(
        Recognition.enterprise_id == enterprise_id,
        Recognition.tier_code == cleaned["tier_code"],
        Recognition.id != (other_than or 0))).mappings().all()
    refuse_a_copy_among(cleaned, rows)


def _batch_year(tier_code: str, batch_label: str, recognized_on: dt.date | None, *,
                is_review: bool = False) -> int | None:
    """The year of a recognition given without one: of its date, else of its batch
    (第五批 小巨人 → 2023); a 复核 naming the batch it renews, the year of that batch's
    复核 round (第二批 小巨人 复核 → 2023: ladder.review_of_batch_year)."""
    if recognized_on is not None:
        return recognized_on.year
    if is_review:
        return ladder.review_of_batch_year(tier_code, batch_label)
    return reference.batch_year(tier_code, batch_label)


def _chain_code(merged: dict[str, Any], tier: reference.Tier,
                errors: dict[str, str]) -> str | None:
    """The chain of a 链主 title (required for it), or of any title that names one."""
    chain_text = records.text(merged, "chain_code")
    chain_code = reference.resolve_chain(chain_text) if chain_text else None
    if chain_text and chain_code is None:
        errors["chain_code"] = f"未知的产业链：{chain_text}"
    if tier.needs_chain and chain_code is None and "chain_code" not in errors:
        errors["chain_code"] = f"{tier.name}须注明所属产业链"
    return chain_code


def clean(values: dict[str, Any], *, current: Recognition | None = None,
          renews: dt.date | None = None) -> dict[str, Any]:
    """Validate; fill level, issuer and valid-until from the tier when not given. When
    editing, ``values`` are merged over the current record (only differences get logged);
    clearing 有效期至 recomputes it from the tier. ``renews``: the end of the title a 复核
    renews — a 复核 given no dates runs the tier's validity from there. A 有效期至 computed
    here is marked ``valid_until_estimated`` (推算); one given is not, unless it is the
    estimate itself handed back unchanged (the firm window's row, ``estimated_valid_until``)."""
    merged = {k: getattr(current, k) for k in FIELDS} if current else {}
    merged.update(values)
    errors: dict[str, str] = {}
    tier_code = reference.resolve_tier(records.text(merged, "tier_code"))
    if tier_code is None:
        errors["tier_code"] = f"未知的梯度层级：{merged.get('tier_code') or '（空）'}"
        records.raise_if(errors)
    tier = reference.tier(tier_code)
    out: dict[str, Any] = {"tier_code": tier_code}
    out["level"] = (records.choice(merged, "level", LABELS["level"], reference.LEVELS, errors)
                    or tier.level)
    if out["level"] not in tier.levels:
        errors["level"] = (f"{tier.name}的认定级别应为{'、'.join(tier.levels)}，"
                           f"不能是{out['level']}")
    out["issuer"] = records.text(merged, "issuer") or tier.issuer
    out["batch_label"] = records.text(merged, "batch_label")
    out["batch_year"] = records.year(merged, "batch_year", LABELS["batch_year"], errors)
    out["is_review"] = bool(merged.get("is_review") or False)
    out["is_pending"] = bool(merged.get("is_pending") or False)
    out["review_of_batch"] = _review_of_batch(merged, errors)
    out["document_number"] = records.text(merged, "document_number")
    out["recognized_on"] = records.date(merged, "recognized_on", LABELS["recognized_on"], errors)
    out["valid_until"] = records.date(merged, "valid_until", LABELS["valid_until"], errors)
    out["rule_set"] = records.text(merged, "rule_set")
    out["note"] = records.text(merged, "note")
    if out["batch_year"] is None:
        out["batch_year"] = _batch_year(tier_code, out["batch_label"], out["recognized_on"],
                                        is_review=out["is_review"])
    if (out["recognized_on"] and out["valid_until"]
            and out["valid_until"] < out["recognized_on"]):
        errors["valid_until"] = "有效期至不能早于认定日期"
    out["chain_code"] = _chain_code(merged, tier, errors)
    records.raise_if(errors)
    out["valid_until_estimated"] = _still_estimated(merged, out["valid_until"], current)
    if out["valid_until"] is None:
        if out["is_review"] and out["recognized_on"] is None:
            out["valid_until"] = ladder.renewed_valid_until(tier_code, previous_end=renews)
        if out["valid_until"] is None:
            out["valid_until"] = ladder.default_valid_until(
                tier_code, recognized_on=out["recognized_on"], batch_year=out["batch_year"])
        out["valid_until_estimated"] = out["valid_until"] is not None
    if out["is_review"] and not out["rule_set"] and current is None:
        out["rule_set"] = review_rule_set(tier_code, batch_year=out["batch_year"],
                                          recognized_on=out["recognized_on"],
                                          valid_until=out["valid_until"])
    return out


def _still_estimated(merged: dict[str, Any], valid_until: dt.date | None,
                     current: Recognition | None) -> bool:
    """Whether a 有效期至 given is the 推算 one kept: the stored estimate unchanged, or the
    estimate a row handed back as it was shown (a typed date is the officer's own)."""
    if valid_until is None:
        return False
    if current is not None and current.valid_until_estimated \
            and current.valid_until == valid_until:
        return True
    return merged.get("estimated_valid_until") == valid_until


def review_rule_set(tier_code: str, *, batch_year: int | None,
                    recognized_on: dt.date | None, valid_until: dt.date | None) -> str:
    """The rule set a 复核 pass was judged by, recorded when its list names none (as the
    demo county's): a transition rule for the tier's 复核 of that year, else the one in
    force when the renewed term starts (its 认定日期, or the day after the renewed title
    ended), else on 1 December of its year; '' when no stored rule set applies."""
    from tiers.assess import rules  # (the rule sets load on first use, not at import)

    on = recognized_on
    if on is None and valid_until is not None:
        years = reference.tier(tier_code).validity_years
        if years:
            try:
                on = valid_until.replace(year=valid_until.year - years)
            except ValueError:
                on = valid_until.replace(year=valid_until.year - years, day=28)
    if on is None and batch_year is not None:
        on = dt.date(batch_year, 12, 1)
    return rules.review_rule_set_name_for(tier_code, year=batch_year, on=on)


def renewed_end(session: Session, enterprise_id: int, tier_code: str,
                batch_year: int | None) -> dt.date | None:
    """The end of the title a 复核 of ``batch_year`` renews: the firm's latest held (not
    公示中, not revoked) title of the tier of an earlier year."""
    query = (select(Recognition.valid_until)
             .where(Recognition.enterprise_id == enterprise_id,
                    Recognition.tier_code == tier_code,
                    Recognition.is_pending.is_(False), Recognition.revoked_on.is_(None),
                    Recognition.valid_until.is_not(None)))
    if batch_year is not None:
        query = query.where(Recognition.batch_year < batch_year)
    return session.scalar(query.order_by(Recognition.valid_until.desc()).limit(1))


def batch_words(batch_label: str | None, batch_year: int | None) -> str:
    """A title's batch as the lists and the 认定历史 write it: its label (第五批, 2023年度),
    else its year as 2023年度; '' when it has neither."""
    return batch_label or (f"{batch_year}年度" if batch_year else "")


_BARE_YEAR = re.compile(r"(\d{4})(?:年度?)?")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _review_of_batch(values: Mapping[str, Any], errors: dict[str, str]) -> str:
    """The 复核批次 in words (review_batch_words); a number that is no year a batch can
    have (99999, -1, 0, 2022.5, 1e9 in a list's 复核年度 column) is refused at its cell: it
    was stored as the batch's words and named in every 复核 (the break campaign of #26)."""
    words = review_batch_words(records.text(values, "review_of_batch"))
    bare = re.sub(r"年度?$", "", fold(words))  # 2022年度 / 2022年 / 2022
    last = dt.date.today().year + 5
    if _NUMBER.fullmatch(bare) and not (bare.isdigit() and 1949 <= int(bare) <= last):
        shown = words if len(words) <= 20 else words[:20] + "…"
        errors["review_of_batch"] = (f"{LABELS['review_of_batch']}：“{shown}”不是有效的年度"
                                     f"（应为 1949–{last} 年，如 2022 或 2022年度；"
                                     "按第几批命名的写“第二批”）")
    return words


def review_batch_words(text: str | None) -> str:
    """A 复核批次 as given (a list's 复核批次 / 复核年度 column, the officer), in the words the
    bulk 复核 records it: a bare year (2022, 2022年) as 2022年度; any other words as given."""
    text = (text or "").strip()
    if match := _BARE_YEAR.fullmatch(fold(text)):  # ２０２２ as 2022年度 too
        return f"{match.group(1)}年度"
    return text


def reviewed_batch(tier_code: str, *, year: int | None,
                   renewed: Mapping[str, Any] | None) -> str:
    """The 复核批次 of a 复核 pass whose list names none (a 第二批…复核 list does): the batch of
    the title it renews (``renewed``, with its batch_label and batch_year), as the bulk 复核
    records it. Without that title, for a tier whose batches go by year, the year its round
    reviews — its own year less the tier's validity (domain.md §1.5: the 2022 round reviewed
    the 2019年度 省级 titles, the 2025 one the 2022年度 创新型); '' for a tier of numbered
    batches, whose round reviews more than one (小巨人 in 2026: 第五批 and 第二批复核, §2.5)."""
    if renewed is not None:
        words = batch_words(renewed.get("batch_label"), renewed.get("batch_year"))
        if words:
            return words
    tier = reference.tier(tier_code)
    if tier.batches or not tier.review or not tier.validity_years or year is None:
        return ""
    return f"{year - tier.validity_years}年度"


def renewed_title_among(titles: Iterable[Mapping[str, Any]], tier_code: str,
                        batch_year: int | None) -> Mapping[str, Any] | None:
    """The title a 复核 of ``tier_code`` given in ``batch_year`` renews, among the firm's
    titles in hand, by ``renewed_end``'s choice: the latest-ending held (not 公示中, not
    revoked) title of the tier of an earlier year (ties: the later entered, by id)."""
    held = [title for title in titles
            if title.get("tier_code") == tier_code and not title.get("is_pending")
            and title.get("revoked_on") is None and title.get("valid_until") is not None
            and (batch_year is None or (title.get("batch_year") is not None
                                        and title["batch_year"] < batch_year))]
    return max(held, key=lambda title: (title["valid_until"], title.get("id") or 0),
               default=None)


def renewed_end_among(titles: Iterable[Mapping[str, Any]], tier_code: str,
                      batch_year: int | None) -> dt.date | None:
    """``renewed_end`` over the firm's titles in hand (as ``tiers.queries.profiles`` gives
    them: the firm window's rows before it saves, and an import's known records)."""
    title = renewed_title_among(titles, tier_code, batch_year)
    return title["valid_until"] if title is not None else None


def clean_new(values: dict[str, Any],
              renewed_end_of: Callable[[str, int | None], dt.date | None]) -> dict[str, Any]:
    """``clean`` for a new recognition, as ``add`` stores it: a 复核 given no dates runs the
    tier's validity from where the title it renews ended (``renewed_end_of(tier_code,
    batch_year)``: ``renewed_end`` in the database, ``renewed_end_among`` the firm window's
    rows, so that the window shows before saving the date the save writes)."""
    cleaned = clean(values)
    if cleaned["is_review"] and cleaned["valid_until_estimated"] \
            and cleaned["recognized_on"] is None:  # renewed from where the old title ended
        renews = renewed_end_of(cleaned["tier_code"], cleaned["batch_year"])
        if renews is not None:
            cleaned = clean(values, renews=renews)
    return cleaned


def add(session: Session, enterprise_id: int, values: dict[str, Any], *,
        user: str | None = None, import_batch_id: int | None = None) -> Recognition:
    cleaned = clean_new(values, lambda tier_code, batch_year: renewed_end(
        session, enterprise_id, tier_code, batch_year))
    _refuse_a_copy(session, enterprise_id, cleaned)
    # the recognition alone: a 链主 title in force puts the firm on its chain as 链主
    # through firm_chains, and off it when revoked, deleted or run out; a chain role 链主
    # added here as well stayed after the title went (chain29), and imports add none
    return records.create(session, Recognition, enterprise_id, cleaned, user=user,
                          import_batch_id=import_batch_id)


def edit(session: Session, recognition_id: int, values: dict[str, Any], *,
         user: str | None = None, import_batch_id: int | None = None) -> audit.Changed:
    current = records.fetch(session, Recognition, recognition_id)
    cleaned = clean(values, current=current)
    if cleaned["is_review"] and cleaned["valid_until_estimated"] \
            and cleaned["recognized_on"] is None \
            and "valid_until" in values and values["valid_until"] in (None, ""):
        # 有效期至 cleared: computed again as for a new 复核, from where the old title ended
        renews = renewed_end(session, current.enterprise_id, cleaned["tier_code"],
                             cleaned["batch_year"])
        if renews is not None:
            cleaned = clean(values, current=current, renews=renews)
    _refuse_a_copy(session, current.enterprise_id, cleaned, other_than=recognition_id)
    return records.update(session, Recognition, recognition_id, cleaned,
                          user=user, import_batch_id=import_batch_id)


def revoke(session: Session, recognition_id: int, *, reason: str,
           on: dt.date | None = None, user: str | None = None) -> audit.Changed:
    """撤销: the recognition stays in the history, marked revoked from ``on``."""
    if not reason.strip():
        records.raise_if({"revoke_reason": "请填写撤销原因"})
    return records.update(session, Recognition, recognition_id,
                          {"revoked_on": on or dt.date.today(), "revoke_reason": reason.strip()},
                          user=user, import_batch_id=None)


def confirm(session: Session, recognition_id: int, *, user: str | None = None
            ) -> audit.Changed:
    """A recognition read from a 公示 list becomes 有效 (the final list confirmed it); a
    链主 one puts the firm on its chain from then on (firm_chains), with no chain role."""
    return records.update(session, Recognition, recognition_id, {"is_pending": False},
                          user=user, import_batch_id=None)


def pending_batches(session: Session) -> list[dict[str, Any]]:
    """The batches with recognitions still 公示中: tier, batch label and year, whether a 复核
    pass (``is_review``: a 复核 list and a new one may share label and year, and are told
    apart as everywhere else), how many; ``both_kinds``: its new list and its 复核 list are
    both 公示中 (confirm_batch by tier, label and year refuses them without a choice; each
    face says how to choose from this mark)."""
    query = (select(Recognition.tier_code, Recognition.batch_label, Recognition.batch_year,
                    Recognition.is_review, func.count())
             .where(Recognition.is_pending.is_(True))
             .group_by(Recognition.tier_code, Recognition.batch_label, Recognition.batch_year,
                       Recognition.is_review)
             .order_by(Recognition.tier_code, Recognition.batch_year, Recognition.batch_label,
                       Recognition.is_review))
    rows = list(session.execute(query))
    kinds: dict[tuple[str, str | None, int | None], set[bool]] = {}
    for tier, label, year, review, _count in rows:
        kinds.setdefault((tier, label, year), set()).add(bool(review))
    return [{"tier_code": tier, "tier": ladder.tier_label(tier), "batch_label": label,
             "batch_year": year, "is_review": bool(review), "count": count,
             "both_kinds": len(kinds[tier, label, year]) > 1}
            for tier, label, year, review, count in rows]


def confirm_batch(session: Session, *, tier: str, batch_label: str | None = None,
                  batch_year: int | None = None, is_review: bool | None = None,
                  user: str | None = None) -> list[audit.Changed]:
    """Confirm every recognition still 公示中 of one batch (tier, and label and/or year):
    one change row each, so that the history says who confirmed it. Raises NotFound when
    the batch has none.

    A 复核 list and a new one are two 公示 even with the same label and year (their final
    lists come apart): ``is_review`` True takes the 复核 list alone, False the new one.
    Left None, it is refused (InvalidInput, ``hint_field`` "review", naming each batch and
    how many) when both kinds are 公示中 among those named, and nothing is confirmed: the
    officer holding one final list must not make the other final by the same word."""
    tier_code = reference.resolve_tier(tier)
    if tier_code is None:
        raise NotFound(f"未知的梯度层级：{tier}")
    query = select(Recognition.id, Recognition.batch_label, Recognition.batch_year,
                   Recognition.is_review).where(Recognition.is_pending.is_(True),
                                                Recognition.tier_code == tier_code)
    if batch_label:
        query = query.where(Recognition.batch_label == batch_label.strip())
    if batch_year is not None:
        query = query.where(Recognition.batch_year == batch_year)
    if is_review is not None:
        query = query.where(Recognition.is_review.is_(is_review))
    rows = list(session.execute(query.order_by(Recognition.id)))
    if not rows:
        batch = batch_text(batch_label, batch_year)
        kind = {True: "复核", False: "新认定", None: ""}[is_review]
        said = "，".join(p for p in (batch, kind) if p)
        raise NotFound(f"没有公示中的{reference.tier(tier_code).name}"
                       f"{('（' + said + '）') if said else ''}")
    if is_review is None and len({bool(row.is_review) for row in rows}) > 1:
        raise InvalidInput(_both_kinds(tier_code, rows), hint_field="review")
    return [confirm(session, row.id, user=user) for row in rows]


def _both_kinds(tier_code: str, rows: list[Any]) -> str:
    """省级专精特新中小企业有新认定与复核两种名单在公示中：2026年度 1 家，2026年度（复核） 2 家；…"""
    counts: dict[tuple[bool, int | None, str], int] = {}
    for row in rows:
        key = (bool(row.is_review), row.batch_year, row.batch_label or "")
        counts[key] = counts.get(key, 0) + 1
    listed = "，".join(f"{batch_text(label, year, is_review=review)} {count} 家"
                      for (review, year, label), count in sorted(counts.items()))
    return (f"{reference.tier(tier_code).name}有新认定与复核两种名单在公示中：{listed}；"
            "两者的认定名单各自公布，须分别确认，请指明确认新认定名单还是复核名单。")


def delete(session: Session, recognition_id: int, *, user: str | None = None) -> audit.Changed:
    """Remove a recognition entered by mistake (a real loss of title is a revoke)."""
    return records.delete(session, Recognition, recognition_id, user=user)


def correct_misdated_review(session: Session, recognition_id: int, *,
                            user: str | None = None,
                            import_batch_id: int | None = None) -> audit.Changed:
    """Correct a 复核 recorded at the year of the batch it renews (queries.misdated_reviews):
    its year to the batch's 复核 round and its 有效期至 with it (a date given otherwise
    stays), logged as any edit. Refused for a record that is not such a one (corrected
    meanwhile, edited by hand)."""
    from tiers.queries.misdated_reviews import corrected_valid_until, holds_batch_title

    current = records.fetch(session, Recognition, recognition_id)
    corrected = ladder.misdated_review_year(
        current.tier_code, is_review=current.is_review, batch_label=current.batch_label,
        batch_year=current.batch_year, review_of_batch=current.review_of_batch,
        recognized_on=current.recognized_on,
        batch_title_held=bool(current.is_review and not current.review_of_batch
                              and holds_batch_title(session, current)))
    if corrected is None:
        raise NotFound("这条认定不是记错年度的复核记录（可能已更正），未修改")
    until = corrected_valid_until(current.tier_code, valid_until=current.valid_until,
                                  estimated=current.valid_until_estimated,
                                  batch_year=current.batch_year, corrected_year=corrected)
    values: dict[str, Any] = {"batch_year": corrected, "valid_until": until}
    if until != current.valid_until:
        values["estimated_valid_until"] = until  # computed here: 推算
    return edit(session, recognition_id, values, user=user, import_batch_id=import_batch_id)
