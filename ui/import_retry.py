"""What an import that did not go through says, for the two windows that import after a
preview (导入数据包, the import wizard).

When the server's connection broke during the import the officer was told only
"与数据库服务器的连接中断了…请稍后重试", beside a greyed 导入 (a tester): not whether anything
had been written, nor how to try again. An import is one transaction: broken before its
commit, the server dropped all of it. Broken at the commit, it may have been written; 导入
again is safe either way, because the import makes its plan anew under its locks and
writes only if that is still the plan the preview showed (else: 生成预览之后数据库已有变化…
请重新预览, and nothing is written)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from tiers.errors import Kind
from ui.operations import Refusal


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportRetry", text)


def may_retry(refusal: Refusal) -> bool:
    """The preview still holds: 导入 may be pressed again as it is (a connection lost, the
    database busy, a disk full: nothing was written, and the import checks the preview's
    plan again). Not after the database changed since the preview (a conflict)."""
    return refusal.connection_lost or refusal.busy or refusal.kind == Kind.STORAGE


def preview_outdated(refusal: Refusal) -> bool:
    """The database changed since the preview: only a new preview can be imported."""
    return refusal.kind == Kind.CONFLICT


def refusal_text(refusal: Refusal) -> str:
    """The refusal's message; for a connection lost, what became of the import and what to
    do next."""
    message = refusal.message.rstrip("。")
    if not refusal.connection_lost:
        return refusal.message
    if refusal.at_commit:
        return message + "。" + _tr(
            "连接在提交导入时中断，无法确定这次导入是否已写入。预览仍保留：服务器恢复后可再按“导入”，"
            "不会重复写入（导入前会重新核对库中数据自预览以来有无变化；已写入时会说明数据库已有变化，"
            "这次导入可在“导入记录”中查到）。")
    return message + "。" + _tr(
        "这次导入没有写入任何数据（连接中断时，服务器已撤回未完成的导入）。预览仍保留："
        "服务器恢复后再按“导入”即可（导入前会重新核对库中数据自预览以来有无变化，有变化时请重新预览）。")
