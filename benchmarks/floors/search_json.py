"""Floor of ``tiers enterprises --search 液压 --format json``: sqlite3 fetches the same firms
(name holding the text, sorted by the pinyin key) with their recognition, json prints them.

    python search_json.py DEMO.sqlite3 液压
"""

import json
import sqlite3
import sys

KEYS = ("credit_code", "name", "county", "town", "tier_code", "level", "year", "valid_until")
db = sqlite3.connect(sys.argv[1])
rows = db.execute(
    "SELECT e.credit_code, e.name, e.county_name, e.town, r.tier_code, r.level, "
    "r.batch_year, r.valid_until FROM enterprise e LEFT JOIN recognition r "
    "ON r.enterprise_id = e.id AND r.id = (SELECT max(id) FROM recognition "
    "WHERE enterprise_id = e.id) WHERE e.deleted_at IS NULL AND e.name LIKE ? "
    "ORDER BY e.pinyin_key, e.name, e.id", (f"%{sys.argv[2]}%",)).fetchall()
print(json.dumps([dict(zip(KEYS, row, strict=True)) for row in rows], ensure_ascii=False,
                 indent=2))
