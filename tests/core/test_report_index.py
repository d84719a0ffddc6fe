"""The benchmark-report index (docs/benchmark-reports.md) lists every committed report, and
only reports that exist, so a new report cannot go missing from the documentation site."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INDEX = ROOT / "docs" / "benchmark-reports.md"
REPORTS = ROOT / "benchmarks" / "reports"
LINK = re.compile(r"\]\(reports/([^)#]+\.md)\)")


def _listed() -> set[str]:
    """The report files the index links to."""
    return set(LINK.findall(INDEX.read_text(encoding="utf-8")))


def test_every_report_is_listed() -> None:
    """No committed report is missing from the index."""
    committed = {path.name for path in REPORTS.glob("*.md")}
    assert sorted(committed - _listed()) == []


def test_every_listed_report_exists() -> None:
    """No index entry points at a report that is not committed."""
    assert sorted(name for name in _listed() if not (REPORTS / name).is_file()) == []
