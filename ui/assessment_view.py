"""对标预审 tab of the enterprise window: the enterprise's saved data checked against one
target tier's criteria (default: the next rung up). Read-only; it is recomputed from the
database when first shown and after every 保存, so it never shows unsaved edits.

The rule set is the one the data call for (新申报 / 复核, tiers.assess.choice) and says why;
the officer may pick another, or set every rule set of the tier side by side."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from tiers.assess import (
    Assessment,
    FiguresYear,
    alternatives,
    assess_enterprise,
    assess_enterprise_all,
    compare_rule_sets,
    default_year,
    figures_year,
)
from tiers.assess.cultivation import conclusion
from tiers.errors import TiersError
from tiers.model import reference
from tiers.storage.database import Database
from ui.assessment_display import (
    READINESS_COLOURS,
    AssessmentDisplay,
    headline_colour,
)
from ui.background_runner import BackgroundRunner, Task
from ui.latest_read import LatestRead

COMPARE = "\x00compare"  # the 规则集 choice that sets every rule set side by side
__all__ = ["COMPARE", "READINESS_COLOURS", "AssessmentView"]  # (the colours: 候选企业 too)


class AssessmentView(QWidget):
    assessed = Signal()  # a refresh's assessments are shown (or why they could not be)

    def __init__(self, database: Database, enterprise_id: int | None,
                 parent: QWidget | None = None, *,
                 runner: BackgroundRunner | None = None) -> None:
        super().__init__(parent)
        # the refresh reads on the runner (counting the county's figures for the year takes
        # a few hundred ms on 100,000 firms); without one (a test) at once
        self.runner = runner
        # the refresh under way (only the latest is shown)
        self.latest = LatestRead(self, self.tr("对标预审"), on_failure=self._failed)
        # the assessment under the rule set picked (or 并列对比), read on the runner too:
        # only the latest pick is shown, and a refresh supersedes it
        self.picking = LatestRead(self, self.tr("对标预审"), on_failure=self._pick_failed)
        self.database = database
        self.enterprise_id = enterprise_id
        self.assessments: list[Assessment] = []
        self.figures: FiguresYear | None = None  # decided at the last refresh
        self.year: int | None = None  # a year picked elsewhere (候选企业); None: the data's
        self.loaded = False
        self.chosen_tier: str | None = None  # the user's pick survives a refresh
        self.chosen_rules: dict[str, str] = {}  # tier → rule set name (or COMPARE)
        self.wanted: tuple[str, str] | None = None  # (tier, rule set) asked for by a list
        self.shown: list[Assessment] = []  # what the tree (and the second tree) show

        self.tier = QComboBox()
        self.tier.setMinimumContentsLength(16)
        # as wide as the longest tier with its mark (专精特新“小巨人”企业（小巨人公示中）), the
        # longest rule set (按申报类型自动选择): cut at 1366 they read 专精特新“小巨人”企
        self.tier.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.tier.currentIndexChanged.connect(self._tier_picked)
        self.rules = QComboBox()
        self.rules.setMinimumContentsLength(12)
        self.rules.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.rules.currentIndexChanged.connect(self._rules_picked)
        self.readiness = QLabel()
        self.readiness.setObjectName("readiness")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("目标梯度")))
        top.addWidget(self.tier)
        top.addSpacing(12)
        top.addWidget(QLabel(self.tr("规则集")))
        top.addWidget(self.rules)
        top.addSpacing(12)
        top.addWidget(self.readiness)
        top.addStretch(1)
        # what is shown (its parts by their names here too: callers and tests use them)
        self.display = AssessmentDisplay(self)
        display = self.display
        self.rule_label, self.verdict, self.flags = (display.rule_label, display.verdict,
                                                     display.flags)
        self.notice, self.score, self.detail = display.notice, display.score, display.detail
        self.model, self.tree = display.model, display.tree
        self.other_model, self.other_tree = display.other_model, display.other_tree
        self.this_label, self.other_label = display.this_label, display.other_label
        self.other_side = display.other_side

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(display, 1)
        self._show(None)

    # --- loading ------------------------------------------------------------------------
    def set_enterprise(self, enterprise_id: int | None) -> None:
        self.enterprise_id = enterprise_id

    def use_year(self, year: int | None) -> None:
        """Judge on ``year`` (picked in 候选企业) from now on, None: on the data's year again
        (opened from 候选企业 on 按数据, or elsewhere); shown again if already shown."""
        if year == self.year:
            return
        self.year = year
        if self.loaded:
            self.refresh()

    def open_on(self, tier_code: str, rule_set: str = "") -> None:
        """Show ``tier_code`` under ``rule_set`` (a 候选企业 list's), the rule set left to the
        data where it is the one they call for (no second read, the data's reason said):
        once a refresh under way has read, or now (a rule set pick still reading is
        dropped: the officer's request comes after it)."""
        self.chosen_tier = tier_code
        self.wanted = (tier_code, rule_set)
        if self.loaded and self.latest.task is None:
            self.picking.drop()
            self._fill_tiers()
            self._show_chosen()

    def refresh(self) -> None:
        """Assess the saved enterprise against every tier (one firm: milliseconds)."""
        self.loaded = True
        self.picking.drop()  # the refresh shows the rule set picked once it has read
        if self.enterprise_id is None:
            self.assessments = []
            self._fill_tiers()
            self._show(None, self.tr("保存企业后即可对标预审。"))
            return
        database, enterprise_id, year = self.database, self.enterprise_id, self.year

        def job(_task: Task | None) -> tuple[FiguresYear, list[Assessment]]:
            with database.session() as session:
                # the figures year decided once per refresh (the firm's county's), and kept
                # for the rule set picked and 并列对比: no count again on each pick
                figures = figures_year(session, year=year, enterprise_id=enterprise_id)
                return figures, assess_enterprise_all(session, enterprise_id, figures=figures)

        self._start(self.latest, job, self._read, self._failed)

    @property
    def reading(self) -> Task | None:
        """The refresh, or the rule set pick, under way, if any."""
        return self.latest.task or self.picking.task

    def stop(self) -> None:
        """The window closes: a read still queued is not run, one running is not shown."""
        self.latest.drop()
        self.picking.drop()

    def _read(self, found: tuple[FiguresYear, list[Assessment]]) -> None:
        self.figures, self.assessments = found
        self._fill_tiers()
        self._show_chosen()
        self.assessed.emit()

    def _failed(self, message: str) -> None:
        self.assessments = []
        self._fill_tiers()
        self._show(None, self.tr("无法预审：") + message)
        self.assessed.emit()

    @property
    def ready(self) -> bool:
        """Shown: refreshed, and no refresh under way."""
        return self.loaded and self.reading is None

    def _fill_tiers(self) -> None:
        self.tier.blockSignals(True)
        self.tier.clear()
        for item in self.assessments:
            self.tier.addItem(item.tier_name + self._mark(item), item.tier_code)
        codes = [item.tier_code for item in self.assessments]
        self._take_wanted()
        if self.chosen_tier in codes:
            self.tier.setCurrentIndex(codes.index(self.chosen_tier))
        elif codes:
            # the next rung up: the first tier not yet held, or held and in its 复核 this
            # year (the top when all are held)
            self.tier.setCurrentIndex(next((n for n, item in enumerate(self.assessments)
                                            if not item.settled_held), len(codes) - 1))
        self.tier.setEnabled(bool(codes))
        self.tier.blockSignals(False)
        self._fill_rules()

    def _take_wanted(self) -> None:
        """The rule set a list asked for, as the tier's choice once the assessments are in."""
        if self.wanted is None:
            return
        code, name = self.wanted
        automatic = next((item for item in self.assessments if item.tier_code == code), None)
        if automatic is None:
            return
        self.chosen_rules[code] = "" if automatic.rule_set == name else name
        self.wanted = None

    def _mark(self, item: Assessment) -> str:
        """Beside a tier's name: held (it or a higher one), or 公示中 — for this tier, or
        the list of the higher tier the firm is on (省级专精特新中小企业（小巨人公示中）)."""
        if item.settled_held:
            return self.tr("（已是该梯度或更高）")
        if item.review and item.already_held:  # held, its 复核 round this year
            return self.tr("（本年复核）")
        if not item.pending_tier:
            return ""
        if item.pending_tier == item.tier_name:
            return self.tr("（公示中）")
        code = reference.resolve_tier(item.pending_tier)
        short = reference.tier(code).short if code else item.pending_tier
        return self.tr("（%1公示中）").replace("%1", short)

    def _fill_rules(self) -> None:
        """按数据自动选择, each rule set of the tier, and 并列对比 when there are two or more."""
        self.rules.blockSignals(True)
        self.rules.clear()
        code = self.tier.currentData()
        if code is not None:
            names = alternatives(code)
            self.rules.addItem(self.tr("按申报类型自动选择"), "")
            for name in names:
                self.rules.addItem(name, name)
            if len(names) > 1:
                self.rules.addItem(self.tr("并列对比各规则集"), COMPARE)
            number = self.rules.findData(self.chosen_rules.get(code, ""))
            self.rules.setCurrentIndex(max(number, 0))
        self.rules.setEnabled(code is not None and self.rules.count() > 2)
        self.rules.blockSignals(False)

    def _tier_picked(self, _number: int) -> None:
        self.chosen_tier = self.tier.currentData()
        self._fill_rules()
        self._show_chosen()

    def _rules_picked(self, _number: int) -> None:
        code = self.tier.currentData()
        if code is not None:
            self.chosen_rules[code] = self.rules.currentData() or ""
        self._show_chosen()

    def select_rules(self, name: str) -> None:
        """Pick a rule set by name, or COMPARE (for tests and callers)."""
        number = self.rules.findData(name)
        if number < 0:
            raise LookupError(name)
        self.rules.setCurrentIndex(number)

    def _show_chosen(self) -> None:
        """The automatic assessment (read at the refresh), or the one under the rule set
        picked, or all of them: those read on the runner, as the refresh, the latest pick
        only (the figures year is the refresh's: no count again)."""
        item = self.current()
        chosen = self.rules.currentData() or ""
        if item is None or not chosen or self.enterprise_id is None:
            self.picking.drop()
            self._show(item)
            return
        if self.latest.task is not None:  # a refresh is reading: it shows the pick after
            return
        database, enterprise_id, tier_code = self.database, self.enterprise_id, item.tier_code
        figures = self.figures

        def job(_task: Task | None) -> list[Assessment]:
            with database.session() as session:
                if chosen == COMPARE:
                    return compare_rule_sets(session, enterprise_id, tier_code,
                                             figures=figures)
                return [assess_enterprise(session, enterprise_id, tier_code,
                                          rule_set=chosen, figures=figures)]

        self._start(self.picking, job, self._picked, self._pick_failed)

    def _start(self, read: LatestRead, job, done, failed) -> None:
        """``job`` on the runner through ``read`` (the latest only), or here when the tab
        has no runner: ``done`` with what it found, ``failed`` with a rule's message."""
        if self.runner is None:
            try:
                done(job(None))
            except TiersError as exc:  # a rule, a firm gone, the database busy: one line
                failed(str(exc))
            return
        if self.runner.closed:
            return
        self._show(None, self.tr("正在预审……"))
        read.run(self.runner, job, done)

    def _picked(self, found: list[Assessment]) -> None:
        self._show(found[0], others=found[1:])

    def _pick_failed(self, message: str) -> None:
        self._show(None, self.tr("无法预审：") + message)

    def select_tier(self, tier_code: str) -> None:
        number = self.tier.findData(tier_code)
        if number < 0:
            raise LookupError(tier_code)
        self.tier.setCurrentIndex(number)

    def current(self) -> Assessment | None:
        code = self.tier.currentData()
        return next((item for item in self.assessments if item.tier_code == code), None)

    # --- showing ------------------------------------------------------------------------
    def _show(self, item: Assessment | None, message: str = "", *,
              others: list[Assessment] | None = None) -> None:
        others = others or []
        self.shown = [item, *others] if item is not None else []
        if item is None:
            self.readiness.setText("")
            self.display.show_assessment(None, message)
            return
        # one colour for the badge and the headline beside it (headline_colour)
        colour, text = headline_colour(item), item.readiness_text
        if item.settled_held or item.pending_tier:
            # the headline leads with 已是… / 已在…公示名单中，不再推荐: the badge says the
            # same (已认定, 公示中（不再推荐）), not 待人工核实 as if it were to be prepared
            text = conclusion(item)
        elif item.review:  # the headline leads with the 复核 it is in: the badge says so
            text = item.marked_readiness_text  # (the core's 复核：…, as the lists')
        self.readiness.setText(text)
        self.readiness.setStyleSheet(f"color: white; background: {colour}; padding: 2px 8px;"
                                     " border-radius: 3px; font-weight: bold;")
        # rule sets side by side: the headline below states each result; this badge would
        # lead with the first one's alone
        self.readiness.setVisible(not others)
        # the figures year: 上年度 (said only when it is), or why an earlier one
        which = ("（" + item.year_note + "）" if item.year_note
                 else self.tr("（候选企业中选定）") if self.year is not None
                 else self.tr("（上年度）") if item.figures_year == default_year() else "")
        self.display.show_assessment(item, others=others, which=which)
