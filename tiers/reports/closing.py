"""Closing a workbook when the disk refuses the write (full, removed, read-only).

XlsxWriter wraps the operating system's error in its own ``FileCreateError``, which the faces
do not know (the officer read "程序内部错误（FileCreateError）"); the OSError itself is what
every face already says in Chinese ("磁盘已满"). And both XlsxWriter and openpyxl leave their
zip file open when a write fails: the garbage collector closes it later, fails to write the
zip's directory again, and prints "Exception ignored … Traceback" on stderr; XlsxWriter
also leaves the parts it had not yet zipped in the temporary folder (on the full disk, as
often as not). Here the OSError is raised instead, after the zip files it left open are
closed without writing and those parts removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
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
        _remove_unzipped_parts(exc)
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, OSError):
            raise cause from None
        raise OSError(errno.EIO, str(exc)) from None


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


def _remove_unzipped_parts(error: BaseException) -> None:
    """XlsxWriter's temporary files of the parts not yet zipped (Workbook._store_workbook's
    ``xml_files``: (temporary file, name in the zip, binary))."""
    for frame in _frames(error):
        parts = frame.f_locals.get("xml_files")
        if isinstance(parts, list):
            for part in parts:
                if isinstance(part, tuple) and part and isinstance(part[0], str):
                    with contextlib.suppress(OSError):
                        os.remove(part[0])


def release_zip_files(error: BaseException) -> None:
    """Close, without writing anything more, the zip files still open in the frames the
    error (and the errors it was raised while handling) went through."""
    for frame in _frames(error):
        for value in list(frame.f_locals.values()):
            if isinstance(value, zipfile.ZipFile) and value.fp is not None:
                handle, value.fp = value.fp, None
                with contextlib.suppress(OSError):  # its buffer cannot be written
                    handle.close()
