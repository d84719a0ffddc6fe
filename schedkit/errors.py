"""Typed errors: each one carries a message a user can act on, and the CLI prints it as one line."""

from __future__ import annotations

from collections.abc import Iterable

# How to get matplotlib, for charts and plots: `pip install 'schedkit[plot]'` would fetch a package
# of that name from the index over a clone's editable install.
PLOT_EXTRA = "pip install matplotlib (the plot extra; in a clone: pip install -e '.[plot]')"


class SchedkitError(Exception):
    """Base of every error schedkit raises on purpose; its message is one line (a numpy array
    named in it, repr'd over several lines, is joined into one)."""

    def __str__(self) -> str:
        return _one_line(super().__str__())


def _one_line(text: str) -> str:
    """`text` with each line break (and the indentation around it) replaced by one space."""
    return " ".join(part.strip() for part in text.splitlines()) if "\n" in text or "\r" in text else text


class InvalidInstance(SchedkitError, ValueError):  # noqa: N818 - public name fixed by the API
    """Instance data breaks a rule of its model (names the field, the index and the rule)."""


class ParseError(SchedkitError, ValueError):
    """A file does not follow its format: says which file, which line, what was expected and found."""

    def __init__(self, file: str, line: int | None, expected: str, found: str) -> None:
        self.file = file
        self.line = line
        self.expected = expected
        self.found = found
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: expected {expected}, found {found}")


class SelectorError(SchedkitError, LookupError):
    """A `file#k` selector names an instance the file does not hold."""


class UnknownMethod(SchedkitError, LookupError):  # noqa: N818 - public name fixed by the API
    """The method name is not registered for the instance's family; lists those that are."""

    def __init__(self, family: str, name: str, known: Iterable[str]) -> None:
        self.family = family
        self.name = name
        self.known = sorted(known)
        super().__init__(
            f"unknown method {name!r} for {family}; known methods: {', '.join(self.known)}"
        )

    def __str__(self) -> str:  # LookupError would repr() the message otherwise
        return _one_line(self.args[0])


class UnknownOption(SchedkitError, TypeError):  # noqa: N818
    """A keyword option that the chosen method does not take, or a value of the wrong kind."""


class InvalidOption(SchedkitError, ValueError):  # noqa: N818
    """An option value the chosen method cannot take: the wrong kind, or out of its range."""


class SolverUnavailable(SchedkitError, RuntimeError):  # noqa: N818 - public name fixed by the API
    """A backend (solver library or binary) cannot be loaded on this machine."""


class ProblemTooLarge(SchedkitError, ValueError):  # noqa: N818
    """The method refuses an instance beyond its size limit instead of exhausting memory."""


class UnsupportedInstance(SchedkitError, ValueError):  # noqa: N818
    """The method cannot solve this kind of instance (says which method can)."""
