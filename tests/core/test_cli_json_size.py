"""`solve --json` indents a small file for people and writes a large one compact (a serving log
of 20,000 programs took 15 s and 354 MB indented): either way the same JSON."""

from __future__ import annotations

import json
from pathlib import Path

import schedkit
from schedkit import SMTTInstance
from schedkit.cli_outputs import INDENT_BELOW_BYTES, write_json_atomically


def test_small_is_indented_large_is_compact(tmp_path: Path) -> None:
    small = [schedkit.solve(SMTTInstance(p=[3, 1, 2], d=[1, 2, 3]), "edd")]
    n = INDENT_BELOW_BYTES // 4  # a sequence of n jobs holds more than INDENT_BELOW_BYTES of digits
    large = [schedkit.solve(SMTTInstance(p=[1] * n, d=[n] * n), "edd")]
    for results, indented in ((small, True), (large, False)):
        path = tmp_path / "out.json"
        write_json_atomically(path, results)
        text = path.read_text()
        assert ("\n " in text) is indented
        assert json.loads(text) == [r.to_dict() for r in results]
