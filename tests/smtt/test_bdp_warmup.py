"""bdp's warm-up compiles what its stages call, with the stages' own argument types: a run on
a real instance after it compiles nothing more (one signature per kernel). Before, the stages
got writable copies of p, d, w and the relaxed-path repair was never warmed, so a first run at
4 s after `schedkit warmup` compiled for seconds and ended with no plan."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json, schedkit
from schedkit.smtt.solvers.bdp import repair, ssdp_kernels
x = schedkit.load("instances/smtt/wt40.txt#1")
result = schedkit.solve(x, "bdp", time_limit=None, workers=1)  # the proof at any speed
kernels = (ssdp_kernels.free_path, ssdp_kernels.eliminate, repair.repair, repair.insert_missing)
print(json.dumps([result.status, {k.py_func.__name__: len(k.signatures) for k in kernels}]))
"""


def test_a_first_bdp_run_compiles_no_second_signature():
    """In a fresh process (signatures are per process): the warm-up's one signature serves."""
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    status, signatures = json.loads(out.stdout.strip().splitlines()[-1])
    assert status == "optimal"
    assert set(signatures) == {"free_path", "eliminate", "repair", "insert_missing"}
    assert max(signatures.values()) <= 1  # a callee compiled inside its caller may show none
