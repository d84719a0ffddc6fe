"""Every fenced bash / python example of README.md and docs/**/*.md runs on a fresh clone.

Each page runs in its own temporary folder where `instances/` and `benchmarks/` point at the
repository's, so its examples see exactly what a fresh clone has. A page's blocks run in page
order and share that folder (a later block may read what an earlier one wrote); its python
blocks share one namespace. A `schedkit ...` line of a bash block runs in this process through
click's test runner (one warm interpreter instead of one start-up per line); any other line,
and a whole block holding a here-document, runs in bash with `schedkit` on PATH.

A block preceded by the line `<!-- no-run -->` is shown, not run (set-up commands, examples
that need a cluster). A block of another language titled `title="NAME"` (e.g. a `text` block
with `title="tiny.fjs"`) is an example input file: it is written as NAME into the folder, so the
examples after it can read it. Pages added later are picked up by the glob.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from schedkit.cli import main

ROOT = Path(__file__).resolve().parents[2]
NO_RUN = "<!-- no-run -->"
FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
TITLE = re.compile(r'title="([^"]+)"')
ALIASES = {"sh": "bash", "shell": "bash", "console": "bash", "py": "python"}
SHELL_SYNTAX = set("|&;<>()$`*?")
LINE_SECONDS = 120  # a stuck shell line fails its page instead of hanging the suite


def pages() -> list[Path]:
    """README.md and every Markdown page of docs/ (the linked benchmark reports excluded)."""
    docs = ROOT / "docs"
    found = [ROOT / "README.md"]
    for path in sorted(docs.rglob("*.md")):
        if (docs / "reports") not in path.parents:
            found.append(path)
    return found


def examples(text: str) -> list[tuple[str, str]]:
    """The page's runnable blocks in page order: ("bash" | "python", code), and ("file:NAME",
    content) for a block of another language titled `title="NAME"` (an example input file,
    written into the folder before the blocks after it run)."""
    blocks = []
    for match in FENCE.finditer(text):
        language = ALIASES.get(match[1], match[1])
        before = text[:match.start()].rstrip().splitlines()
        if before and before[-1].strip() == NO_RUN:
            continue
        title = TITLE.search(match[2])
        if language in ("bash", "python"):
            blocks.append((language, match[3]))
        elif title:
            blocks.append((f"file:{title[1]}", match[3]))
    return blocks


def strip_comment(line: str) -> str:
    """The line without its shell comment (a `#` starting a word, outside quotes)."""
    quote = ""
    for i, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def shell_lines(code: str) -> list[str]:
    """Logical lines of a bash block (backslash continuations joined), comments dropped."""
    lines, pending = [], ""
    for raw in code.splitlines():
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1] + " "
            continue
        line = strip_comment(pending + raw)
        pending = ""
        if line.strip():
            lines.append(line.strip())
    return lines


def _sandbox(tmp: Path) -> dict[str, str]:
    """A folder like a fresh clone's root, with `schedkit` on PATH running this checkout."""
    for name in ("instances", "benchmarks"):
        (tmp / name).symlink_to(ROOT / name)
    bin_dir = tmp / ".bin"
    bin_dir.mkdir()
    shim = bin_dir / "schedkit"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m schedkit "$@"\n')
    shim.chmod(0o755)
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["MPLBACKEND"] = "Agg"
    return env


def _run_line(line: str, cwd: Path, env: dict[str, str], where: str) -> None:
    if line.startswith("schedkit ") and not SHELL_SYNTAX & set(line):
        result = CliRunner().invoke(main, shlex.split(line)[1:], catch_exceptions=True)
        if result.exit_code != 0:
            pytest.fail(f"{where}: `{line}` exited {result.exit_code}\n{result.output[-3000:]}"
                        f"{result.exception!r}")
        return
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", line], text=True, cwd=cwd, env=env,
                          capture_output=True, timeout=LINE_SECONDS)
    if done.returncode != 0:
        pytest.fail(f"{where}: `{line}` exited {done.returncode}\n{done.stdout[-2000:]}"
                    f"\n{done.stderr[-2000:]}")


def test_extractor_honours_no_run_marker() -> None:
    text = ("```bash\necho run\n```\n\n<!-- no-run -->\n```bash\nexit 1\n```\n"
            "```python\nprint(1)\n```\n```toml\nx = 1\n```\n```text title=\"a.txt\"\n1 2\n```\n")
    assert examples(text) == [("bash", "echo run\n"), ("python", "print(1)\n"),
                              ("file:a.txt", "1 2\n")]


def test_shell_lines_keep_selectors_and_drop_comments() -> None:
    code = "schedkit solve a.txt#7 -m x   # a comment's quote\n# only a comment\nls \\\n  -l\n"
    assert shell_lines(code) == ["schedkit solve a.txt#7 -m x", "ls    -l"]


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_page_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = examples(page.read_text())
    if not blocks:
        return
    env = _sandbox(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    where = str(page.relative_to(ROOT))
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for language, code in blocks:
        if language.startswith("file:"):
            target = tmp_path / language.removeprefix("file:")
            assert ".." not in target.relative_to(tmp_path).parts, f"{where}: {target}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(code)
        elif language == "bash" and "<<" in code:  # a here-document: the block is one script
            _run_line(code, tmp_path, env, where)
        elif language == "bash":
            for line in shell_lines(code):
                _run_line(line, tmp_path, env, where)
        else:
            exec(compile(code, f"{where} (python example)", "exec"), namespace)
