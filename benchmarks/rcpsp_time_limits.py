"""Caller-side wall time of every RCPSP method at time_limit 1 and 3 s (issue 16), warm process
(imports and numba caches loaded first, as after `schedkit warmup`): a generated 120-activity
project, the same with one duration of 10^7, and an RCPSP/max project. A run is `ok` within
max(+10 %, +0.5 s). Prints Markdown rows; run from the repository root:
`python benchmarks/rcpsp_time_limits.py`."""

import time

import schedkit

x = schedkit.load("instances/rcpsp/large/gen120_1.sm")
d = x.durations.copy()
d[5] = 10**7
long = x.replace(durations=d, name="gen120_1_long")
lag = schedkit.load("instances/rcpsp/max/sm_j30/PSP4.SCH")
methods = ["sgs-serial", "sgs-parallel", "sampling", "fbi", "ga", "mip", "cpsat", "cpsat-lns", "auto"]
for m in methods + ["sgs-lags"]:  # warm-up: imports and numba caches, as after `schedkit warmup`
    schedkit.solve(schedkit.load("instances/rcpsp/j30/j301_1.sm"), m, time_limit=1, workers=2)
rows = []
for inst, ms in ((x, methods), (long, methods), (lag, ["cpsat", "sgs-lags", "auto"])):
    for m in ms:
        for limit in (1, 3):
            t = time.perf_counter()
            try:
                r = schedkit.solve(inst, m, time_limit=limit, workers=2)
                what = f"{r.status} {r.objective}"
            except schedkit.SchedkitError as e:
                what = f"{type(e).__name__}"
            wall = time.perf_counter() - t
            ok = wall <= limit + max(0.1 * limit, 0.5)
            verdict = "ok" if ok else "OVER"
            print(f"| {inst.name} | {m} | {limit} | {wall:.2f} | {verdict} | {what} |", flush=True)
