"""Floor of ``tiers undo-import``: one DELETE per table of the rows the batch wrote (the
children first), one commit.

    python delete_batch.py IMPORTED.sqlite3 BATCH_ID
"""

import sqlite3
import sys

TABLES = ("change", "annual_figures", "recognition", "chain_role", "support_measure",
          "enterprise")
db = sqlite3.connect(sys.argv[1])
for table in TABLES:
    db.execute(f'DELETE FROM "{table}" WHERE import_batch_id = ?', (int(sys.argv[2]),))
db.commit()
db.close()
