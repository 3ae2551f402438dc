"""Read-only questions about the data, filtered and sorted in SQL: the roster, the dashboard."""
