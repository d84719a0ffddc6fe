"""Hostile but plausible Python values given to the public constructors and to `solve` and
`check`: a one-line SchedkitError naming the argument, or the right answer; never a TypeError
from deep inside, a truncated number or a wrong verdict."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

import schedkit
from schedkit.errors import InvalidInstance, SchedkitError
from tests.conftest import ROOT


def _instances() -> dict[str, object]:
    """One small instance per family, built from the public generators."""
    return {
        "smtt": schedkit.SMTTInstance(p=[3, 2, 4], d=[2, 4, 5], w=[1, 2, 3]),
        "jobshop": schedkit.JobShopInstance.from_jobs([[(0, 3), (1, 2)], [(1, 4), (0, 1)]]),
        "rcpsp": schedkit.RCPSPInstance([0, 3, 2, 0], [[1, 2], [3], [3], []], [4],
                                        [[0], [2], [3], [0]]),
        "dag": schedkit.DAGInstance([[2, 3], [4, 1], [3, 3]], [(0, 1), (0, 2)], data=[5, 6]),
        "pods": schedkit.generate.pods(3, 2, 2, 0.8, seed=1),
        "vmr": schedkit.generate.vmr(machines=4, seed=1),
        "groundstation": schedkit.generate.groundstation(2, seed=1),
        "serving": schedkit.generate.serving(3, seed=1),
    }


INSTANCES = _instances()


@pytest.mark.parametrize("family", sorted(INSTANCES))
@pytest.mark.parametrize("meta", [None, [("a", 1)], "text", 5])
def test_meta_that_is_not_a_mapping(family, meta):
    """`meta=None` or a list raised TypeError ('NoneType' object is not iterable) from inside
    every family's constructor. None now means no meta; anything else is refused by name."""
    instance = INSTANCES[family]
    if meta is None:
        assert dict(dataclasses.replace(instance, meta=None).meta) == {}
    else:
        with pytest.raises(InvalidInstance, match="meta must be a mapping"):
            dataclasses.replace(instance, meta=meta)


SOLUTIONS = {
    "smtt": lambda v: schedkit.SMTTSolution([v, 1, 2]),
    "rcpsp": lambda v: schedkit.RCPSPSolution([0, v, 0, 3]),
    "dag": lambda v: schedkit.DAGSolution([0, 1, 0], [v, 7, 2]),
    "jobshop": lambda v: schedkit.JobShopSolution([[v, 3], [0, 4]], [[0, 1], [1, 0]]),
}


@pytest.mark.parametrize("family", sorted(SOLUTIONS))
@pytest.mark.parametrize("value", [0.7, "a", None, True, np.nan, np.bool_(False), [0]])
def test_a_solution_entry_that_is_no_whole_number(family, value):
    """SMTTSolution([0.7, 1, 2]) truncated 0.7 to job 0 and check() called it feasible;
    'a' or None raised ValueError/TypeError from int(). Refused now, naming the entry."""
    with pytest.raises(InvalidInstance, match="is not a whole number"):
        SOLUTIONS[family](value)


@pytest.mark.parametrize("family", sorted(SOLUTIONS))
@pytest.mark.parametrize("value", [np.int64(0), np.uint8(0), 0.0, np.float32(0)])
def test_a_solution_entry_of_integral_value_is_read(family, value):
    """numpy integers and integral floats (a MIP's 3.0) are whole numbers."""
    SOLUTIONS[family](value)


@pytest.mark.parametrize("values", [None, 5, "012", {"a": 1}])
def test_a_solution_that_is_no_list(values):
    """SMTTSolution(None) raised TypeError ('NoneType' object is not iterable)."""
    with pytest.raises(InvalidInstance, match="sequence must be a list"):
        schedkit.SMTTSolution(values)
    with pytest.raises(InvalidInstance, match="start must be a list"):
        schedkit.JobShopSolution(values, [[0, 1], [1, 0]])


@pytest.mark.parametrize("family", sorted(INSTANCES))
@pytest.mark.parametrize("numpy_kind", ["arrays", "scalars"])
def test_check_reads_a_solution_dict_holding_numpy_values(family, numpy_kind):
    """check(instance, {"sequence": list(np.argsort(d))}) said infeasible: 'np.int64(0) is not a
    job index' (and an array: 'must be a list'). The dict of a feasible solution with its lists
    turned into numpy arrays or numpy scalars gets the same verdict as the plain dict."""
    instance = INSTANCES[family]
    result = schedkit.solve(instance, _heuristic(family), time_limit=30, workers=1)
    plain = result.solution.to_dict()

    def numpy(value):
        if isinstance(value, dict):
            return {k: numpy(v) for k, v in value.items()}
        if isinstance(value, list) and value and all(isinstance(x, int) and not isinstance(x, bool)
                                                     for x in value):
            return np.array(value) if numpy_kind == "arrays" else [np.int64(x) for x in value]
        if isinstance(value, list):
            return [numpy(v) for v in value]
        return value

    expected = schedkit.check(instance, plain)
    assert expected.feasible
    assert schedkit.check(instance, numpy(plain)) == expected


def _heuristic(family: str) -> str:
    return {"smtt": "edd", "jobshop": "mwkr", "dag": "heft", "pods": "kube-default", "vmr": "greedy",
            "groundstation": "greedy", "rcpsp": "sgs-serial", "serving": "fcfs"}[family]


@pytest.mark.parametrize("time_limit", [np.float32(5), np.int64(5), Fraction(11, 2), Decimal("5.5"),
                                        np.float64(np.inf), Decimal("Infinity")])
def test_time_limit_of_any_real_kind(time_limit):
    """np.int64(5), np.float32(5), Fraction and Decimal were refused as 'not a positive number of
    seconds' while np.float64 passed; every real number is one now (inf: no limit)."""
    result = schedkit.solve(INSTANCES["smtt"], "edd", time_limit=time_limit)
    assert result.status == "feasible"
    assert result.stats.get("time_limit") == (None if float(time_limit) == np.inf else float(time_limit))


@pytest.mark.parametrize("time_limit", [True, np.bool_(True), np.nan, Decimal("NaN"), Decimal("sNaN"),
                                        Fraction(10**400), 10**400, -np.float32(1), "5", np.array([5.0])])
def test_time_limit_that_is_no_number_of_seconds(time_limit):
    """A boolean, NaN (a signalling Decimal NaN too), text or an array is refused by name;
    10**400 never reaches float()."""
    with pytest.raises(SchedkitError, match="time_limit must be"):
        schedkit.solve(INSTANCES["smtt"], "edd", time_limit=time_limit)


@pytest.mark.parametrize(("method", "options"), [
    ("atc", {"k": np.float32(2)}), ("atc", {"k": np.int64(2)}), ("dynasearch", {"iterations": np.int64(3)}),
    ("dynasearch", {"kick": np.uint8(2)}), ("bdp", {"bound": np.str_("simple")}),
])
def test_an_option_given_as_a_numpy_scalar_is_read(method, options):
    """solve(..., iterations=np.int64(3)) was refused ('is not a whole number within ±2^62') though
    seed and workers take numpy integers; the method gets the Python value."""
    result = schedkit.solve(INSTANCES["smtt"], method, time_limit=30, workers=1, **options)
    assert result.objective is not None


@pytest.mark.parametrize("k", [10**400, -(10**400)])
def test_a_float_option_beyond_floats_range(k):
    """atc k=10**400 raised OverflowError from math.isfinite inside the option check."""
    with pytest.raises(SchedkitError, match="k=.* is not a finite number"):
        schedkit.solve(INSTANCES["smtt"], "atc", k=k)


@pytest.mark.parametrize("value", [0, 0.0, np.float64(0)])
def test_a_float_option_of_zero_reaches_the_method(value):
    """Zero is a finite number: the method itself says what it makes of it (ATC: positive k)."""
    with pytest.raises(SchedkitError, match="ATC look-ahead k must be positive"):
        schedkit.solve(INSTANCES["smtt"], "atc", k=value)


JOBS = [[(0, 3), (1, 2)], [(1, 4), (0, 1)]]


@pytest.mark.parametrize("jobs", [np.array(JOBS), [np.array(job) for job in JOBS],
                                  [[np.array(pair) for pair in job] for job in JOBS],
                                  np.array(JOBS, dtype=np.int8)])
def test_from_jobs_reads_numpy_arrays(jobs):
    """JobShopInstance.from_jobs(np.array(jobs)) said 'an instance needs at least one job (jobs is
    empty)', and a job or a pair given as an array was 'not a list of operations'."""
    assert schedkit.JobShopInstance.from_jobs(jobs) == schedkit.JobShopInstance.from_jobs(JOBS)


@pytest.mark.parametrize("objective", [np.array(["makespan", "flow_time"]), ["makespan"], None, 1])
def test_jobshop_objective_that_is_no_text(objective):
    """objective=np.array([...]) raised numpy's 'truth value of an array is ambiguous'."""
    with pytest.raises(InvalidInstance, match="objective"):
        schedkit.JobShopInstance.from_jobs(JOBS, objective=objective)


SERVING = INSTANCES["serving"]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("arrival", ["0", "6", "19"], "arrival must hold numbers"),  # was read as 0.0, 6.0, 19.0
    ("arrival", [0, True, 19], "boolean is not a number"),  # was 1.0
    ("prompt", SERVING.prompt + 0.5, "is not an integer"),  # was truncated
    ("prompt", [np.nan] * SERVING.turns, "not finite"),  # numpy's ValueError
    ("output", [2**70] * SERVING.turns, "output"),  # OverflowError
    ("server", None, "server must be a Server"),  # AttributeError
    ("server", SERVING.server.to_dict(), "server must be a Server"),
    ("program_ids", [1, 2, 3], "program_ids\\[0\\] = 1 is not a name"),
    ("tools", "edit", "tools must be a list"),
])
def test_serving_trace_arrays_are_checked(field, value, message):
    """ServingInstance read its arrays with np.asarray(dtype=...): text became numbers, True 1.0,
    fractions were truncated, NaN and huge ints raised numpy errors, a missing Server an
    AttributeError."""
    with pytest.raises(InvalidInstance, match=message):
        dataclasses.replace(SERVING, **{field: value})


def test_serving_instance_copies_its_arrays():
    """The constructor kept the caller's float64 arrival array and made it read-only: the
    caller's own array changed flags, and editing it after setting them back moved the trace."""
    arrival = np.array(SERVING.arrival)
    instance = dataclasses.replace(SERVING, arrival=arrival, program_ids=np.array(SERVING.program_ids))
    assert arrival.flags.writeable
    arrival[1] = 1e6
    assert instance.arrival[1] == SERVING.arrival[1]
    assert instance.program_ids == SERVING.program_ids


@pytest.mark.parametrize(("field", "value"), [("kv_capacity", 2**70), ("kv_capacity", 1e6),
                                              ("offload_capacity", -1), ("name", 5), ("source", None),
                                              ("max_batch", True)])
def test_server_fields_are_checked(field, value):
    """Server(kv_capacity=2**70) overflowed in the simulator, name=5 was written to a file the
    reader refuses."""
    with pytest.raises(InvalidInstance, match=f"server {field}"):
        dataclasses.replace(SERVING.server, **{field: value})


def test_server_numpy_integers_are_read_as_ints(tmp_path):
    """kv_capacity=np.int64(...) was kept as numpy's, and dump() raised 'int64 is not JSON
    serializable'; offload_capacity=np.int64 was refused."""
    server = dataclasses.replace(SERVING.server, kv_capacity=np.int64(SERVING.server.kv_capacity),
                                 offload_capacity=np.int64(5), offload_bandwidth=np.float32(1))
    assert type(server.kv_capacity) is int and type(server.offload_capacity) is int
    instance = SERVING.with_server(server)
    loaded = schedkit.load(schedkit.dump(instance, tmp_path / "trace.json"))
    assert loaded.to_dict() == instance.to_dict()


COST = [[2, 3], [4, 1], [3, 3]]


def test_dag_numpy_task_ids_are_written_and_read_back(tmp_path):
    """task_ids=np.array([...]) kept np.int64 ids and dump() raised 'int64 is not JSON serializable'."""
    instance = schedkit.DAGInstance(COST, [(0, 1)], task_ids=np.array([7, 8, 9]),
                                    processors=np.array(["a", "b"]))
    assert instance.task_ids == (7, 8, 9) and instance.processors == ("a", "b")
    assert schedkit.load(schedkit.dump(instance, tmp_path / "dag.json")) == instance


@pytest.mark.parametrize(("field", "value", "message"), [
    ("task_ids", [None, 2, 3], "task_ids\\[0\\] = None"),  # dump wrote null, load refused it
    ("task_ids", [[1], 2, 3], "task_ids\\[0\\]"),
    ("task_ids", [True, 2, 3], "task_ids\\[0\\] = True"),
    ("task_ids", "abc", "task_ids must be a list"),
    ("processors", "ab", "processors must be a list"),  # was read as processors 'a', 'b'
])
def test_dag_names_that_no_file_could_hold(field, value, message):
    """DAGInstance took task ids a JSON writer cannot write or its reader refuses, and split a
    string of processor names into letters."""
    with pytest.raises(InvalidInstance, match=message):
        schedkit.DAGInstance(COST, [(0, 1)], **{field: value})


PODS = INSTANCES["pods"]


@pytest.mark.parametrize(("build", "message"), [
    (lambda: schedkit.PodsInstance(PODS.nodes, None), "pods must be a list"),
    (lambda: schedkit.PodsInstance(None, PODS.pods), "nodes must be a list"),
    (lambda: schedkit.PodsInstance(PODS.nodes[0], PODS.pods), "nodes must be a list"),
    (lambda: dataclasses.replace(PODS.nodes[0], taints=None), "taints must be a list"),
    (lambda: dataclasses.replace(PODS.pods[0], affinity=None), "affinity must be a list"),
    (lambda: dataclasses.replace(PODS.pods[0], tolerations=None), "tolerations must be a list"),
    (lambda: schedkit.PodsSolution(None), "a pods solution maps"),
    (lambda: schedkit.PodsSolution([1, 2]), "a pods solution maps"),
    (lambda: schedkit.PodsSolution.from_array(PODS, [0.5] * len(PODS.pods)), "is not a whole number"),
    (lambda: schedkit.PodsSolution.from_array(PODS, [99] * len(PODS.pods)), "is no node index"),
    (lambda: schedkit.PodsSolution.from_array(PODS, [0]), "entries for"),
    (lambda: schedkit.PodsSolution.from_array(PODS, None), "nodes must be a list"),
])
def test_pods_records_and_solutions(build, message):
    """None where a list of records goes raised TypeError ('NoneType' object is not iterable),
    from_array truncated 0.5 to node 0, raised IndexError beyond the nodes and zip's ValueError
    for a short list."""
    with pytest.raises(InvalidInstance, match=message):
        build()


GROUND = INSTANCES["groundstation"]


def test_groundstation_numpy_times_are_read_as_ints(tmp_path):
    """Request(duration=np.int64(...)) was refused as 'not an integer number of seconds' (every
    other family reads numpy integers); the times are kept as Python ints, so dump() works."""
    request = GROUND.requests[0]
    alternative = request.alternatives[0]
    periods = tuple(dataclasses.replace(p, on=np.int64(p.on), off=np.int32(p.off))
                    for p in alternative.view_periods)
    numpy_request = dataclasses.replace(
        request, duration=np.int64(request.duration), window_end=np.uint32(request.window_end),
        alternatives=[dataclasses.replace(alternative, view_periods=list(periods)),
                      *request.alternatives[1:]])
    maintenance = [dataclasses.replace(m, start=np.int64(m.start)) for m in GROUND.maintenance]
    instance = dataclasses.replace(GROUND, requests=(numpy_request, *GROUND.requests[1:]),
                                   maintenance=maintenance)
    assert instance == GROUND
    assert schedkit.load(schedkit.dump(instance, tmp_path / "gs.json")) == GROUND


@pytest.mark.parametrize(("build", "message"), [
    (lambda: dataclasses.replace(GROUND, requests=None), "requests must be a list"),
    (lambda: dataclasses.replace(GROUND, requests=[{"track_id": "x"}]), "Request records"),
    (lambda: dataclasses.replace(GROUND, maintenance=None), "maintenance must be a list"),
    (lambda: dataclasses.replace(GROUND, maintenance=[("a", 0, 1)]), "Maintenance records"),
    (lambda: dataclasses.replace(GROUND, antennas="DSS-14"), "antennas must be a list"),
    (lambda: dataclasses.replace(GROUND.requests[0], alternatives=None), "alternatives must be a list"),
    (lambda: schedkit.GroundStationSolution(None), "tracks must be a list"),
    (lambda: schedkit.GroundStationSolution([{"request": "x"}]), "Track records"),
])
def test_groundstation_records_that_are_missing_or_of_another_kind(build, message):
    """requests=None or a dict where a Request goes raised TypeError/AttributeError from deep
    inside; a string of antennas was split into letters."""
    with pytest.raises(InvalidInstance, match=message):
        build()


VMR = INSTANCES["vmr"]


@pytest.mark.parametrize(("build", "message"), [
    (lambda: dataclasses.replace(VMR, machine_ids=None), "machines must be a list"),  # TypeError
    (lambda: dataclasses.replace(VMR, vm_ids=None), "vms must be a list"),
    (lambda: dataclasses.replace(VMR, group_names=None), "groups must be a list"),
    (lambda: dataclasses.replace(VMR, machine_ids="abcd"), "machines must be a list"),  # 4 letters
    (lambda: dataclasses.replace(VMR, machine_ids=[None, "b", "c", "d"]), "is not an id"),  # 'None'
    (lambda: schedkit.VMRSolution(None), "migrations must be a list"),  # TypeError
    (lambda: schedkit.VMRSolution([{"vm": "a"}]), "Migration records"),  # AttributeError in check
    (lambda: schedkit.Migration("a", "b", (0.5,)), "is not a whole number"),
    (lambda: schedkit.Migration(None, "b", (0,)), "vm must be an id"),
])
def test_vmr_ids_and_migrations(build, message):
    """None where ids go raised TypeError, a string of machine ids was split into letters, None
    became the id 'None'; a VMRSolution of dicts failed with AttributeError inside check()."""
    with pytest.raises(InvalidInstance, match=message):
        build()


def test_vmr_ids_given_as_numpy_values():
    """numpy strings and integers are ids as their text."""
    instance = dataclasses.replace(VMR, machine_ids=np.array(VMR.machine_ids))
    assert instance.machine_ids == VMR.machine_ids
    numbered = dataclasses.replace(VMR, machine_ids=np.arange(VMR.num_machines))
    assert numbered.machine_ids == tuple(str(i) for i in range(VMR.num_machines))


SHOP = INSTANCES["jobshop"]


@pytest.mark.parametrize(("arguments", "message"), [
    ({"shutdowns": "x"}, "shutdown probability"),  # float('x'): ValueError
    ({"seed": 2.0}, "seed must be a whole number"),  # numpy's SeedSequence TypeError
    ({"seed": True}, "seed must be a whole number"),  # was seed 1
    ({"max_reschedules": 2.5}, "max_reschedules"),
    ({"workers": np.bool_(True)}, "workers"),
    ({"plan_method": None}, "plan_method"),
    ({"policy": "right-shift", "plan": "x"}, "plan must be a job shop Result"),  # AttributeError
])
def test_simulate_arguments(arguments, message):
    """simulate() passed its arguments on unchecked: text, floats and booleans reached float(),
    numpy's seeding or the plan's attributes."""
    with pytest.raises(SchedkitError, match=message):
        schedkit.simulate(SHOP, **{"shutdowns": 0.1, **arguments})


def test_simulate_a_plan_of_another_instance():
    """A plan solved for another shop is refused rather than followed."""
    other = schedkit.solve(schedkit.JobShopInstance.from_jobs([[(0, 1)], [(1, 2)], [(0, 3), (1, 1)]]), "mwkr")
    with pytest.raises(SchedkitError, match="not a schedule of this instance"):
        schedkit.simulate(SHOP, "right-shift", 0.1, plan=other)


def test_simulate_reads_numpy_arguments():
    """numpy integers and floats are numbers for simulate too, with the same outcome."""
    plain = schedkit.simulate(SHOP, "mwkr", 0.1, seed=3, max_reschedules=2)
    again = schedkit.simulate(SHOP, "mwkr", np.float64(0.1), seed=np.int64(3), max_reschedules=np.int8(2))
    assert again.makespan == plain.makespan


@pytest.mark.parametrize("path", [None, 5, b"instances/smtt/wt40.txt#1", ["a"]])
def test_load_and_dump_paths_that_are_no_paths(tmp_path, path):
    """load(None) looked for a file named 'None' (FileNotFoundError), load(b'...') for "b'...'",
    dump(x, None) raised pathlib's TypeError."""
    with pytest.raises(SchedkitError, match="path must be a file path"):
        schedkit.load(path)
    with pytest.raises(SchedkitError, match="path must be a file path"):
        list(schedkit.load_all(path))
    with pytest.raises(SchedkitError, match="path must be a file path"):
        schedkit.dump(INSTANCES["smtt"], path)


@pytest.mark.parametrize("instance", [None, {"family": "smtt", "p": [1], "d": [1]}, "smtt"])
def test_dump_of_no_instance(tmp_path, instance):
    """dump(None, p) and dump(a dict, p) raised AttributeError ('has no attribute to_dict')."""
    with pytest.raises(SchedkitError, match="is not a schedkit instance"):
        schedkit.dump(instance, tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()


def test_methods_of_a_family_that_is_no_name():
    """methods(['smtt']) raised TypeError: unhashable type: 'list'."""
    with pytest.raises(SchedkitError, match="family must be a family's name"):
        schedkit.methods(["smtt"])


@pytest.mark.parametrize("family", sorted(set(INSTANCES) - {"serving"}))
def test_replace_with_a_field_the_instance_lacks(family):
    """instance.replace(foo=1) raised the constructor's TypeError 'unexpected keyword argument'."""
    with pytest.raises(InvalidInstance, match="has no field foo"):
        INSTANCES[family].replace(foo=1)
    assert INSTANCES[family].replace(name="renamed").name == "renamed"


def test_from_jobs_with_a_field_the_shop_lacks():
    """JobShopInstance.from_jobs(jobs, foo=1) raised TypeError 'unexpected keyword argument'."""
    with pytest.raises(InvalidInstance, match="from_jobs has no field foo"):
        schedkit.JobShopInstance.from_jobs(JOBS, foo=1)
    shop = schedkit.JobShopInstance.from_jobs(JOBS, due=[5, 5], objective="weighted_tardiness")
    assert shop.due.tolist() == [5, 5]


def test_rcpsp_successor_sets_with_lags():
    """successors=[{2, 1}, ...] with lags [[lag to 2, lag to 1], ...] paired each lag with the arc
    the set happened to iterate first (1, then 2): silently the wrong lags. Sets are fine
    without lags (no order to keep)."""
    durations, capacities, demands = [0, 3, 2, 0], [4], [[0], [2], [3], [0]]
    with pytest.raises(InvalidInstance, match="successors\\[0\\] is a set"):
        schedkit.RCPSPInstance(durations, [{2, 1}, [3], [3], []], capacities, demands,
                               lags=[[5, 0], [3], [2], []])
    plain = schedkit.RCPSPInstance(durations, [{2, 1}, [3], [3], []], capacities, demands)
    assert [row.tolist() for row in plain.successors] == [[1, 2], [3], [3], []]


def test_groundstation_maintenance_none_without_antennas():
    """antennas=() with maintenance=None raised TypeError while the antennas were derived."""
    with pytest.raises(InvalidInstance, match="maintenance must be a list"):
        dataclasses.replace(GROUND, antennas=(), maintenance=None)
    assert dataclasses.replace(GROUND, antennas=()) == GROUND


def test_an_error_naming_a_numpy_array_is_one_line():
    """migration_limit=np.array(...) gave a message spanning the array's repr lines."""
    with pytest.raises(InvalidInstance) as error:
        dataclasses.replace(VMR, migration_limit=np.arange(40, dtype=np.uint64) * 2**60)
    assert "\n" not in str(error.value)


def test_a_claimed_objective_of_true_is_no_number():
    """check(..., objective=True) agreed with a recomputed objective of 1 (True == 1)."""
    instance = schedkit.SMTTInstance(p=[1], d=[0])
    assert schedkit.check(instance, {"sequence": [0]}, objective=1).feasible
    report = schedkit.check(instance, {"sequence": [0]}, objective=True)
    assert not report.feasible and "claimed objective True" in report.violations[0]
    assert schedkit.check(instance, {"sequence": [0]}, objective=np.int64(1)).feasible


@pytest.mark.parametrize("value", [1, "yes", None])
def test_load_blocking_must_be_a_boolean(value):
    """`load(..., blocking=1)` was taken as True."""
    with pytest.raises(InvalidInstance, match="blocking must be true or false"):
        schedkit.load(ROOT / "instances" / "jobshop" / "classic" / "ft06", blocking=value)
