"""Reports printed to PDF through LibreOffice (#19): the same pages as the workbook, no
file left behind on failure, and a Chinese way out when LibreOffice is missing."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from tiers import reports
from tiers.progress import drain
from tiers.reports import ReportRequest, pdf
from tiers.services import recognitions

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def folder(tmp_path):
    made = tmp_path / "out"  # tmp_path holds the test database too
    made.mkdir()
    return made


def _export(session, target, name="roster", **filters):
    request = ReportRequest(**filters, unit="武进区工信局", today=TODAY, filled_on=TODAY)
    return drain(reports.export_steps(session, name, target, request))


@pytest.mark.skipif(not pdf.available(), reason="LibreOffice is not installed here")
def test_a_report_saved_as_pdf_is_a_pdf_of_its_pages(session, enterprise_factory, folder):
    firm = enterprise_factory("常州恒立液压科技有限公司")
    recognitions.add(session, firm.id, {"tier_code": "创新型", "batch_year": 2025,
                                        "recognized_on": dt.date(2025, 6, 1)})
    session.flush()
    target = folder / "名单.pdf"
    saved = _export(session, target)
    assert saved == target
    content = target.read_bytes()
    assert content.startswith(b"%PDF")
    assert b"/Type /Page" in content or b"/Type/Page" in content
    assert sorted(p.name for p in folder.iterdir()) == ["名单.pdf"]  # no workbook left
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "常州恒立液压科技有限公司" in text and "梯度培育企业名单" in text


def test_without_libreoffice_the_officer_is_told_what_to_do(session, folder, monkeypatch):
    monkeypatch.setattr(pdf, "office_program", lambda: None)
    with pytest.raises(reports.ReportError, match="未找到 LibreOffice.*WPS"):
        _export(session, folder / "名单.pdf")
    assert list(folder.iterdir()) == []


def test_a_failed_conversion_leaves_nothing(session, folder, monkeypatch):
    false = shutil.which("false")
    if false is None:
        pytest.skip("no false program")
    monkeypatch.setattr(pdf, "office_program", lambda: false)
    with pytest.raises(reports.ReportError, match="未能把报表转换为 PDF"):
        _export(session, folder / "名单.pdf")
    assert list(folder.iterdir()) == []


def test_other_endings_are_refused_in_chinese(session, folder):
    with pytest.raises(reports.ReportError, match=r"\.xlsx（Excel）或 \.pdf"):
        _export(session, folder / "名单.docx")
