"""The family records: discovery, lookups through them, and the errors for unknown names."""

from __future__ import annotations

import pytest

import schedkit
from schedkit import families
from schedkit.errors import SchedkitError


def test_every_family_module_is_found_with_its_methods():
    """Each module of schedkit.families yields one record whose methods are registered."""
    known = families.all_families()
    assert "smtt" in known
    for name, family in known.items():
        assert family.name == name and family.method_modules
        assert {row.family for row in schedkit.methods(name)} == {name}


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
