"""The workbook as printed: LibreOffice renders it to PDF, then the first page to PNG; every page
carries the protective marking, its number of the total, and nothing of the notes is cut off."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from meeting.report import load_report
from meeting.workbook import render_workbook
from storage.db import session_scope
from tests.meeting.attendance_builders import CHANNEL, LONDON
from tests.meeting.quarter_builders import NOW, Q4, inspectorate_quarter

MISSING = [tool for tool in ("soffice", "pdftotext", "pdftoppm") if shutil.which(tool) is None]
pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"{', '.join(MISSING)} not installed (Debian: apt-get install libreoffice-calc-nogui "
    "poppler-utils)",
)


def run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def printed(engine: Engine, folder: Path) -> Path:
    """The quarter's workbook rendered to PDF by LibreOffice."""
    with session_scope(engine) as session:
        inspectorate_quarter(session)
        report = load_report(
            session=session, period=Q4, channel=CHANNEL, calendar="england-and-wales",
            zone=LONDON, now=NOW, marking="OFFICIAL-SENSITIVE",
        )  # fmt: skip
    source = folder / "quarter.xlsx"
    source.write_bytes(render_workbook(report))
    run(
        "soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless",
        "--convert-to", "pdf", "--outdir", str(folder), str(source),
    )  # fmt: skip
    return folder / "quarter.pdf"


def test_every_printed_page_carries_the_marking_and_its_number(
    engine: Engine, tmp_path: Path
) -> None:
    pdf = printed(engine, tmp_path)
    run("pdftotext", "-layout", str(pdf), str(tmp_path / "quarter.txt"))
    pages = (tmp_path / "quarter.txt").read_text().split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 5  # a sheet or more each
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, page  # header and footer
        assert f"Page {number} of {len(pages)}" in page
        assert "Generated 04/01/2027 12:00 GMT" in page
        assert "2026-W" not in page
    text = " ".join(" ".join(pages).split())
    assert "Daily Briefing Meeting attendance, October to December 2026 (2026-Q4)" in text
    assert "the rate is attended out of expected." in text  # the note is printed whole
    assert "Never attended in the period" in text and "Apologies only" in text
    run("pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page"))
    (png,) = tmp_path.glob("page*.png")
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 5000
    assert re.search(r"Page 1 of \d+", pages[0])
