"""Bad input through `schedkit solve` for every dag, pods and vmr format: targeted damage (every
leaf of a JSON sample or number of a text one replaced by a boolean, NaN, a negative, a huge
number, a string, null or nothing; truncations; unknown ids), each case run through the CLI
in-process. A case passes when it exits 0, or 2 with one line naming the file and no traceback.

    python benchmarks/dag_pods_vmr_cli_probe.py --out probe.md
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from click.testing import CliRunner  # noqa: E402

from schedkit.bench.machine import describe  # noqa: E402
from schedkit.cli import main as cli  # noqa: E402
from tests.fuzz.samples import Sample, samples  # noqa: E402

FAMILIES = ("dag", "pods", "vmr")
HEURISTIC = {"dag": "heft", "pods": "kube-default", "vmr": "greedy"}
JSON_VALUES: tuple[Any, ...] = (True, float("nan"), -1, 1e308, 10**40, "zz", None, "DELETE", [], 0.5)
TEXT_VALUES = ("NaN", "-1", "1e999", "true", "9" * 40, "", "0.5", "zz")
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield path + (key,)
            yield from _leaves(inner, path + (key,))
    elif isinstance(value, list):
        for k, inner in enumerate(value[:3]):
            yield from _leaves(inner, path + (k,))
    else:
        yield path


def _replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(document))
    holder = copy
    for step in path[:-1]:
        holder = holder[step]
    if value == "DELETE":
        del holder[path[-1]]
    else:
        holder[path[-1]] = value
    return copy


def json_cases(text: str, lines: bool, rng: random.Random, per_format: int) -> Iterator[tuple[str, str]]:
    """(label, damaged text) for a JSON or JSON-lines sample (the first line damaged)."""
    rows = text.splitlines() if lines else [text]
    document = json.loads(rows[0])
    paths = [p for p in _leaves(document) if p]
    picks = [(p, v) for p in paths for v in JSON_VALUES]
    rng.shuffle(picks)
    for path, value in picks[:per_format]:
        damaged = json.dumps(_replaced(document, path, value))
        yield f"{'/'.join(map(str, path))} = {value!r}", "\n".join([damaged, *rows[1:]])
    for cut in (1, 7, len(text) // 3, len(text) // 2, len(text) - 2):
        yield f"truncated at {cut}", text[:cut]


def text_cases(text: str, rng: random.Random, per_format: int) -> Iterator[tuple[str, str]]:
    """(label, damaged text) for a text sample: numbers replaced, lines dropped, truncations."""
    spots = [(m.start(), m.end()) for m in NUMBER.finditer(text)]
    picks = [(s, v) for s in spots for v in TEXT_VALUES]
    rng.shuffle(picks)
    for (start, end), value in picks[:per_format]:
        yield f"{text[start:end]!r}@{start} -> {value!r}", text[:start] + value + text[end:]
    lines = text.splitlines(keepends=True)
    for k in sorted(rng.sample(range(len(lines)), min(5, len(lines)))):
        yield f"line {k + 1} dropped", "".join(lines[:k] + lines[k + 1:])
    for cut in (1, 7, len(text) // 3, len(text) // 2, len(text) - 2):
        yield f"truncated at {cut}", text[:cut]


def cases(sample: Sample, rng: random.Random, per_format: int) -> Iterator[tuple[str, str, str]]:
    """(file within the sample, label, damaged text)."""
    folder = sample.path.is_dir()
    files = sorted(p for p in sample.path.rglob("*") if p.is_file()) if folder else [sample.path]
    for file in files:
        text = file.read_text()
        relative = file.name
        if sample.format in ("json", "jsonl"):
            made = json_cases(text, sample.format == "jsonl", rng, per_format // len(files))
        else:
            made = text_cases(text, rng, per_format // len(files))
        for label, damaged in made:
            yield relative, label, damaged


def run(sample: Sample, relative: str, damaged: str, folder: Path) -> tuple[str, str]:
    """(verdict, output) of `schedkit solve` on the damaged copy."""
    if folder.exists():
        shutil.rmtree(folder)
    if sample.path.is_dir():
        shutil.copytree(sample.path, folder)
        target = folder
    else:
        folder.mkdir(parents=True)
        target = folder / sample.path.name
    (folder / relative).write_text(damaged)
    arguments = ["solve", str(target), "-m", HEURISTIC[sample.family]]
    if sample.format not in ("json", "jsonl"):
        arguments += ["--format", sample.format]
    done = CliRunner().invoke(cli, arguments)
    output = done.output.strip()
    if done.exit_code == 0:
        return "loaded", output
    shown = [line for line in output.splitlines() if line.strip()]
    if done.exit_code != 2 or "Traceback" in output or len(shown) != 1 or target.name not in shown[0]:
        return f"BAD (exit {done.exit_code})", output or repr(done.exception)
    return "rejected", output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-format", type=int, default=120, help="replacements per format")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="append a Markdown section here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="schedkit-cli-probe-"))
    rng = random.Random(args.seed)
    table, bad = [], []
    started = time.perf_counter()
    for sample in samples(work / "samples"):
        if sample.family not in FAMILIES:
            continue
        counts: Counter[str] = Counter()
        for relative, label, damaged in cases(sample, rng, args.per_format):
            verdict, output = run(sample, relative, damaged, work / "case")
            counts[verdict.split(" ")[0]] += 1
            if verdict.startswith("BAD"):
                bad.append((sample.key, relative, label, verdict, output.replace("\n", " ⏎ ")[:300]))
        table.append((sample.key, counts))
        print(sample.key, dict(counts), flush=True)
    lines = ["## CLI bad-input probe", "", f"- machine: {describe()}",
             f"- command: `python benchmarks/dag_pods_vmr_cli_probe.py {' '.join(sys.argv[1:])}`",
             f"- wall: {time.perf_counter() - started:.0f} s", "",
             "| format | loaded | rejected (one line, file named, exit 2) | bad |", "|---|---:|---:|---:|"]
    lines += [f"| {key} | {c['loaded']} | {c['rejected']} | {c['BAD']} |" for key, c in table]
    lines += ["", "Bad cases:" if bad else "No bad case.", ""]
    lines += [f"- {key} {file} `{label}`: {verdict}: `{output}`" for key, file, label, verdict, output in bad]
    for key, relative, label, verdict, output in bad:
        print("BAD", key, relative, label, verdict, output)
    if args.out is not None:
        with args.out.open("a") as handle:
            handle.write("\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
