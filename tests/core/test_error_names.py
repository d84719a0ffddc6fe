"""Error messages name the user's own file or instance, never an internal one."""

from __future__ import annotations

import json

from click.testing import CliRunner

from schedkit.cli import EXIT_BAD_INPUT, main
from tests.conftest import ROOT

SWE8 = ROOT / "instances" / "serving" / "swe-8.jsonl"


def test_ttl_opt_names_the_users_trace_not_its_warmup(tmp_path):
    """ttl-opt tunes on a warm-up prefix; a server out of scale is reported for the user's
    trace (swe-8), not for an internal 'swe-8-warmup' instance."""
    server = tmp_path / "huge.json"
    server.write_text(json.dumps({"name": "huge", "kv_capacity": 390000, "token_budget": 8192,
                                  "max_batch": 256, "a": 1e17, "b": 1e10, "c": 1e10, "e": 1e5}))
    result = CliRunner().invoke(main, ["solve", str(SWE8), "--server", str(server), "-m", "ttl-opt"])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "swe-8:" in result.output and "warmup" not in result.output
