"""`benchmarks/time_limits.py --background N`: the busy loops it starts end with the runs, on an
error (or Ctrl-C) too, so that a failed benchmark leaves no load behind."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def time_limits() -> ModuleType:
    """benchmarks/time_limits.py as a module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("time_limits", ROOT / "benchmarks" / "time_limits.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_busy_loops_end_with_the_block_even_on_an_error():
    """Two busy loops run inside the block and are gone after the error leaves it."""
    started: list[subprocess.Popen[bytes]] = []
    with pytest.raises(RuntimeError, match="a run failed"), time_limits().background_load(2) as burners:
        started = list(burners)
        assert len(started) == 2 and all(burner.poll() is None for burner in started)
        raise RuntimeError("a run failed")
    assert all(burner.poll() is not None for burner in started)


def test_no_background_starts_nothing():
    """The default (0) starts no process."""
    with time_limits().background_load(0) as burners:
        assert burners == []
