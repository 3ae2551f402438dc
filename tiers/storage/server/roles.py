"""The group roles of one Tiers database. Roles are the server's, not the database's: two
Tiers databases on one server (a city's and a test copy) must not share them, or an editor
of one would be an editor of the other. So each group is named after its database."""

from __future__ import annotations

import hashlib
import re

ROLES = ("admin", "editor", "viewer")
ROLE_NAMES = {"admin": "管理员", "editor": "编辑", "viewer": "查看"}

# what fits in a role's name with the prefix and the suffix (PostgreSQL's limit: 63 bytes)
_LONGEST_PART = 40


def group_role(database: str, role: str) -> str:
    """``tiers_<database>_<role>``: lower-case letters, digits and _ only, so that the name
    needs no quoting in psql; a database name of other characters (or too long) is
    shortened and made unique by a hash of the whole."""
    if role not in ROLES:
        raise ValueError(role)
    part = re.sub(r"[^a-z0-9_]", "_", database.lower())
    # T1 and t1 are two databases: only a name already in lower case keeps its plain part
    if part != database or len(part) > _LONGEST_PART:
        digest = hashlib.sha1(database.encode("utf-8")).hexdigest()[:8]
        part = f"{part[:_LONGEST_PART - 9]}_{digest}"
    return f"tiers_{part}_{role}"


def group_roles(database: str) -> dict[str, str]:
    """{"admin": "tiers_<db>_admin", …} for one database."""
    return {role: group_role(database, role) for role in ROLES}
