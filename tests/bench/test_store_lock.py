"""Two harnesses into one --out: the second is refused before any run (both ran, and stored,
every run neither had: each run twice)."""

from __future__ import annotations

import pytest

from schedkit.bench.command import bench, store_path
from schedkit.bench.store import ResultStore
from schedkit.bench.suite import load_suite
from schedkit.errors import SchedkitError
from tests.conftest import ROOT


def test_a_second_harness_on_the_same_store_is_refused(tmp_path, monkeypatch):
    suite = tmp_path / "s.toml"
    suite.write_text(f'name = "s"\ninstances = ["{ROOT / "instances" / "smtt" / "wt40.txt"}#1"]\n'
                     'time_limit = 1\n[[methods]]\nname = "edd"\n')
    out = tmp_path / "out"
    monkeypatch.setattr("schedkit.bench.command.run_suite", lambda *a, **k: pytest.fail("ran"))
    first = ResultStore(store_path(out, load_suite(suite)))
    with first.writing(), pytest.raises(SchedkitError, match="another bench run"):
        bench(str(suite), out=out, plot=False, quiet=True)
