"""A workbook is read by its content, not by its name: an .xls renamed .xlsx (and the
reverse) is read; refusals never show Python exception names."""

from __future__ import annotations

import re
import shutil
import zipfile

import pytest

from importers import ImportRefused, detect, open_source
from tests.importers.helpers import DATA, write_xlsx

_PYTHON_NAME = re.compile(r"[A-Za-z]+Error|Exception")


def _rows(path):
    source = open_source(path)
    try:
        detection = detect(source)
        sheet = source.sheet(detection.sheet)
        return detection.sheet, detection.kind, sheet.rows, sheet.merged
    finally:
        source.close()


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".csv", ""])
def test_legacy_xls_renamed_is_read_as_xls(tmp_path, suffix):
    renamed = tmp_path / f"名单{suffix}"
    shutil.copyfile(DATA / "legacy_roster.xls", renamed)
    assert _rows(renamed) == _rows(DATA / "legacy_roster.xls")
    name, _, rows, merged = _rows(renamed)
    assert rows[2][2] == "常州旧版甲精密机械有限公司"
    assert merged  # the merged ranges of the .xls come through too


def test_xlsx_renamed_xls_is_read_as_xlsx(tmp_path):
    original = write_xlsx(tmp_path / "roster.xlsx", {"名单": [
        ["企业名称", "统一社会信用代码"], ["常州甲有限公司", "91320412MA00050195"]]})
    renamed = tmp_path / "roster.xls"
    shutil.copyfile(original, renamed)
    name, kind, rows, _ = _rows(renamed)
    assert (name, kind) == ("名单", "roster")
    assert rows[1] == ["常州甲有限公司", "91320412MA00050195"]


def test_encrypted_xlsx_renamed_xls_still_says_password(tmp_path):
    renamed = tmp_path / "加密.xls"
    shutil.copyfile(DATA / "encrypted.xlsx", renamed)
    with pytest.raises(ImportRefused, match="密码"):
        open_source(renamed)


def _refusal(path) -> str:
    """The message with which opening and detecting the file is refused."""
    with pytest.raises(ImportRefused) as caught:
        source = open_source(path)
        try:
            detect(source)
        finally:
            source.close()
    return str(caught.value)


def test_corrupt_legacy_file_named_xlsx_is_refused_in_chinese(tmp_path):
    data = (DATA / "legacy_roster.xls").read_bytes()
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(data[:512] + b"\x00" * (len(data) - 512))  # header kept, body wiped
    message = _refusal(broken)
    assert "损坏" in message or "不是 Excel" in message
    assert not _PYTHON_NAME.search(message), message


def test_zip_workbook_calamine_cannot_read_has_no_exception_name(tmp_path):
    broken = tmp_path / "坏.xls"  # named .xls, a zip inside: read as .xlsx and refused as such
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "not xml <<<")
        archive.writestr("xl/workbook.xml", "not xml <<<")
    message = _refusal(broken)
    assert "损坏" in message
    assert not _PYTHON_NAME.search(message), message
