"""指定关联 on the wizard's preview: the firm the officer says a row is (or no longer is),
and the plan made again with it, the row selected afterwards."""

from __future__ import annotations

from importers import Link, Plan
from importers.plan import OTHER_UNIT
from ui.link_dialog import LinkDialog


class RowLinks:
    """Linking preview rows to firms (a mixin of ImportWizard: it works on its preview, its
    links in force and its planning)."""

    def _update_link_buttons(self) -> None:
        row = self.current_plan_row()
        self.link_button.setEnabled(row is not None and row.linkable and not self._busy())
        self.unlink_button.setEnabled(row is not None and row.row in self.links
                                      and not self._busy())
        take = self.preview_page.take_row_button
        taken = row is not None and row.row in self.take_rows
        take.setEnabled(row is not None and not self._busy() and not self.take_other_counties
                        and (taken or row.action == OTHER_UNIT))
        take.setText(self.tr("不导入此行(&T)") if taken else self.tr("导入此行(&T)"))
        short = self._short_names()
        self.short_button.setEnabled(bool(short) and not self._busy())
        self.short_button.setText(self.tr("采用简称匹配(&J)（%1 行）").replace("%1", str(len(short)))
                                  if short else self.tr("采用简称匹配(&J)"))

    def link_row(self) -> None:
        """Ask which firm the current row is (LinkDialog.choose, patched in tests as every
        question is), then plan again with that link."""
        row = self.current_plan_row()
        if row is None or not row.linkable or self._busy():
            return
        choices = self.link_choices.get(row.row) or list(row.suggestions)
        chosen = LinkDialog.choose(self.database, row, choices, self.links.get(row.row), self,
                                   runner=self.runner)
        if chosen is None:
            return
        link, choices = chosen
        self.link_choices[row.row] = choices
        # with the row's name: should the row read otherwise later, the link is refused
        self._replan(row.row, {**self.links, row.row: Link(
            link.enterprise_id, remember_name=link.remember_name, name=row.name)})

    def unlink_row(self) -> None:
        row = self.current_plan_row()
        if row is None or row.row not in self.links or self._busy():
            return
        self._replan(row.row, {r: link for r, link in self.links.items() if r != row.row})

    def _short_names(self) -> dict[int, Link]:
        """The links of the rows the plan marks 按简称匹配 and the officer has not linked
        (Plan.short_name_links, as tiers import --adopt-short-names takes them)."""
        plan = self.plan
        if not isinstance(plan, Plan):
            return {}
        return {row: link for row, link in plan.short_name_links().items()
                if row not in self.links}

    def take_short_names(self) -> None:
        """采用简称匹配: every row marked 按简称匹配 linked to its one firm, in one new plan."""
        short = self._short_names()
        if not short or self._busy():
            return
        self._replan(min(short), {**self.links, **short})

    def _replan(self, excel_row: int, links: dict[int, Link]) -> None:
        self._select_after_plan = excel_row
        self.make_plan(links)
