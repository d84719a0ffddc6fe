"""Numba's on-disk kernel cache, keyed on everything a kernel can see, not just its own file.

Numba checks a cached kernel against the file that defines it only. After an update (a `git pull`
of an editable install) that changes a kernel it calls, or a constant it reads, in another module,
the cache would hand back machine code built from the old source: wrong answers, silently. So
every schedkit kernel is made with `njit` from here, whose cache stamp hashes the kernel's module
and every schedkit module that module imports, transitively (`closure_stamp`).
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Any

import numba
from numba.core import caching

# Package folders whose kernels get the closure stamp (schedkit's own; a test adds a scratch one).
ROOTS: list[Path] = [Path(__file__).resolve().parents[1]]

_FROM_IMPORT = re.compile(r"^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n]+)", re.MULTILINE)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w.][\w., \t]*)", re.MULTILINE)


def _root_of(py_file: str | Path) -> Path | None:
    path = Path(py_file).resolve()
    return next((root for root in ROOTS if path.is_relative_to(root)), None)


def _module_file(root: Path, dotted: str) -> Path | None:
    """The file that defines module `dotted` of `root`'s package (its `__init__.py` for a package)."""
    parts = dotted.split(".")
    if parts[0] != root.name:
        return None
    path = root.parent.joinpath(*parts)
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


@cache
def _named_files(root: Path, path: Path) -> frozenset[Path]:
    """The files of `root`'s package whose names `path` imports: a kernel there can see what they
    define (type-checking blocks count too: a file too many only costs a recompile)."""
    source = path.read_text(encoding="utf-8")
    files: set[Path | None] = set()
    for module, names in _FROM_IMPORT.findall(source):
        files.add(_module_file(root, module))
        for name in names.strip("()").replace("\n", " ").split(","):
            words = name.split()
            if words:  # `from package import module` names the module
                files.add(_module_file(root, f"{module}.{words[0]}"))
    for modules in _IMPORT.findall(source):
        files.update(_module_file(root, name.split()[0]) for name in modules.split(",") if name.split())
    return frozenset(file for file in files if file is not None)


@cache
def _file_digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


@cache
def closure_stamp(py_file: str) -> bytes:
    """A digest of `py_file` and of every module of its package it imports, transitively."""
    start = Path(py_file).resolve()
    root = _root_of(start)
    seen = {start}
    todo = [start]
    while todo and root is not None:
        for found in _named_files(root, todo.pop()) - seen:
            seen.add(found)
            todo.append(found)
    digest = hashlib.sha256()
    for path in sorted(seen):
        digest.update(path.name.encode() + b"\0" + _file_digest(path))
    return digest.digest()


def _numba_class(name: str) -> Any:
    found = getattr(caching, name, None) or getattr(caching, "_" + name, None)  # numba < 0.62: "_" names
    return found if isinstance(found, type) else None


_NUMBA = {
    name: _numba_class(name)
    for name in ("UserProvidedCacheLocator", "InTreeCacheLocator", "UserWideCacheLocator", "CacheImpl")
}
# numba's cache internals as this module knows them (numba 0.60-0.68). On a numba without them
# the kernels keep numba's own stamp; tests/core/test_kernel_cache.py fails there, so it is seen.
SUPPORTED = all(_NUMBA.values())


class _ClosureStamp:
    """A numba cache locator that serves only files under ROOTS and stamps them by closure."""

    _py_file: str

    @classmethod
    def from_function(cls, py_func: Any, py_file: str) -> Any:
        if _root_of(py_file) is None:
            return None  # numba's own locators take it
        return super().from_function(py_func, py_file)  # type: ignore[misc]

    def get_source_stamp(self) -> bytes:
        return closure_stamp(self._py_file)


class UserDirLocator(_ClosureStamp, _NUMBA["UserProvidedCacheLocator"] or object):  # type: ignore[misc]
    """NUMBA_CACHE_DIR, when set."""


class InTreeLocator(_ClosureStamp, _NUMBA["InTreeCacheLocator"] or object):  # type: ignore[misc]
    """`__pycache__` beside the source."""


class UserWideLocator(_ClosureStamp, _NUMBA["UserWideCacheLocator"] or object):  # type: ignore[misc]
    """The user's cache folder, when `__pycache__` is not writable (a read-only install)."""


OURS = (UserDirLocator, InTreeLocator, UserWideLocator)


def install() -> None:
    """Put the closure-stamped locators ahead of numba's own (once per process)."""
    if not SUPPORTED:
        return
    classes = _NUMBA["CacheImpl"]._locator_classes
    if classes[: len(OURS)] != list(OURS):
        classes[:0] = OURS


install()
njit = numba.njit
