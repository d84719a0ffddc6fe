"""What `schedkit solve` prints under its result rows: each family's measures."""

from __future__ import annotations

import pytest

from schedkit.cli_tables import print_metrics
from schedkit.result import Result


def test_a_gap_rounded_to_minus_zero_prints_as_zero(capsys: pytest.CaptureFixture[str]) -> None:
    """A plan tracking a hair more than the proven bound leaves (float error) rounds its hours gap
    to -0.0: the table says 0, not -0 (seen on gs_sat20 with cpsat)."""
    requested, bound = 9.98, 756.0
    most = requested - bound / 3600
    result = Result("optimal", bound, bound, family="groundstation", method="cpsat", instance="gs",
                    stats={"tracked_hours": most + 1e-12, "requested_hours": requested})
    print_metrics([result])
    row = capsys.readouterr().out.splitlines()[-1].split()
    gap = row[2 + 3]  # instance, method, tracked h, requested h, at most h, hours gap %
    assert gap == "0", row
