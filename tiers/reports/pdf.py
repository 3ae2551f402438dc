"""Reports as PDF: the workbook Tiers writes, printed to PDF by LibreOffice.

The report is written as usual, then LibreOffice converts it headless, so the PDF has
exactly the pages the .xlsx prints (A4, one page wide, header rows repeated, the footer's
page numbers). LibreOffice runs with a profile of its own in a temporary folder: an office
suite the officer has open would otherwise take the job over and return at once without
converting anything. Without LibreOffice the officer is told how to get it, or to save the
.xlsx as PDF in WPS.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tiers.progress import Job, Progress
from tiers.reports.base import ReportError

TIMEOUT_SECONDS = 300  # a 100,000-row roster prints to a few thousand pages
POLL_SECONDS = 0.2

# where installers put LibreOffice when it is not on PATH
_WINDOWS_PLACES = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                   r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")
_LINUX_PLACES = ("/opt/libreoffice/program/soffice", "/usr/lib/libreoffice/program/soffice",
                 "/snap/bin/libreoffice")
NOT_INSTALLED = ("未找到 LibreOffice，无法生成 PDF。请安装 LibreOffice（统信 UOS、麒麟：在应用商店中"
                 "搜索 LibreOffice；Windows：从 libreoffice.org 下载）后重试；"
                 "也可以先导出 Excel 文件，再用 WPS 或 Excel 另存为 PDF。")


def office_program() -> str | None:
    """The LibreOffice program that converts files, or None when there is none."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    places = _WINDOWS_PLACES if sys.platform == "win32" else _LINUX_PLACES
    return next((place for place in places if os.path.exists(place)), None)


def available() -> bool:
    return office_program() is not None


def convert_steps(workbook: Path, target: Path) -> Job[None]:
    """Print ``workbook`` to the PDF file ``target`` (a path Tiers may overwrite: the
    caller's temporary file). Yields progress while LibreOffice works; closing the job
    stops LibreOffice and leaves nothing behind."""
    program = office_program()
    if program is None:
        raise ReportError(NOT_INSTALLED)
    with tempfile.TemporaryDirectory(prefix="tiers-pdf-") as folder:
        work = Path(folder)
        source = work / "report.xlsx"
        shutil.copyfile(workbook, source)
        profile = (work / "profile").as_uri()
        command = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(work), str(source)]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, cwd=folder)
        started = time.monotonic()
        try:
            while process.poll() is None:
                if time.monotonic() - started > TIMEOUT_SECONDS:
                    raise ReportError(f"LibreOffice 在 {TIMEOUT_SECONDS // 60} 分钟内没有完成"
                                      "转换，已停止；请导出 Excel 文件后另存为 PDF")
                yield Progress("正在用 LibreOffice 生成 PDF", 0, 0)
                time.sleep(POLL_SECONDS)
        finally:
            if process.poll() is None:  # cancelled or timed out: stop it before cleaning up
                process.kill()
                process.wait()
            if process.stdout:
                process.stdout.close()
        printed = work / "report.pdf"
        if process.returncode != 0 or not printed.exists() or printed.stat().st_size == 0:
            raise ReportError("LibreOffice 未能把报表转换为 PDF；请导出 Excel 文件后"
                              "用 WPS 或 Excel 另存为 PDF")
        try:
            shutil.copyfile(printed, target)
        except OSError as exc:
            # shutil names the copy's source (this temporary folder, with room to spare)
            # on a full target disk: the reason alone, as a workbook's full disk says it
            raise OSError(exc.errno, exc.strerror) from None
