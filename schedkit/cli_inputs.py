"""The command line's inputs besides instance files: `-o KEY=VALUE` method options, the
`--server` of serving traces, and the results of a solution file matched to instances."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schedkit import family as families
from schedkit.common.jsonparse import parse_json
from schedkit.common.textfile import read_text
from schedkit.errors import ParseError, SchedkitError


def parse_options(items: tuple[str, ...]) -> dict[str, Any]:
    """`-o KEY=VALUE` items as a dict; a key given twice is refused (no silent last-wins)."""
    options: dict[str, Any] = {}
    for item in items:
        key, value = _parse_option(item)
        if key in options:
            raise SchedkitError(f"option {key!r} is given twice (-o {key}=...); give it once")
        options[key] = value
    return options


OWN_FLAGS = {"time_limit": "--time-limit", "seed": "--seed", "workers": "--workers",
             "method": "--method", "instance": "FILES"}  # solve's own arguments, not -o options


def _parse_option(item: str) -> tuple[str, Any]:
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise SchedkitError(f"option {item!r} is not KEY=VALUE")
    if key in OWN_FLAGS:
        raise SchedkitError(f"-o {item}: {key} is no method option; give it as {OWN_FLAGS[key]}")
    try:
        return key, parse_json(value, f"--option {key}")
    except ParseError:
        return key, value


def read_server(server_file: str) -> Any:
    """`--server`: the server read from `server_file`; SchedkitError naming the file otherwise."""
    record = parse_json(read_text(server_file), server_file)
    try:
        server = families.get("serving").from_record(record, Path(server_file).stem)
    except ParseError:
        raise
    except SchedkitError as error:
        raise SchedkitError(f"{server_file}: {error}") from None
    if not hasattr(server, "reading"):
        raise SchedkitError(f"{server_file}: not a server file: it holds a {type(server).__name__} "
                            "(a server is a JSON object with kv_capacity, token_budget, ...)")
    return server


def on_server(instances: list[Any], server: Any) -> list[Any]:
    """`--server`: serving instances moved onto `server` (read with `server.reading()`, so
    already validated against it); other families refused."""
    others = sorted({x.family for x in instances if not hasattr(x, "with_server")})
    if others:
        raise SchedkitError(f"--server applies to serving traces only, not {', '.join(others)}")
    return [x.with_server(server) for x in instances]


def read_solution_json(solution: str) -> Any:
    """The parsed JSON of a solution file; SchedkitError naming the file when it is not JSON."""
    return parse_json(read_text(solution), solution)


def match_results(file: str, solution: str, instances: list[Any], data: Any
                   ) -> list[tuple[Any, Any]]:
    """(instance, result) pairs: a list of results matched to instances by name, or one
    solution for a one-instance FILE."""
    if isinstance(data, list) and len(data) == 1 and len(instances) == 1:
        return [(instances[0], data[0])]
    if isinstance(data, list):
        by_name = {x.name: x for x in instances}
        pairs = [(by_name[d["instance"]], d) for d in data
                 if isinstance(d, dict) and d.get("instance") in by_name]
        if not pairs:
            names = ", ".join(x.name for x in instances[:3]) + (", ..." if len(instances) > 3 else "")
            raise SchedkitError(f"{solution}: none of its {len(data)} results names an instance "
                                f"of {file} ({names})")
        return pairs
    if len(instances) != 1:
        raise SchedkitError(f"{file} holds {len(instances)} instances and {solution} one solution: "
                            f"name the instance as {file}#k (k = 1..{len(instances)} or its id)")
    return [(instances[0], data)]
