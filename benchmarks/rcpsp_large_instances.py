"""Write the generated large RCPSP projects of instances/rcpsp/large/ (PSPLIB .sm files).

No public j120 or RG300 files are bundled, so these stand in for them: 120 activities and 4
resources at j120-like network complexity (NC), resource factor (RF) and low resource
strength (RS, the hard end of j120), and 300 activities in the manner of RG300. Run from the
repository root: `python benchmarks/rcpsp_large_instances.py`.
"""

from __future__ import annotations

from pathlib import Path

import schedkit
import schedkit.loading

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "instances" / "rcpsp" / "large"
J120 = [(1.5, 0.5, 0.2), (1.8, 1.0, 0.1), (2.1, 0.75, 0.3), (1.5, 1.0, 0.2), (1.8, 0.5, 0.4),
        (2.1, 1.0, 0.2)]
RG300 = [(1.8, 0.75, 0.2), (2.1, 0.5, 0.3)]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size, grid in ((120, J120), (300, RG300)):
        for seed, (nc, rf, rs) in enumerate(grid, start=1):
            x = schedkit.generate.rcpsp(size, 4, seed=seed, nc=nc, rf=rf, rs=rs)
            name = f"gen{size}_{seed}"
            schedkit.loading.write([x.replace(name=name)], OUT / f"{name}.sm")
            print(name, nc, rf, rs)


if __name__ == "__main__":
    main()
