"""One small valid sample per input format of every family, found generically.

For each family (schedkit.family.all_families(), so new families are covered when they land)
and each of its readers plus the project's JSON and JSON lines, the sample is a file (or a
directory, for formats read from one) that loads. It is written by the format's writer from
the family's smallest bundled instance; when the writer needs a particular name (OR-Library's
`wt40.txt`), the names of the bundled files of that format are tried, and failing that the
smallest bundled file of that format is used as it is.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import schedkit
from schedkit import family as families
from schedkit.errors import SchedkitError
from schedkit.loading import sniff, write

ROOT = Path(__file__).resolve().parents[2]
PLACES = ("instances", "tests/data")
MAX_SAMPLE_BYTES = 64 << 10


@dataclass(frozen=True)
class Sample:
    """A valid input of `format` for `family`: `path` is a file or a directory."""

    family: str
    format: str
    path: Path
    variant: str = ""

    @property
    def key(self) -> str:
        """`family/format` (`+variant` for a model variant), how reports and test ids name it."""
        return f"{self.family}/{self.format}" + (f"+{self.variant}" if self.variant else "")


def bundled(name: str) -> list[Path]:
    """The family's bundled files and instance directories, smallest first."""
    found: list[Path] = []
    for place in PLACES:
        base = ROOT / place / name
        if base.is_dir():
            found += [p for p in base.rglob("*") if p.is_file() and p.suffix.lower() not in (".md", ".csv")]
            found += [p for p in base.rglob("*") if p.is_dir()]
    return sorted(found, key=_size)


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    return path.stat().st_size


def _format_of(path: Path) -> str | None:
    try:
        return "directory" if path.is_dir() else sniff(path, path.read_text(encoding="utf-8-sig"))
    except (SchedkitError, UnicodeDecodeError):
        return None


def _loads(path: Path, fmt: str | None) -> bool:
    try:
        next(iter(schedkit.load_all(path, format=fmt)))
    except (SchedkitError, StopIteration):
        return False
    return True


def tiny_instances(name: str, count: int = 8) -> list[Any]:
    """The first instance of the family's smallest bundled file of each kind (suffix), then of
    the next smallest files, `count` in all: every writer finds an instance it can hold (a
    family's smallest files may all be of one variant, e.g. RCPSP/max with lags)."""
    candidates = [p for p in bundled(name) if _size(p) <= MAX_SAMPLE_BYTES]
    first_of_kind = {}
    for path in candidates:
        first_of_kind.setdefault(path.suffix.lower(), path)
    ordered = list(first_of_kind.values()) + [p for p in candidates if p not in first_of_kind.values()]
    found = []
    for path in ordered:
        if len(found) >= count:
            break
        try:
            found.append(next(iter(schedkit.load_all(path))))
        except (SchedkitError, StopIteration):
            continue
    return found


def _written(instances: list[Any], fmt: str, names: list[str], folder: Path) -> Path | None:
    """The first of `instances` that `fmt` holds, written under the first of `names` that
    writes and loads back."""
    for instance in instances:
        for name in names:
            found = _write_one(instance, fmt, folder / name)
            if found is not None:
                return found
    return None


def _write_one(instance: Any, fmt: str, target: Path) -> Path | None:
    """`target` after writing `instance` there in `fmt`, if that works and loads back."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        write([instance], target, fmt)
    except SchedkitError:
        return None
    reader_format = None if target.is_dir() else fmt
    if _loads(target, reader_format):
        return target
    return None


def samples(folder: Path) -> list[Sample]:
    """Every family's formats, one sample each, built under `folder`."""
    out: list[Sample] = []
    for name, fam in families.all_families().items():
        instances = tiny_instances(name)
        formats = {p: _format_of(p) for p in bundled(name)}
        own = {f: [p for p, found in formats.items() if found == f] for f in fam.readers}
        suffix = {fmt: ext for ext, fmt in fam.extensions.items()}
        for fmt in ["json", "jsonl", *fam.readers]:
            names = [f"sample{suffix.get(fmt, '.' + fmt if fmt in ('json', 'jsonl') else '')}"]
            names += [p.name for p in own.get(fmt, [])]
            place = folder / name / fmt
            path = _written(instances, fmt, names, place)
            small = [p for p in own.get(fmt, []) if _size(p) <= MAX_SAMPLE_BYTES]
            if path is None and small:
                path = place / small[0].name
                path.parent.mkdir(parents=True, exist_ok=True)
                if small[0].is_dir():
                    shutil.copytree(small[0], path)
                else:
                    shutil.copy(small[0], path)
            if path is not None:
                out.append(Sample(name, fmt, path))
    return out + variant_samples(folder)


# Model variants whose project JSON carries fields the plain samples lack: (family, variant,
# bundled file, load options).
VARIANTS = [
    ("jobshop", "blocking", "instances/jobshop/classic/ft06", {"blocking": True}),
    ("rcpsp", "lags", "instances/rcpsp/max/sm_j10/PSP1.SCH", {}),
]


def variant_samples(folder: Path) -> list[Sample]:
    """The project JSON of each model variant (blocking job shop, RCPSP with time lags)."""
    out = []
    for name, variant, source, options in VARIANTS:
        if not (ROOT / source).exists():
            continue
        instance = next(iter(schedkit.load_all(ROOT / source, **options)))
        path = _write_one(instance, "json", folder / name / f"json+{variant}" / "sample.json")
        if path is not None:
            out.append(Sample(name, "json", path, variant))
    return out
