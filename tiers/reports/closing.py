"""Closing a workbook when the disk refuses the write (full, removed, read-only).

XlsxWriter wraps the operating system's error in its own ``FileCreateError``, which the faces
do not know (the officer read "程序内部错误（FileCreateError）"); the OSError itself is what
every face already says in Chinese ("磁盘已满"). And both XlsxWriter and openpyxl leave their
zip file open when a write fails: the garbage collector closes it later, fails to write the
zip's directory again, and prints "Exception ignored … Traceback" on stderr; XlsxWriter
also leaves the parts it had not yet zipped in the temporary folder (on the full disk, as
often as not). Here the OSError is raised instead, after the zip files it left open are
closed without writing; a workbook made by new_workbook keeps its temporary files (those
parts, and constant-memory mode's rows) in a folder of its own, removed when it is closed,
written or not.
"""

from __future__ import annotations

import contextlib
import errno
import shutil
import tempfile
import weakref
import zipfile
from typing import IO, Any

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

_FOLDERS: weakref.WeakKeyDictionary[xlsxwriter.Workbook, str] = weakref.WeakKeyDictionary()


def new_workbook(target: str | IO[bytes], options: dict[str, Any]) -> xlsxwriter.Workbook:
    """An XlsxWriter workbook whose temporary files go to a folder of its own (in the
    system's temporary folder), which close_workbook or discard_workbook removes.

    With ``in_memory`` the parts are assembled in memory and zipped from there: no
    temporary file or folder at all. For a small workbook written many times over (the
    采集表 per firm) that is most of the time: 13 temporary files made and removed per
    workbook cost more than writing the workbook itself on a slow disk."""
    if options.get("in_memory"):
        return xlsxwriter.Workbook(target, options)
    folder = tempfile.mkdtemp(prefix="tiers-xlsx-")
    try:
        workbook = xlsxwriter.Workbook(target, {**options, "tmpdir": folder})
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _FOLDERS[workbook] = folder
    return workbook


def close_workbook(workbook: xlsxwriter.Workbook) -> None:
    """``workbook.close()``, raising the operating system's error when the file cannot be
    written."""
    try:
        workbook.close()
    except FileCreateError as exc:
        release_zip_files(exc)
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, OSError):
            raise cause from None
        raise OSError(errno.EIO, str(exc)) from None
    finally:
        _remove_folder(workbook)


def discard_workbook(workbook: xlsxwriter.Workbook) -> None:
    """Give up a workbook without writing it (cancel, error): the files of constant-memory
    mode closed and its temporary folder removed."""
    for worksheet in workbook.worksheets():
        handle = getattr(worksheet, "row_data_fh", None)
        if handle is not None and not handle.closed:
            handle.close()
    _remove_folder(workbook)


def _remove_folder(workbook: xlsxwriter.Workbook) -> None:
    folder = _FOLDERS.pop(workbook, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _frames(error: BaseException | None):
    """The frames the error, and the errors it was raised while handling, went through."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        trace = error.__traceback__
        while trace is not None:
            yield trace.tb_frame
            trace = trace.tb_next
        error = error.__context__


def release_zip_files(error: BaseException) -> None:
    """Close, without writing anything more, the zip files still open in the frames the
    error (and the errors it was raised while handling) went through."""
    for frame in _frames(error):
        for value in list(frame.f_locals.values()):
            if isinstance(value, zipfile.ZipFile) and value.fp is not None:
                handle, value.fp = value.fp, None
                with contextlib.suppress(OSError):  # its buffer cannot be written
                    handle.close()
