#!/bin/bash
# Blocking job shop: this tree's cpsat against an older commit's, interleaved per instance (so both
# see the same load), 60 s and 2 workers each, one process at a time. The older commit is unpacked
# into a temporary folder (git archive) and its numba kernels are compiled there before timing.
#   benchmarks/jobshop_blocking_compare.sh BASE_COMMIT OUT_PREFIX INSTANCE...
# writes OUT_PREFIX_new.csv, OUT_PREFIX_base.csv (method renamed cpsat@BASE) and OUT_PREFIX_load.txt
set -euo pipefail
base=$1; prefix=$2; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$root" archive "$base" | tar -x -C "$tmp"
(cd "$tmp" && PYTHONPATH="$tmp" "$python" -c "import schedkit; i = schedkit.load('instances/jobshop/classic/ft06', blocking=True); schedkit.solve(i, 'cpsat', time_limit=30, workers=2)")
for name in "$@"; do
  uptime >> "${prefix}_load.txt"
  PYTHONPATH="$root" "$python" "$root/benchmarks/jobshop_blocking_static.py" run --methods cpsat \
    --time-limit 60 --workers 2 --csv "${prefix}_new.csv" "$name"
  (cd "$tmp" && PYTHONPATH="$tmp" "$python" benchmarks/jobshop_blocking_static.py run --methods cpsat \
    --time-limit 60 --workers 2 --csv "${prefix}_base.raw.csv" "$name")
done
uptime >> "${prefix}_load.txt"
sed "s/,cpsat,/,cpsat@${base:0:7},/" "${prefix}_base.raw.csv" > "${prefix}_base.csv"
rm "${prefix}_base.raw.csv"
