"""The shared Gantt drawer writes a PNG with bars and profiles."""

from __future__ import annotations

from schedkit.common.gantt import Bar, Profile, draw


def test_draw_writes_a_png(tmp_path):
    """Two rows of bars and a resource profile become a non-empty PNG file."""
    bars = [Bar("M1", 0, 3, 0, "J1"), Bar("M2", 3, 5, 1, "J2"), Bar("M1", 3, 4, 1, "J2")]
    target = draw(bars, tmp_path / "g.png", "test", profiles=[Profile("R1", [0, 3, 5], [2, 1, 0], 2)])
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000
