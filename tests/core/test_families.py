"""The family records: discovery, lookups through them, and the errors for unknown names."""

from __future__ import annotations

import pickle
from pathlib import Path
from types import MappingProxyType

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


def test_every_family_draws_a_chart_and_has_auto():
    """`solve --gantt` and `solve` without -m work for every family (smtt, vmr and serving's
    auto were missing until 2026-12-06)."""
    for name, family in families.all_families().items():
        assert family.gantt is not None, name
        assert "auto" in {row.name for row in schedkit.methods(name)}, name


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


GENERATORS = {"smtt": ((5, 0.5, 0.5), {}), "jobshop": ((3, 3), {}), "dag": ((5, 2), {}),
              "rcpsp": ((5, 2), {}), "pods": ((3, 3, 2, 0.5), {}), "vmr": ((), {"machines": 5}),
              "groundstation": ((2,), {}), "serving": ((3,), {})}


@pytest.mark.parametrize("name", sorted(GENERATORS))
@pytest.mark.parametrize("seed", [-1, True, 1.5, "a", 2**70])
def test_every_generator_refuses_a_seed_that_is_no_whole_number(name, seed):
    """A seed is a whole number from 0 to 2^62: -1 and "a" raised numpy's ValueError or
    TypeError (exit 3 from `generate --seed -1`), True was read as 1 (named `sTrue`)."""
    args, kwargs = GENERATORS[name]
    with pytest.raises(SchedkitError, match="seed"):
        getattr(schedkit.generate, name)(*args, **kwargs, seed=seed)


@pytest.mark.parametrize("name, args, kwargs, says", [
    ("dag", (1_000_000, 4096, 0), {}, "processors"), ("dag", (5, 2, 0), {"ccr": 1e300}, "ccr"),
    ("rcpsp", (5, 2, 0), {"max_duration": 10**12}, "max_duration"),
    ("rcpsp", (5, 2, 0), {"max_demand": 10**12}, "max_demand"),
    ("jobshop", (100_000, 10_000), {}, "operations"), ("serving", (3,), {"server": 5}, "server"),
    ("pods", (10_000, 1000, 1, 0.9), {}, "pods_per_node"), ("vmr", (), {"machines": 10**6}, "machines"),
    ("groundstation", (10_000, 0), {"requests": 1000}, "requests"),
    ("groundstation", (100, 0), {"stations": 100, "hours": 8784}, "passes"),
    ("groundstation", (2000, 0), {"stations": 10, "antennas": 100, "requests": 100}, "alternatives"),
])
def test_generators_check_sizes_before_allocating(name, args, kwargs, says):
    """Sizes within each argument's range whose product is too large (a 30 GiB cost matrix, a
    billion job shop operations built in Python), durations beyond the model's (a 34 TiB
    array) and values no generator takes are refused at once, naming the argument."""
    with pytest.raises(SchedkitError, match=says):
        getattr(schedkit.generate, name)(*args, **kwargs)


ONE_INSTANCE_PER_FAMILY = {
    "smtt": "instances/smtt/wt40.txt#1",
    "jobshop": "instances/jobshop/classic/ft06",
    "rcpsp": "tests/data/rcpsp/PSP1.SCH",
    "dag": "instances/dag/topcuoglu2002_fig2.json",
    "pods": "instances/pods/grid.jsonl#100",
    "vmr": "instances/vmr/sample_m12.json",
    "serving": "instances/serving/swe-8.jsonl",
    "groundstation": "tests/data/groundstation/W10_tiny",
}


def test_every_family_is_covered_by_the_pickle_round_trip():
    assert set(ONE_INSTANCE_PER_FAMILY) == set(families.all_families())


@pytest.mark.parametrize("family", sorted(ONE_INSTANCE_PER_FAMILY))
def test_an_instance_pickles_and_comes_back_the_same(family, tmp_path):
    """Instances go to parallel walks' child interpreters by plain pickle, which refused their
    read-only `meta` (MappingProxyType) until 2026-12-06 (Dask's cloudpickle did not)."""
    root = Path(__file__).resolve().parents[2]
    path, _, selector = ONE_INSTANCE_PER_FAMILY[family].partition("#")
    instance = schedkit.load(root / path if not selector else f"{root / path}#{selector}")
    back = pickle.loads(pickle.dumps(instance))
    assert type(back) is type(instance) and back.family == family
    written = [schedkit.dump(x, tmp_path / f"{k}.json").read_text() for k, x in enumerate((instance, back))]
    assert written[0] == written[1]
    if hasattr(instance, "meta"):
        assert isinstance(back.meta, MappingProxyType) and dict(back.meta) == dict(instance.meta)
