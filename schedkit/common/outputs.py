"""Output paths: checked before any work is done, written so that a killed run leaves a whole file,
and every problem with them told as one line naming the path."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from schedkit.errors import SchedkitError


class OutputError(SchedkitError):
    """An output path schedkit cannot write: a folder, a missing folder, no permission."""


def check_output(target: str | Path, flag: str = "", inputs: Iterable[str | Path] = ()) -> None:
    """OutputError (naming `flag` and `target`) unless a file can be written at `target`, and
    it is none of the `inputs` (`solve x.json --json x.json` replaced the instance by results)."""
    path = Path(target)
    label = f"{flag} {target}" if flag else str(target)
    for source in inputs:
        if path.exists() and Path(source).exists() and os.path.samefile(path, source):
            raise OutputError(f"{label}: is the input file {str(source)!r}; writing would replace it")
    if path.is_dir():
        raise OutputError(f"{label}: is a directory; name a file to write")
    folder = path.parent
    if not folder.exists():
        raise OutputError(f"{label}: no such folder {str(folder)!r}")
    if not folder.is_dir():
        raise OutputError(f"{label}: {str(folder)!r} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{label}: the folder {str(folder)!r} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"{label}: the file is not writable")


def check_folder(target: str | Path, flag: str = "") -> None:
    """OutputError (naming `flag` and `target`) when `target` exists and is not a writable folder,
    or cannot be created (its nearest existing parent is a file or not writable)."""
    path = Path(target)
    label = f"{flag} {target}" if flag else str(target)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{label}: is a file, not a folder")
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"{label}: {str(existing)!r} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{label}: the folder {str(existing)!r} is not writable")


def replace_text(path: str | Path, text: str) -> None:
    """Write `text` to `path` whole: into a file beside it, renamed over it. A path that is not
    a regular file (a device such as /dev/stdout, a pipe) is written in place, never replaced;
    a symbolic link keeps pointing where it pointed (its target is replaced)."""
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_file():
        try:
            with open(target, "w") as out:
                out.write(text)
        except OSError as error:
            raise OutputError(f"{path}: {error.strerror or error}") from None
        return
    partial = target.with_name(target.name + ".partial")
    try:
        partial.write_text(text)
    except OSError as error:  # a full disk, a quota: say which file it was
        partial.unlink(missing_ok=True)
        raise OutputError(f"{path}: {error.strerror or error}") from None
    os.replace(partial, target)


def describe_os_error(error: OSError) -> str:
    """One line about a failed file operation: the path, then what is wrong with it."""
    name = error.filename
    if name is None:
        return str(error.strerror or error)
    if isinstance(error, FileNotFoundError):
        folder = Path(os.fsdecode(name)).parent
        if str(folder) not in ("", ".") and not folder.exists():
            return f"{os.fsdecode(name)}: no such folder {str(folder)!r}"
        return f"{os.fsdecode(name)}: no such file"
    return f"{os.fsdecode(name)}: {error.strerror or type(error).__name__}"
