"""The windows the main window opens over the current database (import, export, template,
collection, data packages, settings, backup), tracked so that switching the database closes
them first; a roster file dropped on the window opens the import wizard."""

from __future__ import annotations

from pathlib import Path

from ui.ask import MessageDialog

# what the importer reads (importers.read.sources, not imported here: the window opens
# without it), LibreOffice's and WPS's .ods among them; .et is taken too: the importer then
# says how to save it as .xlsx
IMPORT_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".csv", ".txt", ".tsv", ".et"}


class ToolWindows:
    """Opening MainWindow's tool windows (a mixin: they take the window's database,
    settings and runner)."""

    def open_import_wizard(self, path: str | None = None):
        try:
            from ui.import_wizard import ImportWizard
        except ImportError as exc:
            MessageDialog.error(self, self.tr("导入"), self.tr("导入功能尚未就绪：") + str(exc))
            return None
        wizard = ImportWizard(self.database, self.settings, self.runner, self, path=path)
        self._track(wizard)
        wizard.show()
        wizard.raise_()
        wizard.activateWindow()  # typing goes to the file field, not the roster's search
        return wizard

    def open_export_dialog(self):
        # the export starts from what the officer is looking at: the 企业库's filters and
        # its selected firms (企业档案), when the 企业库 is the page on screen
        # (the 工作台's county likewise: the dashboard of 武进区 exports 武进区, not the city)
        page = self.stack.currentWidget()
        if page is self.roster:  # (its selection: of the list of the filters chosen)
            return self.roster.when_listed(lambda: self._export_dialog(page),
                                           self.tr("导出报表"))
        return self._export_dialog(page)

    def _export_dialog(self, page):
        try:
            from ui.export_dialog import ExportDialog
        except ImportError as exc:
            MessageDialog.error(self, self.tr("导出"), self.tr("导出功能尚未就绪：") + str(exc))
            return None
        filters = None
        if page is self.roster:
            filters = self.roster.screen_filters()
        elif page is self.dashboard and self.dashboard.county.currentData():
            filters = {"county": self.dashboard.county.currentData()}
        dialog = ExportDialog(self.database, self.settings, self.runner, self, filters=filters)
        self._track(dialog)
        dialog.show()
        return dialog

    def open_template_dialog(self):
        from ui.template_dialog import TemplateDialog

        filters = {k: v for k, v in self.roster.screen_filters().items() if k != "code"}
        described = self.roster.filters_described() if filters else ""
        dialog = TemplateDialog(self.database, self.settings, self.runner, self,
                                filters=filters, described=described)
        self._track(dialog)
        dialog.show()
        return dialog

    def open_collection_dialog(self):
        # the firms listed and selected: those of the filters chosen, once read (a list
        # still read on the runner is waited for, the old rows are not taken)
        return self.roster.when_listed(self._collection_dialog, self.tr("导出采集表"))

    def _collection_dialog(self):
        from ui.collection_dialog import CollectionDialog

        dialog = CollectionDialog(self.database, self.settings, self.runner, self,
                                  listed=self.roster.model.ids,
                                  selected=self.roster.selected_ids())
        self._track(dialog)
        dialog.show()
        return dialog

    def open_package_export(self):
        from ui.package_export_dialog import PackageExportDialog

        dialog = PackageExportDialog(self.database, self.settings, self.runner, self)
        self._track(dialog)
        dialog.show()
        return dialog

    def open_package_import(self):
        from ui.package_import_dialog import PackageImportDialog

        dialog = PackageImportDialog(self.database, self.settings, self.runner, self)
        self._track(dialog)
        dialog.show()
        return dialog

    def open_package_status(self):
        from ui.package_status_dialog import PackageStatusDialog

        dialog = PackageStatusDialog(self.database, self.runner, self)
        # a package imported (or undone) while it is open: read again, as the pages do
        self.written.connect(dialog.data_changed)
        self._track(dialog)
        dialog.show()
        return dialog

    def open_accounts(self):
        """文件 → 账号管理… (a server's admin only: MainMenus.apply_rights)."""
        from ui.accounts_dialog import AccountsDialog

        dialog = AccountsDialog(self.database, self.runner, self)
        self._track(dialog)
        dialog.show()
        return dialog

    def _track(self, window) -> None:
        """Windows that work on the current database (import, export): closed before the
        database is switched, so none of them goes on writing to the old file."""
        self.tool_windows.append(window)
        window.destroyed.connect(lambda *_: self.tool_windows.remove(window)
                                 if window in self.tool_windows else None)

    def open_settings(self):
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.database, self.settings, self.runner, self)
        dialog.database_chosen.connect(self.switch_database)
        dialog.restored.connect(self.data_changed)
        dialog.show()
        return dialog

    def backup_now(self):
        from ui.settings_dialog import SettingsDialog

        return SettingsDialog.backup(self, self.database, self.settings, self.runner)

    # --- drag and drop ------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if any(Path(url.toLocalFile()).suffix.lower() in IMPORT_SUFFIXES
               for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        for url in event.mimeData().urls():
            path = url.toLocalFile()
            if Path(path).suffix.lower() in IMPORT_SUFFIXES:
                self.open_import_wizard(path)
                event.acceptProposedAction()
                return
