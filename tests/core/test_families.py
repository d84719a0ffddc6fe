"""The family records: discovery, lookups through them, and the errors for unknown names."""

from __future__ import annotations

from pathlib import Path

import pytest

import schedkit
from schedkit import family as families
from schedkit import registry
from schedkit.errors import SchedkitError


def test_every_family_package_is_found_with_its_methods():
    """Each family subpackage yields one record whose methods are registered."""
    known = families.all_families()
    assert {"smtt", "jobshop", "rcpsp", "dag", "pods", "vmr"} <= set(known)
    for name, family in known.items():
        assert family.name == name
        assert {row.family for row in schedkit.methods(name)} == {name}


def test_every_module_that_registers_a_method_is_imported():
    """A module with `@register` anywhere in a family package is found by discovery: its
    methods appear in the registry (no hand-kept list of module strings can forget one)."""
    root = Path(schedkit.__file__).parent
    schedkit.methods()
    registered = {m.function.__module__ for m in registry._METHODS.values()}
    for name in families.all_families():
        for path in (root / name).rglob("*.py"):
            if "@register(" in path.read_text():
                module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
                assert module in families.method_modules(name), module
                assert module in registered, f"{module} registers no method"


def test_unknown_family_is_named_with_the_known_ones():
    """families.get on a misspelt family lists the real ones."""
    with pytest.raises(SchedkitError, match="known: .*smtt"):
        families.get("smt")


def test_generate_exposes_family_generators_and_refuses_others():
    """schedkit.generate.<name> comes from the family records; an unknown name says what exists."""
    instance = schedkit.generate.smtt(5, 0.5, 0.5, seed=3)
    assert instance.family == "smtt" and instance.n == 5
    with pytest.raises(AttributeError, match="known: .*smtt"):
        schedkit.generate.nothing  # noqa: B018


def test_format_names_are_unique_across_families():
    """Two families may not both claim a format name or a file extension."""
    names = [fmt for f in families.all_families().values() for fmt in f.readers]
    assert len(names) == len(set(names))
    suffixes = [ext for f in families.all_families().values() for ext in f.extensions]
    assert len(suffixes) == len(set(suffixes))
