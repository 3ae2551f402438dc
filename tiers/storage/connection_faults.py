"""What goes wrong between the client and a PostgreSQL server, told in one Chinese line.

libpq reports a failed connection as text only (no SQLSTATE: there is no server result yet),
so the cause is read from the message. The server's part of it (FATAL: …) is in the server's
``lc_messages``: a PostgreSQL installed on a Chinese Windows answers in Chinese, so both the
English texts and PostgreSQL's own zh_CN translations are listed. Errors that do carry a
SQLSTATE (the server shut down under an open connection) are matched by it first.
"""

from __future__ import annotations

UNREACHABLE = ("无法连接数据库服务器（服务器没有开机、地址或端口有误，或被防火墙拦住）。"
               "请检查服务器地址和网络，或请管理员确认 PostgreSQL 正在运行")
TIMEOUT = ("连接数据库服务器超时（服务器没有应答：地址有误、网络不通或被防火墙拦住）。"
           "请检查服务器地址和网络后重试")
UNKNOWN_HOST = "找不到数据库服务器：服务器名称有误或网络不通。请检查服务器地址"
WRONG_PASSWORD = "用户名或密码不对，服务器拒绝登录。请检查用户名和密码（区分大小写）"
NO_PASSWORD = "服务器要求输入密码，但没有提供密码。请输入密码后重试"
NO_SUCH_USER = "服务器上没有这个用户名。请检查用户名，或请管理员用 tiers user add 添加"
LOGIN_DISABLED = "这个用户已被停用，不能登录。请联系管理员"
NO_SUCH_DATABASE = "服务器上没有这个数据库。请检查数据库名称，或请管理员先运行 tiers server init 建库"
NOT_ALLOWED_HERE = ("服务器不允许从这台电脑、以这个用户登录（pg_hba.conf 中没有相应的记录）。"
                    "请管理员在服务器上允许本机访问")
NO_RIGHTS = "您的账号没有使用这个 Tiers 数据库的权限。请管理员用 tiers user add 为您设定角色"
TOO_MANY = "数据库服务器的连接数已满。请稍后重试，或请管理员调大 max_connections"
STARTING = "数据库服务器正在启动或关闭，暂时不能连接。请稍后重试"
CONNECTION_LOST = "与数据库服务器的连接中断了（服务器重启或网络断开）。请稍后重试"

# (phrases of the message, in English and in PostgreSQL's zh_CN translation) → the line
_BY_TEXT: tuple[tuple[tuple[str, ...], str], ...] = (
    (("password authentication failed", "password 认证失败", "口令认证失败", "密码认证失败"),
     WRONG_PASSWORD),
    (("no password supplied", "没有提供口令", "没有提供密码"), NO_PASSWORD),
    (("is not permitted to log in", "不允许登录"), LOGIN_DISABLED),
    (("no pg_hba.conf entry", "pg_hba.conf 记录", "pg_hba.conf 中没有"), NOT_ALLOWED_HERE),
    (("permission denied for database", "does not have connect privilege", "没有 connect 权限",
      "没有connect权限"), NO_RIGHTS),
    (("too many clients", "太多的客户", "remaining connection slots"), TOO_MANY),
    (("the database system is starting up", "the database system is shutting down",
      "the database system is in recovery", "数据库系统启动中", "数据库系统正在关闭",
      "数据库系统处于恢复模式"), STARTING),
    (("timeout expired", "connection timeout", "超时"), TIMEOUT),
    (("failed to resolve host", "could not translate host name", "name or service not known",
      "nodename nor servname", "无法解析主机名", "无法翻译主机名"), UNKNOWN_HOST),
    (("connection refused", "拒绝连接", "no route to host", "network is unreachable",
      "actively refused", "积极拒绝", "无法连接到服务器", "could not connect to server"),
     UNREACHABLE),
    (("server closed the connection unexpectedly", "terminating connection",
      "connection is closed", "consuming input failed", "ssl syscall error", "eof detected",
      "the connection is lost", "服务器意外地关闭了联接", "服务器意外地关闭了连接", "终止连接"),
     CONNECTION_LOST),
)

# SQLSTATEs of errors that come from an established connection
_BY_SQLSTATE = {
    "57P01": CONNECTION_LOST,  # admin_shutdown: the server stopped or restarted
    "57P02": CONNECTION_LOST,  # crash_shutdown
    "57P03": STARTING,  # cannot_connect_now
    "08000": CONNECTION_LOST, "08003": CONNECTION_LOST, "08006": CONNECTION_LOST,
    "08001": UNREACHABLE, "08004": UNREACHABLE,
    "28P01": WRONG_PASSWORD, "28000": NOT_ALLOWED_HERE,
    "3D000": NO_SUCH_DATABASE, "53300": TOO_MANY,
}


def explain_connection(error: BaseException) -> str | None:
    """One Chinese line for a psycopg error about reaching or logging into the server, None
    for anything else (a permission refused inside the database, a bug)."""
    if not type(error).__module__.startswith("psycopg"):
        return None  # (SQLite's and the OS's errors: psycopg need not even be imported)
    import psycopg

    if not isinstance(error, psycopg.Error):
        return None
    sqlstate = getattr(error, "sqlstate", None)
    if sqlstate in _BY_SQLSTATE:
        return _BY_SQLSTATE[sqlstate]
    if not isinstance(error, (psycopg.OperationalError, psycopg.InterfaceError)):
        return None
    return explain_connection_text(str(error))


def explain_connection_text(message: str) -> str | None:
    """The line for libpq's text of a failed connection (``connection failed: …``)."""
    text = message.lower()
    if "does not exist" in text or "不存在" in text:
        if "database" in text or "数据库" in text:
            return NO_SUCH_DATABASE
        if "role" in text or "角色" in text or "user" in text or "用户" in text:
            return NO_SUCH_USER
    for phrases, line in _BY_TEXT:
        if any(phrase in text for phrase in phrases):
            return line
    return None
