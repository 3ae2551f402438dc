"""names without invisible characters: control, bidi and zero-width characters stored in
names before they were refused, removed, with their keys recomputed and each change logged

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 20:50:00
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# who the change log names for a change made by the upgrade itself
UPGRADE_USER = "（数据库升级）"


def upgrade() -> None:
    # the same functions new names go through (tiers.services.enterprises); a name that
    # would be empty without its invisible characters is left as it is, to be seen
    from tiers.model.names import clean_display, has_invisible, name_key
    from tiers.model.orm import utcnow
    from tiers.model.pinyin import initials, sort_key

    bind = op.get_bind()
    now = utcnow()
    changes = []
    for row_id, name in bind.execute(sa.text("SELECT id, name FROM enterprise")).all():
        cleaned = clean_display(name) if name and has_invisible(name) else ""
        if cleaned and cleaned != name:
            bind.execute(sa.text(
                "UPDATE enterprise SET name = :name, name_key = :key, pinyin_initials = :ini,"
                " pinyin_key = :sort WHERE id = :id"),
                {"id": row_id, "name": cleaned, "key": name_key(cleaned),
                 "ini": initials(cleaned), "sort": sort_key(cleaned)})
            changes.append({"entity": "enterprise", "entity_id": row_id,
                            "enterprise_id": row_id, "old": json.dumps(name, ensure_ascii=False),
                            "new": json.dumps(cleaned, ensure_ascii=False)})
    for row_id, enterprise_id, name in bind.execute(
            sa.text("SELECT id, enterprise_id, name FROM former_name")).all():
        cleaned = clean_display(name) if name and has_invisible(name) else ""
        if cleaned and cleaned != name:
            bind.execute(sa.text(
                "UPDATE former_name SET name = :name, name_key = :key, pinyin_initials = :ini"
                " WHERE id = :id"),
                {"id": row_id, "name": cleaned, "key": name_key(cleaned),
                 "ini": initials(cleaned)})
            changes.append({"entity": "former_name", "entity_id": row_id,
                            "enterprise_id": enterprise_id,
                            "old": json.dumps(name, ensure_ascii=False),
                            "new": json.dumps(cleaned, ensure_ascii=False)})
    if changes:
        bind.execute(sa.text(
            'INSERT INTO change (at, "user", entity, entity_id, enterprise_id, action, field,'
            " old_value, new_value) VALUES (:at, :user, :entity, :entity_id, :enterprise_id,"
            " 'update', 'name', :old, :new)"),
            [{**change, "at": now, "user": UPGRADE_USER} for change in changes])


def downgrade() -> None:
    pass  # the characters removed were never meant to be there
