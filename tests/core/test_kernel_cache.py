"""Numba's kernel cache must not hand back code built from old sources (schedkit.common.kernel_cache)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from schedkit.common import kernel_cache, rng

SCHEDKIT = Path(kernel_cache.__file__).resolve().parents[1]

# A scratch package whose kernel `twice_plus_one` calls a kernel of another module that reads a
# constant of a third module: the case numba's own cache misses (it checks only the caller's file).
FILES = {
    "__init__.py": "",
    "scale.py": "SCALE = 2\n",
    "callee.py": (
        "from scratchpkg.scale import SCALE\n"
        "from schedkit.common.kernel_cache import njit\n\n\n"
        "@njit(cache=True)\ndef scaled(x):\n    return x * SCALE\n"
    ),
    "caller.py": (
        "from scratchpkg.callee import scaled\n"
        "from schedkit.common.kernel_cache import njit\n\n\n"
        "@njit(cache=True)\ndef twice_plus_one(x):\n    return scaled(x) + 1\n"
    ),
}
BOOT = (
    "import sys\nfrom pathlib import Path\n"
    "from schedkit.common import kernel_cache\n"
    "kernel_cache.ROOTS.append(Path(sys.argv[1]) / 'scratchpkg')\n"
    "from scratchpkg.caller import twice_plus_one\n"
    "print(twice_plus_one(10), sum(twice_plus_one.stats.cache_hits.values()))\n"
)


def _run(folder: Path) -> tuple[int, int]:
    """(the kernel's answer, cache hits) in a fresh process with the scratch cache folder."""
    env = {"NUMBA_CACHE_DIR": str(folder / "cache"), "PYTHONPATH": f"{folder}:{SCHEDKIT.parent}"}
    done = subprocess.run(
        [sys.executable, "-c", BOOT, str(folder)], env=env, capture_output=True, text=True, check=True
    )
    answer, hits = done.stdout.split()
    return int(answer), int(hits)


def test_a_change_in_an_imported_module_recompiles_the_caller(tmp_path):
    package = tmp_path / "scratchpkg"
    package.mkdir()
    for name, text in FILES.items():
        (package / name).write_text(text)
    assert _run(tmp_path) == (21, 0)
    assert _run(tmp_path) == (21, 1)  # the cache serves the second process
    (package / "scale.py").write_text("SCALE = 3\n")  # caller.py and callee.py are unchanged
    assert _run(tmp_path) == (31, 0)  # numba's own stamp would have served 21 from the cache
    assert _run(tmp_path) == (31, 1)


def test_closure_follows_named_modules_only():
    closure_of_rng = {SCHEDKIT / "common" / name for name in ("rng.py", "numbers.py", "kernel_cache.py")}
    stamp = kernel_cache.closure_stamp(str(SCHEDKIT / "common" / "rng.py"))
    assert len(stamp) == 32
    found = {Path(SCHEDKIT / "common" / "rng.py")}
    todo = list(found)
    while todo:
        for file in kernel_cache._named_files(SCHEDKIT, todo.pop()) - found:
            found.add(file)
            todo.append(file)
    assert closure_of_rng <= found
    assert SCHEDKIT / "api.py" not in found  # the package's __init__ imports are not a kernel's


def test_schedkit_kernels_use_the_closure_stamp():
    assert kernel_cache.SUPPORTED  # a numba whose cache internals moved: update kernel_cache
    assert isinstance(rng.next_random._cache._impl.locator, kernel_cache.OURS)


def test_every_kernel_is_made_with_the_stamped_njit():
    direct = re.compile(r"numba\.(njit|jit)\b|from numba import .*\bn?jit\b")
    offenders = [
        str(path.relative_to(SCHEDKIT))
        for path in SCHEDKIT.rglob("*.py")
        if path.name != "kernel_cache.py" and direct.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "make kernels with `from schedkit.common.kernel_cache import njit`"
