"""Write the generated VMR benchmark clusters to instances/vmr/ (issue 9).

300 machines each, CPU utilisation 85 %, 90 % and 95 % (seed 1) and a second 95 % cluster
(seed 2), each with K = 10, 25 and 50; and, where greedy runs out of improving migrations
early, 40-machine clusters at 90 % and 95 % (seeds 1, 2) with K = 10 and 25; and six more
300-machine clusters at 95 % with K = 50 (seeds 3-8), the corner of the grid where greedy is not
already optimal: `python benchmarks/vmr_instances.py`.
"""

from __future__ import annotations

from pathlib import Path

import schedkit

OUT = Path(__file__).resolve().parent.parent / "instances" / "vmr"
CLUSTERS = ((0.85, 1), (0.90, 1), (0.95, 1), (0.95, 2))
LIMITS = (10, 25, 50)
SMALL = ((0.90, 1), (0.90, 2), (0.95, 1), (0.95, 2))
SMALL_LIMITS = (10, 25)
HARD_SEEDS = range(3, 9)  # 300 machines, 95 %, K = 50


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for utilisation, seed in CLUSTERS:
        for limit in LIMITS:
            instance = schedkit.generate.vmr(300, utilisation, seed, limit)
            path = schedkit.dump(instance, OUT / f"{instance.name}.json")
            print(path.name, instance.num_vms, "VMs, initial FR",
                  round(instance.fragment_rate(instance.initial_objective), 4))
    for seed in HARD_SEEDS:
        instance = schedkit.generate.vmr(300, 0.95, seed, 50)
        path = schedkit.dump(instance, OUT / f"{instance.name}.json")
        print(path.name, instance.num_vms, "VMs, initial FR",
              round(instance.fragment_rate(instance.initial_objective), 4))
    for utilisation, seed in SMALL:
        for limit in SMALL_LIMITS:
            instance = schedkit.generate.vmr(40, utilisation, seed, limit)
            path = schedkit.dump(instance, OUT / f"{instance.name}.json")
            print(path.name, instance.num_vms, "VMs, initial FR",
                  round(instance.fragment_rate(instance.initial_objective), 4))


if __name__ == "__main__":
    main()
