"""The PySide6 desktop client. Widgets call tiers.services and tiers.queries.roster; no SQL here."""
