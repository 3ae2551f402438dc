"""Closing a workbook when the disk refuses the write (full, removed, read-only).

XlsxWriter wraps the operating system's error in its own ``FileCreateError``, which the faces
do not know (the officer read "程序内部错误（FileCreateError）"); the OSError itself is what
every face already says in Chinese ("磁盘已满"). And both XlsxWriter and openpyxl leave their
zip file open when a write fails: the garbage collector closes it later, fails to write the
zip's directory again, and prints "Exception ignored … Traceback" on stderr. Here the
OSError is raised instead, after the zip files it left open are closed without writing.
"""

from __future__ import annotations

import contextlib
import errno
import zipfile

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError


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


def release_zip_files(error: BaseException) -> None:
    """Close, without writing anything more, the zip files still open in the frames the
    error (and the errors it was raised while handling) went through."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        trace = error.__traceback__
        while trace is not None:
            for value in list(trace.tb_frame.f_locals.values()):
                if isinstance(value, zipfile.ZipFile) and value.fp is not None:
                    handle, value.fp = value.fp, None
                    with contextlib.suppress(OSError):  # its buffer cannot be written
                        handle.close()
            trace = trace.tb_next
        error = error.__context__
