"""``tiers user add/list/disable/enable/password/set/log``: the officers' logins of one Tiers
server database. A login is a PostgreSQL role that can log in, member of one of the
database's group roles; an editor's or a viewer's counties are rows of
``tiers_user_county``. Only the database's owner (with CREATEROLE, as README sets it up) or
a superuser manages them; the server checks that too. Tiers admins run the data, not the
logins: on PostgreSQL 15 and older a login with CREATEROLE can make itself a member of any
role on the server.

Each change is one transaction (the role, its group, its counties and the line in
``tiers_user_log`` together, or nothing) and is written to ``tiers_user_log``: who did what
to which login, when (PostgreSQL's catalogue keeps no history)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import psycopg
from psycopg import Connection, sql

from tiers.errors import InvalidInput, NotFound, Refused
from tiers.model.vocabulary import NO_COUNTY_ARG, means_no_county
from tiers.storage.server import rights
from tiers.storage.server.connection import (
    NOT_INITIALISED,
    connect,
    database_name,
    is_initialised,
    require_user_manager,
    server_url,
)
from tiers.storage.server.roles import ROLE_NAMES, ROLES, group_roles
from tiers.storage.server.scram import verifier
from tiers.storage.write_rights import NO_COUNTY, NO_COUNTY_NAME
from tiers.text.unit_counties import ENTITY, describe_change, names_logged

# letters, digits, _ . - ; starting with a letter: a name that psql and every login form
# take without quoting (PostgreSQL allows more, an officer's keyboard should not need it)
LOGIN_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,62}$")
SHORTEST_PASSWORD = 8


@dataclass(frozen=True)
class ServerUser:
    name: str
    role: str  # admin / editor / viewer
    counties: tuple[str, ...]  # names (codes where the name is not known)
    enabled: bool
    note: str = ""  # what a change did besides what was asked (a viewer's grant dropped)
    # the codes of ``counties``, in the same order ('' for 未填区县的企业): what a change
    # of his counties starts from (the desktop's 账号管理 ticks them)
    county_codes: tuple[str, ...] = ()

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]

    @property
    def counties_text(self) -> str:
        """His counties in words, 全部 when he has none (an admin, a viewer of every
        county): as tiers user list and 账号管理 show them."""
        return "、".join(self.counties) or "全部"


@dataclass(frozen=True)
class Accounts:
    """What 账号管理 shows: the logins, the login reading them, and why it may not change
    them ("" when it may: the database's owner or a superuser)."""

    users: list[ServerUser]
    login: str
    refusal: str


def check_new_user(name: str, role: str, counties: Sequence[str]) -> list[tuple[str, str]]:
    """The (code, name) of each county, or InvalidInput with what to correct."""
    from tiers.model.reference import divisions

    if not LOGIN_NAME.match(name):
        raise InvalidInput(f"用户名“{name}”无效：请用英文字母开头，只含字母、数字、下划线、点或减号，最长 63 个字符")
    if role not in ROLES:
        raise InvalidInput(f"角色“{role}”无效，可选：admin（管理员）、editor（编辑）、viewer（查看）")
    if role == "admin" and counties:
        raise InvalidInput("管理员可以修改所有区县的企业，不需要指定区县")
    if role == "editor" and not counties:
        raise InvalidInput("编辑须指定其负责的区县（区县代码，如 320412 武进区）")
    # --county none (or 未填区县…: tiers.model.vocabulary.NO_COUNTY_WORDS, the words a
    # county filter takes): the firms without a county code (开发区), as tiers package
    # export writes it; kept as the county '' (tiers.storage.write_rights.NO_COUNTY)
    uncounted = [code for code in counties if means_no_county(code)]
    # not a viewer's: his read policy (rights._guard: county_code IN his counties) cannot
    # match a firm without a county code (NULL), so the grant would show him none of them,
    # and alone it would make him a viewer of nothing (tiers_sees_all: he has a county)
    if uncounted and role != "editor":
        raise InvalidInput(f"“{uncounted[0]}”（{NO_COUNTY_NAME}）只用于编辑账号：授权其修改县（市、区）"
                           "未填的企业（开发区等）")
    counties = [code for code in counties if code not in uncounted]
    county_level = {d.code: d for d in divisions() if d.level == "县级"}
    unknown = [code for code in counties if code not in county_level]
    if unknown:
        raise InvalidInput(f"未知的区县代码：{'、'.join(unknown)}（应为 6 位县级行政区划代码，如 320412 武进区）")
    # firms carry the successor of a retired code (海门市 320684 → 海门区 320614): an
    # editor of the old code would match none of them
    retired = [county_level[code] for code in counties if county_level[code].replaced_by]
    if retired:
        told = "；".join(f"{d.code} {d.name}已改为 {d.replaced_by} "
                        f"{county_level[d.replaced_by].name if d.replaced_by in county_level else ''}"
                        for d in retired)
        raise InvalidInput(f"区县代码已停用：{told}，请用新的代码")
    return ([(code, county_level[code].name) for code in dict.fromkeys(counties)]
            + ([(NO_COUNTY, NO_COUNTY_NAME)] if uncounted else []))


def county_choices(city_code: str | None, held: Sequence[str] = ()) -> list[tuple[str, str]]:
    """The counties 账号管理 offers to tick, (code, name): the current counties of the
    database's city (tiers.exchange.status.city_of_database), else of 江苏省; and any
    code in ``held`` (an account's own, a county of another city) that is not among them.
    The firms without a county ('' : 未填区县的企业) are the form's own line."""
    from tiers.model.reference import division, divisions

    if city_code:
        offered = [(d.code, d.name) for d in divisions()
                   if d.level == "县级" and d.current and d.parent_code == city_code]
    else:
        offered = [(d.code, d.name) for d in divisions()
                   if d.level == "县级" and d.current and d.code.startswith("32")]
    known = {code for code, _ in offered}
    for code in held:
        if code and code not in known:
            found = division(code)
            offered.append((code, found.name if found else code))
            known.add(code)
    return offered


def check_password(password: str) -> None:
    if len(password) < SHORTEST_PASSWORD:
        raise InvalidInput(f"密码太短：至少 {SHORTEST_PASSWORD} 个字符")


def check_may_manage(target: str, command: str, context: str, *, adding: str | None = None,
                     existing: str | None = None) -> None:
    """Refused (Chinese) unless this login may manage the logins, and ``adding`` is a free
    name or ``existing`` a login of this database: asked before the password is typed,
    so that an editor or a viewer is refused at once, not after typing it twice. The
    change itself checks again in its own transaction (the rights may change meanwhile)."""
    url = server_url(target, command)
    with connect(url, context) as connection:
        require_user_manager(connection)
        if adding is not None and connection.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", (adding,)).fetchone():
            raise Refused(f"用户 {adding} 已存在（同一台服务器上的数据库共用账号；请换一个用户名）")
        if existing is not None:
            _managed_user(connection, url, existing)


def add_user(target: str, name: str, role: str, counties: Sequence[str], password: str) -> ServerUser:
    """Create the login ``name`` in the group of ``role`` with its counties."""
    url = server_url(target, "tiers user add")
    chosen = check_new_user(name, role, counties)
    check_password(password)
    with connect(url, "无法添加用户") as connection:
        require_user_manager(connection)
        _lock_login(connection, name)
        if connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
            raise Refused(_exists(name))
        group = group_roles(database_name(url))[role]
        # never CREATEROLE, admins included: on PostgreSQL 15 and older a login with it
        # can grant itself any role on the server (another database's admin group,
        # pg_execute_server_program); users are the database owner's to manage
        try:
            connection.execute(sql.SQL("CREATE ROLE {name} LOGIN NOCREATEROLE PASSWORD "
                                       "{password} IN ROLE {group}").format(
                name=sql.Identifier(name), group=sql.Identifier(group),
                password=sql.Literal(verifier(password))))
        except (psycopg.errors.UniqueViolation, psycopg.errors.DuplicateObject) as exc:
            # added meanwhile from another database of the server (the lock is this
            # database's): the same answer as when it was there before
            raise Refused(_exists(name)) from exc
        _set_counties(connection, name, chosen)
        _log(connection, name, "add", _described(role, chosen))
    return ServerUser(name, role, tuple(n for _, n in chosen), True,
                      county_codes=tuple(code for code, _ in chosen))


def list_users(target: str) -> list[ServerUser]:
    """The logins of this database's groups, by name, each with its widest role."""
    url = server_url(target, "tiers user list")
    with connect(url, "无法列出用户") as connection:
        if not is_initialised(connection):
            raise Refused(NOT_INITIALISED)
        return _listed(connection, url)


def read_accounts(target: str) -> Accounts:
    """The logins (as ``list_users``), who reads them and whether he may change them, in
    one transaction: 账号管理 greys its changes out for a Tiers admin who is not the
    database's owner, and says why, before he fills in a form."""
    url = server_url(target, "账号管理")
    with connect(url, "无法读取账号") as connection:
        if not is_initialised(connection):
            raise Refused(NOT_INITIALISED)
        users = _listed(connection, url)
        login = connection.execute("SELECT session_user").fetchone()[0]
        try:
            with connection.transaction():  # (a savepoint: the refusal is not an error)
                require_user_manager(connection)
            refusal = ""
        except Refused as exc:
            refusal = str(exc)
    return Accounts(users, login, refusal)


def _listed(connection: Connection, url: str) -> list[ServerUser]:
    """Each login of this database's groups once, with its widest role, by name."""
    counties = _counties(connection)
    users: dict[str, ServerUser] = {}
    for member in _members(connection, url):
        held = users.get(member.name)
        if held is None or ROLES.index(member.role) < ROLES.index(held.role):
            names, codes = counties.get(member.name, ((), ()))
            users[member.name] = ServerUser(member.name, member.role, names,
                                            member.enabled, county_codes=codes)
    return sorted(users.values(), key=lambda user: user.name)


def _counties(connection: Connection) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """login → (his counties' names, their codes)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for login, code, county_name in connection.execute(
            f"SELECT login, county_code, county_name FROM public.{rights.USERS_COUNTIES} "
            "ORDER BY login, county_code = '', county_code"):  # 未填区县的企业 last
        found.setdefault(login, []).append((county_name or code, code))
    return {login: (tuple(n for n, _ in held), tuple(c for _, c in held))
            for login, held in found.items()}


def disable_user(target: str, name: str) -> ServerUser:
    """NOLOGIN: he can no longer connect; his records and his name in the change log stay."""
    url = server_url(target, "tiers user disable")
    with connect(url, "无法停用用户") as connection:
        user = _managed_user(connection, url, name)
        if connection.execute("SELECT session_user = %s", (name,)).fetchone()[0]:
            raise Refused("不能停用自己正在使用的账号")
        if user.role == "admin" and user.enabled:
            _keep_an_admin(connection, url, name, "停用")
        connection.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(name)))
        _log(connection, name, "disable", "")
    return ServerUser(user.name, user.role, user.counties, False, county_codes=user.county_codes)


def _keep_an_admin(connection: Connection, url: str, name: str, doing: str) -> None:
    """Refused when ``name`` is the only enabled Tiers admin: disabled, or given another
    role, the bureau would have no admin login left (packages, backups, 本单位负责的区县)
    but the owner's, which is the IT person's alone. Asked under the lock of the admins
    (two such changes of two admins at once would each see the other still there)."""
    connection.execute("SELECT pg_advisory_xact_lock(hashtext('tiers admins'), 0)")
    admins = {user.name for user in _members(connection, url)
              if user.role == "admin" and user.enabled}
    if admins == {name}:
        raise Refused(f"用户 {name} 是唯一启用的管理员，{doing}后就没有能导入数据包、备份服务器数据库的管理员账号了"
                      "（数据库所有者的账号只由信息化人员使用）：请先添加或启用另一位管理员")


def enable_user(target: str, name: str) -> ServerUser:
    """LOGIN again: a disabled officer back at work, his role and counties as they were."""
    url = server_url(target, "tiers user enable")
    with connect(url, "无法启用用户") as connection:
        user = _managed_user(connection, url, name)
        if user.enabled:
            raise Refused(f"用户 {name} 没有停用，可以登录（不需要启用）")
        connection.execute(sql.SQL("ALTER ROLE {} LOGIN").format(sql.Identifier(name)))
        _log(connection, name, "enable", "")
    return ServerUser(user.name, user.role, user.counties, True, county_codes=user.county_codes)


def set_password(target: str, name: str, password: str) -> ServerUser:
    """A new password for a login (a forgotten one): sent as its SCRAM verifier, never in
    plain; the login's state is left as it is (a disabled login stays disabled)."""
    url = server_url(target, "tiers user password")
    check_password(password)
    with connect(url, "无法重设密码") as connection:
        user = _managed_user(connection, url, name)
        connection.execute(sql.SQL("ALTER ROLE {name} PASSWORD {password}").format(
            name=sql.Identifier(name), password=sql.Literal(verifier(password))))
        _log(connection, name, "password", "")
    return user


def change_user(target: str, name: str, *, role: str | None = None,
                counties: Sequence[str] | None = None, all_counties: bool = False) -> ServerUser:
    """Another role and/or other counties for a login (an officer moved from 武进区 to 新北区,
    a viewer made an editor). ``counties`` replaces his counties; ``all_counties`` takes
    them all away (a viewer who reads every county; an admin needs none: made an admin, a
    login's counties go). Checked as a new user would be: an editor needs his counties.
    ``counties=[]`` (账号管理 with none ticked) is read by the role here, not by a face: an
    admin holds none, a viewer reads every county, an editor is refused; counties given
    to an admin are refused (tiers user set --role admin --county …)."""
    url = server_url(target, "tiers user set")
    if role is None and counties is None and not all_counties:
        raise InvalidInput("请指定要修改的角色或区县")
    if counties is not None and all_counties:
        raise InvalidInput("指定区县与“全部区县”只能选一个")
    with connect(url, "无法修改用户") as connection:
        user = _managed_user(connection, url, name)
        if connection.execute("SELECT session_user = %s", (name,)).fetchone()[0]:
            raise Refused("不能修改自己正在使用的账号")
        new_role = role or user.role
        note = ""
        held = [code for code, in connection.execute(
            f"SELECT county_code FROM public.{rights.USERS_COUNTIES} WHERE login = %s "
            "ORDER BY county_code", (name,))]
        if counties is not None:
            wanted = list(counties)
        elif all_counties or new_role == "admin":
            wanted = []
        else:
            # his counties as they are: the grant of the firms without a county, kept as
            # '', is said as --county none says it (an editor's role-only change was
            # refused as the unknown county code '': review27b); a role that may not hold
            # it (a viewer) loses it, and is told so
            wanted = [NO_COUNTY_ARG if code == NO_COUNTY else code for code in held]
            if NO_COUNTY in held and new_role != "editor":
                wanted.remove(NO_COUNTY_ARG)
                if not wanted:  # nothing left: a viewer of every county, not asked for
                    raise InvalidInput(
                        f"用户 {name} 只获授权“{NO_COUNTY_NAME}”，这项授权只用于编辑账号；"
                        f"改为{ROLE_NAMES[new_role]}账号时请用 --county 指定其可查看的区县，"
                        "或用 --all-counties 让其查看全部区县")
                note = (f"“{NO_COUNTY_NAME}”的授权只用于编辑账号，改为{ROLE_NAMES[new_role]}账号后"
                        "已去掉")
        chosen = check_new_user(name, new_role, wanted)
        told = []
        if user.role == "admin" and new_role != "admin" and user.enabled:
            _keep_an_admin(connection, url, name, f"改为{ROLE_NAMES[new_role]}")
        if new_role != user.role:
            groups = group_roles(database_name(url))
            for old in ROLES:  # every group of this database he is in (list shows the widest)
                if old != new_role and _member_of(connection, name, groups[old]):
                    connection.execute(sql.SQL("REVOKE {group} FROM {name}").format(
                        group=sql.Identifier(groups[old]), name=sql.Identifier(name)))
            connection.execute(sql.SQL("GRANT {group} TO {name}").format(
                group=sql.Identifier(groups[new_role]), name=sql.Identifier(name)))
            told.append(f"角色：{ROLE_NAMES[user.role]} → {ROLE_NAMES[new_role]}")
        if sorted(code for code, _ in chosen) != held:  # ('' of --county none first)
            was = "、".join(user.counties) or "全部"
            connection.execute(f"DELETE FROM public.{rights.USERS_COUNTIES} WHERE login = %s",
                               (name,))
            _set_counties(connection, name, chosen)
            told.append(f"区县：{was} → {'、'.join(n for _, n in chosen) or '全部'}")
        if not told:
            raise Refused(f"用户 {name} 已是{_described(new_role, chosen)}，没有需要修改的内容")
        _log(connection, name, "set", "；".join(told))
    return ServerUser(name, new_role, tuple(n for _, n in chosen), user.enabled, note,
                      tuple(code for code, _ in chosen))


@dataclass(frozen=True)
class UserLogLine:
    at: dt.datetime
    by: str  # the login that made the change
    login: str
    action: str  # add / disable / enable / password / set; unit (本单位负责的区县, login "")
    detail: str

    @property
    def action_name(self) -> str:
        return ACTION_NAMES.get(self.action, self.action)


ACTION_NAMES = {"add": "添加", "disable": "停用", "enable": "启用", "password": "重设密码",
                "set": "修改", "unit": "设置本单位负责的区县"}


def user_log(target: str, name: str | None = None) -> list[UserLogLine]:
    """The changes of the logins (of ``name`` only, if given), oldest first. For the
    database's owner, a superuser or a Tiers admin."""
    url = server_url(target, "tiers user log")
    with connect(url, "无法读取用户变更记录") as connection:
        if not is_initialised(connection):
            raise Refused(NOT_INITIALISED)
        if connection.execute("SELECT to_regclass(%s)",
                              (f"public.{rights.USERS_LOG}",)).fetchone()[0] is None:
            return []  # a server set up before the log was kept: nothing logged yet
        if not connection.execute("SELECT has_table_privilege(%s, 'SELECT')",
                                  (f"public.{rights.USERS_LOG}",)).fetchone()[0]:
            raise Refused("只有管理员、数据库的所有者或超级用户可以查看用户的变更记录")
        rows = connection.execute(
            f"SELECT at, by_login, login, action, detail FROM public.{rights.USERS_LOG} "
            "WHERE %s::name IS NULL OR login = %s::name ORDER BY at, id", (name, name)).fetchall()
        lines = [UserLogLine(*row) for row in rows]
        if name is None:  # the database's settings an admin changes for every login
            lines += _unit_lines(connection)
    return sorted(lines, key=lambda line: line.at)


def _unit_lines(connection: Connection) -> list[UserLogLine]:
    """The changes of 本单位负责的区县 (tiers.services.unit logs them in the change log,
    the login stamped by the server): they decide every editor's imports and packages."""
    if connection.execute("SELECT to_regclass('public.change')").fetchone()[0] is None:
        return []
    rows = connection.execute(
        "SELECT at, \"user\", old_value, new_value FROM public.change "
        "WHERE entity = %s ORDER BY id", (ENTITY,)).fetchall()
    return [UserLogLine(at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at, user or "",
                        "", "unit", describe_change(names_logged(old), names_logged(new)))
            for at, user, old, new in rows]


def _managed_user(connection: Connection, url: str, name: str) -> ServerUser:
    """The login ``name`` of this database, once the caller is known to manage users; the
    login is locked until the transaction ends (``_lock_login``)."""
    require_user_manager(connection)
    _lock_login(connection, name)
    members = [user for user in _members(connection, url) if user.name == name]
    if not members:
        raise NotFound(f"这个数据库没有用户 {name}（可能已被删除；用 tiers user list 或“文件 → 账号管理”查看用户）")
    widest = min(members, key=lambda user: ROLES.index(user.role))
    counties, codes = _counties(connection).get(name, ((), ()))
    return ServerUser(name, widest.role, counties, widest.enabled, county_codes=codes)


def _lock_login(connection: Connection, name: str) -> None:
    """One change of a login at a time: a second one waits here for the first to commit,
    then reads what it left. Without it two ``tiers user set`` of the same login each
    deleted the counties they had read and inserted their own, and the login kept both
    (an editor of two counties nobody gave him, the log saying one each); two ``add`` of
    one name ended in the server's unique-index error instead of "已存在"."""
    connection.execute("SELECT pg_advisory_xact_lock(hashtext('tiers user'), hashtext(%s))",
                       (name,))


def _exists(name: str) -> str:
    return f"用户 {name} 已存在（同一台服务器上的数据库共用账号；请换一个用户名）"


def _member_of(connection: Connection, name: str, group: str) -> bool:
    return connection.execute("""
        SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
        JOIN pg_roles g ON g.oid = m.roleid WHERE r.rolname = %s AND g.rolname = %s""",
                              (name, group)).fetchone() is not None


def _set_counties(connection: Connection, name: str, chosen: list[tuple[str, str]]) -> None:
    for code, county_name in chosen:
        connection.execute(
            f"INSERT INTO public.{rights.USERS_COUNTIES} (login, county_code, county_name) "
            "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING", (name, code, county_name))


def _described(role: str, chosen: list[tuple[str, str]]) -> str:
    counties = "、".join(county_name for _, county_name in chosen)
    return ROLE_NAMES[role] + (f"，区县：{counties}" if counties else "")


def _log(connection: Connection, name: str, action: str, detail: str) -> None:
    """One line of the logins' history, in the change's own transaction. A server set up
    before the log was kept gets its table here (``tiers server init`` then grants it)."""
    connection.execute(rights.USERS_LOG_SQL)
    connection.execute(
        f"INSERT INTO public.{rights.USERS_LOG} (by_login, login, action, detail) "
        "VALUES (session_user, %s, %s, %s)", (name, action, detail))


def _members(connection: Connection, url: str) -> list[ServerUser]:
    groups = group_roles(database_name(url))
    role_of = {group: role for role, group in groups.items()}
    rows = connection.execute("""
        SELECT r.rolname, g.rolname, r.rolcanlogin FROM pg_roles r
        JOIN pg_auth_members m ON m.member = r.oid JOIN pg_roles g ON g.oid = m.roleid
        WHERE g.rolname = ANY(%s)""", (list(groups.values()),)).fetchall()
    return [ServerUser(name, role_of[group], (), enabled) for name, group, enabled in rows]
