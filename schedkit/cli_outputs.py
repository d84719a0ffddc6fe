"""The command line's output files: each flag's target checked before a run, the Gantt charts'
paths and drawer, `solve --json` kept on disk as it runs, and the format `convert` writes."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from schedkit import family as families
from schedkit.common.outputs import check_output, replace_text
from schedkit.errors import PLOT_EXTRA, SchedkitError

INDENT_BELOW_BYTES = 1 << 20  # `solve --json` is indented below this; above, compact (a serving log
# of 20,000 programs: 354 MB and 15 s indented, 216 MB and 5 s compact)
JSON_EVERY_SECONDS = 1.0  # `solve --json`: rewrite the file at most this often (and at the end)
GANTT_FORMATS = ("png", "svg", "pdf", "jpg", "jpeg", "tif", "tiff", "webp", "eps", "ps", "svgz")
GENERIC_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def write_json_atomically(path: Path, results: list[Any]) -> None:
    """The results so far as one JSON list, written whole (outputs.replace_text), so the file is
    complete after every instance even when the run is killed."""
    records = [r.to_dict() for r in results]
    text = json.dumps(records, separators=(",", ":"))
    if len(text) < INDENT_BELOW_BYTES:  # small enough to read: one value a line
        text = json.dumps(records, indent=1)
    replace_text(path, text + "\n")


def gantt_writer(instances: list[Any]) -> Callable[[Any, Any, Path], None]:
    """The Gantt drawer shared by `instances`' families; SchedkitError when there is none."""
    drawers = {x.family: families.get(x.family).gantt for x in instances}
    missing = sorted(name for name, drawer in drawers.items() if drawer is None)
    if missing:
        raise SchedkitError(f"--gantt: no Gantt chart for family {', '.join(missing)}")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise SchedkitError(f"--gantt needs matplotlib: {PLOT_EXTRA}") from None

    def draw(instance: Any, solution: Any, path: Path) -> None:
        drawer = drawers[instance.family]
        assert drawer is not None
        drawer(instance, solution, path)

    return draw


def check_output_flag(flag: str, target: str | None, inputs: Sequence[Path] = ()) -> None:
    """SchedkitError naming `flag` when `target` is a folder, or its folder does not exist or is
    not writable, or a --gantt chart's extension is no image format matplotlib writes: found
    before solving."""
    if target is None:
        return
    check_output(target, flag, inputs)
    suffix = Path(target).suffix.lower().lstrip(".")
    if flag == "--gantt" and suffix and suffix not in GANTT_FORMATS:
        raise SchedkitError(f"{flag} {target}: cannot draw a chart as {suffix!r}; use one of "
                            f"{', '.join(GANTT_FORMATS)}")


def gantt_paths(target: str, names: Sequence[str]) -> list[Path]:
    """`out.png` for one instance (`out` too); `out-<instance>.png` each when there are several, numbered
    `out-<instance>-2.png`, ... in file order when names repeat (the same file name in two
    folders), so that no chart of a run overwrites another."""
    path = Path(target)
    if len(names) == 1:
        return [path if path.suffix else path.with_name(path.name + ".png")]  # what matplotlib writes
    taken: set[str] = set()
    paths = []
    for name in names:
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
        stem, count = f"{path.stem}-{safe}", 1
        while stem.lower() in taken:  # lower: a case-insensitive file system sees A and a alike
            count += 1
            stem = f"{path.stem}-{safe}-{count}"
        taken.add(stem.lower())
        paths.append(path.with_name(f"{stem}{path.suffix or '.png'}"))
    return paths


def _family_formats(kinds: list[str]) -> tuple[list[str], list[str]]:
    """(format names, output extensions) that can hold instances of every family in `kinds`."""
    names, suffixes = {"json", "jsonl"}, {".json", ".jsonl"}
    if len(kinds) == 1:
        family = families.get(kinds[0])
        names |= set(family.writers)
        suffixes |= {ext for ext, fmt in family.extensions.items() if fmt in family.writers}
    return sorted(names), sorted(suffixes)


def check_target_format(source: str, target: str, to_format: str | None, kinds: list[str]) -> None:
    """SchedkitError, naming --to or the target, when the output format is unknown or belongs
    to another family than the instances of `source`."""
    owners = {fmt: name for name, f in families.all_families().items() for fmt in f.writers}
    names, suffixes = _family_formats(kinds)
    what = f"{source} holds {'/'.join(kinds)} instances"
    if to_format is not None:
        name = to_format.partition(":")[0]
        if name not in owners and name not in GENERIC_FORMATS.values():
            raise SchedkitError(f"--to: expected one of {', '.join(sorted([*owners, 'json', 'jsonl']))}, "
                                f"found {to_format!r}")
    else:
        path = Path(target)
        found = {**GENERIC_FORMATS, **families.extensions()}.get(path.suffix.lower())
        if found is None:
            sniffed = (f.sniff(path, "") for f in families.all_families().values() if f.sniff)
            found = next((x for x in sniffed if x is not None), None)
        if found is None:
            raise SchedkitError(
                f"{target}: cannot tell the output format from {path.suffix or 'the name'!r}; "
                f"{what}: use an extension ({', '.join(suffixes)}) or --to "
                f"({', '.join(names)})")
        name = found
    owner = owners.get(name)
    if owner is not None and kinds != [owner]:
        raise SchedkitError(f"{target}: the {name} format holds {owner} instances, but {what}; "
                            f"write one of: {', '.join(names)}")
