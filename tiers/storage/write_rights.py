"""What the login may do, as the server's own functions and tables decide it: which firms it
may change (asked before a write so that a preview can say so per firm), whether it may
write at all, import packages or back up, and which counties a viewer reads. Read once
when a client connects (``Database.rights``), so that the client greys out what the login
may not do and says why, before the officer does the work; the server refuses the write
anyway (tiers/storage/server/rights.py). SQLite has no logins: everything is allowed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.orm import Session

from tiers.model import vocabulary

if TYPE_CHECKING:  # (tiers.services.unit reads the rights: imported when they are read)
    from tiers.services.unit import UnitCounties

READ_ONLY = "只读账号不能修改数据"
NO_ROLE = "您的账号还没有 Tiers 角色，不能修改数据（请数据库所有者用 tiers user set 设定）"
ADMIN_ONLY = "需要管理员账号"
# an editor's grant of the firms without a county code (a 开发区, a blank county): kept as
# this code among his counties (tiers user add/set --county none)
NO_COUNTY = ""
# (its name as tiers user list shows it; inside a sentence NO_COUNTY_LABEL: in_sentence)
NO_COUNTY_NAME = vocabulary.NO_COUNTY_NAME


def in_sentence(names: Iterable[str]) -> str:
    """A login's county names joined for a sentence, the grant of the firms without a
    county said as 未填区县 (the server and tiers user list name it 未填区县的企业, or ''
    where the name was not kept): 武进区、未填区县."""
    return "、".join(vocabulary.NO_COUNTY_LABEL if name in (NO_COUNTY_NAME, NO_COUNTY) else name
                    for name in names)


# who may change a firm without a county, as every refusal of one says
NO_COUNTY_WHO = f"县（市、区）未填的企业（开发区等）由管理员或获授权“{NO_COUNTY_NAME}”的编辑账号修改"


@dataclass(frozen=True)
class WriteRights:
    """``counties`` None: every firm; else only firms in these county codes (empty: none).
    ``role``: "" on a file (or a server without Tiers' rights), else admin, editor, viewer,
    or "none" (a login in no Tiers group). ``reads``: the counties a county viewer reads
    (None: every county)."""

    counties: frozenset[str] | None = None
    may_write: bool = True  # False: a viewer, who changes nothing
    role: str = ""
    county_names: tuple[str, ...] = ()  # his counties' names, for messages
    reads: frozenset[str] | None = None
    # 本单位负责的区县 when they are all the editor's (the bureau's own officer): the firms
    # without a county that the unit's one rule places in them are his too
    unit: UnitCounties | None = None
    # why nothing may be written when the storage says it rather than a role (a file
    # opened read-only: faults.read_only_refusal); "" otherwise
    told: str = ""

    @property
    def all_uncounted(self) -> bool:
        """Granted every firm without a county (tiers user set --county none)."""
        return self.counties is not None and NO_COUNTY in self.counties

    def allows(self, county_code: str | None, county_name: str | None = None,
               credit_code: str | None = None, *, existing: bool = True) -> bool:
        """Whether the login may change a firm of this county. One without a county code
        (a 开发区, a blank) is an editor's when he is granted them all, or when he is the
        unit's own officer and UnitCounties.covers_firm places it in the unit's counties
        (by its credit code, the zone's name, else being in the database already:
        ``existing``; a firm the officer enters by hand counts as taken in)."""
        if not self.may_write:
            return False
        if self.counties is None:
            return True
        if county_code:
            return county_code in self.counties
        if self.all_uncounted:
            return True
        return self.unit is not None and self.unit.covers_firm(
            None, county_name, credit_code, existing=existing)

    def server_writes(self, county_code: str | None) -> bool:
        """Whether the server's own SQL lets the login write a firm of this county (its
        guard and policies, tiers/storage/server/rights.py): as ``allows`` says, but wider
        for a firm without a county code when he is the unit's own officer. The server
        grants him every such firm (public.tiers_writes_uncounted): it cannot read a credit
        code's registering area nor a zone's name, so it cannot tell the unit's 开发区 from
        another county's; the client narrows it (``allows``: covers_firm) before every
        write, and refuses itself what the server would let through. Where both refuse,
        the server's guard says it (it names the counties, or a move out of them)."""
        if not self.may_write:
            return False
        if self.counties is None:
            return True
        if county_code:
            return county_code in self.counties
        return self.all_uncounted or self.unit is not None

    @property
    def is_admin(self) -> bool:
        """All rights: a file, the owner, a superuser or a Tiers admin."""
        return self.may_write and self.counties is None

    @property
    def limited(self) -> bool:
        return not self.is_admin

    def refusal(self) -> str:
        """Why the login may write nothing ("" when it may write)."""
        if self.may_write:
            return ""
        if self.told:
            return self.told
        return NO_ROLE if self.role == "none" else READ_ONLY

    @property
    def mine(self) -> str:
        """His counties in words, to be followed by 的企业 or to stand alone (武进区;
        武进区、未填区县: never 未填区县的企业的企业, review27b)."""
        return in_sentence(self.county_names) or "所负责区县"

    def refusal_for(self, county_code: str | None, county_name: str | None = None,
                    credit_code: str | None = None, *, existing: bool = True) -> str:
        """Why the login may not change a firm of this county ("" when it may): the
        county's, or for a firm without one, why it is not his and who may."""
        if not self.may_write:
            return self.refusal()
        if self.allows(county_code, county_name, credit_code, existing=existing):
            return ""
        if county_code:
            return (f"这家企业属于{county_name or county_code}，您的账号只能修改{self.mine}的企业"
                    "（如需修改，请该区县的同事或管理员修改）")
        return f"这家企业{self.uncounted_why(county_name, credit_code)}，您的账号不能修改（{NO_COUNTY_WHO}）"

    def uncounted_why(self, county_name: str | None, credit_code: str | None) -> str:
        """Why a firm without a county code is not his, in words: 未填县（市、区）, or
        written as a zone the unit's rule places elsewhere or cannot place."""
        said = f"县（市、区）写作“{county_name}”，不是已知的区县" if county_name else "未填县（市、区）"
        if self.unit is None:
            return said
        return f"{said}，按信用代码和园区名称也不能认定属于{self.unit.names}"

    def import_refusal(self, counties: Iterable[tuple[str | None, str | None]], *,
                       credit_code: str | None = None, existing: bool = False) -> str:
        """Why an import leaves out a row that would write a firm of these counties (code,
        name): the firm's county, and the one the row would move it to. "" when the login
        may write them all. A county without a code (a 开发区, a blank) is an editor's as
        ``allows`` says (``credit_code``: the firm's; ``existing``: already in the
        database); else the server would refuse that firm too, so the row is left out,
        and said why and who may. The server's row-level security stays the final guard;
        this is what the preview says per row, so that the rest of a province's list goes
        in (tester25)."""
        if not self.may_write or self.counties is None:
            return ""  # a viewer's import is refused whole (``refusal``)
        outside = [(code, name) for code, name in dict.fromkeys(counties)
                   if not self.allows(code, name, credit_code, existing=existing)]
        if not outside:
            return ""
        named, _said = counties_named(outside)
        if named:
            return f"其他区县（{named}），不在您负责的范围（{self.mine}），不导入"
        written = next((name for _code, name in outside if name), None)
        return (f"{self.uncounted_why(written, credit_code)}，不导入（{NO_COUNTY_WHO}；"
                "请管理员导入这些行，或授权您的账号后再导入）")

    def admin_refusal(self, what: str) -> str:
        """Why the login may not do ``what`` (导入数据包, 备份服务器数据库), which only an
        admin does ("" when it may)."""
        if self.is_admin:
            return ""
        return self.refusal() or f"{what}{ADMIN_ONLY}（编辑账号只能修改所负责区县的企业）"


def write_rights(session: Session) -> WriteRights:
    """The login's rights as the server's own functions and tables decide them."""
    if session.get_bind().dialect.name != "postgresql":
        return WriteRights()
    if session.execute(text("SELECT to_regprocedure('public.tiers_is_admin()')")
                       ).scalar_one() is None:
        return WriteRights()  # a server database without roles yet: its owner writes all
    if session.execute(text("SELECT public.tiers_is_admin()")).scalar_one():
        return WriteRights(role="admin")
    from tiers.storage.server.rights import USERS_COUNTIES  # (psycopg: a server's alone)
    from tiers.storage.server.roles import group_roles

    rows = session.execute(text(f"SELECT county_code, coalesce(nullif(county_name, ''), "
                                f"county_code) FROM public.{USERS_COUNTIES} "
                                "WHERE login = session_user "
                                "ORDER BY county_code = '', county_code")).all()  # 开发区 last
    codes = frozenset(code for code, _ in rows)
    names = tuple(name for _, name in rows)
    if not session.execute(text("SELECT has_table_privilege('public.enterprise', 'UPDATE')")
                           ).scalar_one():
        database = session.execute(text("SELECT current_database()")).scalar_one()
        viewer = session.execute(text("SELECT pg_has_role(session_user, :group, 'MEMBER')"),
                                 {"group": group_roles(database)["viewer"]}).scalar_one()
        return WriteRights(counties=frozenset(), may_write=False,
                           role="viewer" if viewer else "none", county_names=names,
                           reads=codes or None)
    return WriteRights(counties=codes, role="editor", county_names=names,
                       unit=_own_unit(session, codes))


def _own_unit(session: Session, codes: frozenset[str]) -> UnitCounties | None:
    """本单位负责的区县 when every one of them is the editor's (the bureau's own officer on
    its server; not a county's officer on a city's), else None. The server's policies
    grant such an editor the firms without a county (public.tiers_writes_uncounted);
    the unit's rule narrows it to those it places in the unit (covers_firm)."""
    from tiers.services.unit import unit_counties

    unit = unit_counties(session)
    if not unit.is_set or not set(unit.codes) <= codes:
        return None
    return unit


def counties_named(outside: list[tuple[str | None, str]]) -> tuple[str, str]:
    """The counties (code, name) a row is left out for, in words: the known ones named
    (溧阳市、武进区), or, when none has a code, how the list wrote it (（写作“开发区”，Tiers
    看不出它在哪个区县）: Tiers knows no list of zones, tester28a). Shared by an editor's
    rights and the unit's counties (importers.plan.scope)."""
    named = "、".join(dict.fromkeys(name or code for code, name in outside
                                    if code and (name or code)))
    written = next((name for code, name in outside if name), "")
    return named, (f"（写作“{written}”，Tiers 看不出它在哪个区县）" if written else "")
