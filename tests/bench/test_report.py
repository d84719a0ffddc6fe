"""Gap arithmetic, zero references, wins and ties, and the alarms on contradicting claims."""

from __future__ import annotations

import pytest

from schedkit.bench.references import Reference, load_references
from schedkit.bench.report import (
    MAX_INSTANCE_ROWS,
    MAX_SET_TABLES,
    gap,
    instance_table,
    markdown,
    set_tables,
    summarise,
)
from schedkit.errors import ParseError


def record(label, instance, objective, status="feasible", bound=None, outcome="ok"):
    return {"label": label, "method": label, "instance": instance, "objective": objective,
            "status": status, "bound": bound, "outcome": outcome, "wall_time": 0.5, "seed": 0}


def test_gap_relative_and_zero_reference():
    """(obj − ref)/ref when ref != 0; the absolute difference when ref == 0."""
    assert gap(110, 100) == (pytest.approx(0.1), None)
    assert gap(100, 100) == (0.0, None)
    assert gap(7, 0) == (None, 7)
    assert gap(-90, -100) == (pytest.approx(0.1), None)


def test_summary_counts_gaps_wins_and_zero_refs():
    """Per method: gaps to the upper bound, zero references apart, wins and ties, errors."""
    refs = {"a": Reference(100, 100, "optimal"), "b": Reference(0, 0, "optimal"),
            "c": Reference(40, 50, "open")}
    records = [
        record("x", "a", 110), record("y", "a", 100, "optimal", 100),
        record("x", "b", 3), record("y", "b", 0, "optimal", 0),
        record("x", "c", 50), record("y", "c", 50),
        record("x", "d", None, outcome="error"),
    ]
    summaries, alarms = summarise(records, refs)
    x, y = summaries
    assert x.label == "x" and y.label == "y"
    assert x.gaps == [pytest.approx(0.1), 0.0] and x.gaps_to_opt == [pytest.approx(0.1)]
    assert x.zero_ref_diffs == [3] and y.zero_ref_diffs == [0]
    assert (x.wins, x.ties, y.wins, y.ties) == (0, 1, 2, 1)
    assert x.errors == 1 and y.optimal == 2 and alarms == []
    assert x.row()["mean_gap_pct"] == pytest.approx(5.0)


def test_time_columns():
    """Mean, median and max of the runs' wall times."""
    records = [dict(record("x", name, 1), wall_time=t) for name, t in [("a", 1.0), ("b", 2.0), ("c", 9.0)]]
    row = summarise(records, {})[0][0].row()
    assert (row["mean_time_s"], row["median_time_s"], row["max_time_s"]) == (4.0, 2.0, 9.0)


def test_alarms_on_claims_that_contradict_references():
    """A claimed optimum worse than the reference, an objective below the lower bound and a
    bound above the upper bound are each flagged."""
    refs = {"a": Reference(100, 100, "optimal")}
    _, alarms = summarise([record("z", "a", 105, "optimal", 105)], refs)
    assert any("claimed optimum 105 worse" in a for a in alarms)
    _, alarms = summarise([record("z", "a", 90, "feasible", 80)], refs)
    assert any("below the reference lower bound" in a for a in alarms)
    _, alarms = summarise([record("z", "a", 120, "feasible", 101)], refs)
    assert any("proven bound 101 above" in a for a in alarms)
    _, alarms = summarise([dict(record("z", "a", 1), outcome="invalid", violations=["v"])], refs)
    assert any("INVALID" in a for a in alarms)


def test_reference_files(tmp_path):
    """CSV and JSON lines both read; a bad status is a ParseError with the line."""
    csv = tmp_path / "r.csv"
    csv.write_text("instance,lower_bound,upper_bound,status\nx#1,5,7,open\nx#2,,9,optimal\n")
    refs = load_references(csv)
    assert refs["x#1"] == Reference(5, 7, "open") and refs["x#2"].optimum == 9
    jsonl = tmp_path / "r.jsonl"
    jsonl.write_text('{"instance": "a", "upper_bound": 3, "status": "optimal"}\n')
    assert load_references(jsonl)["a"].lower_bound == 3
    csv.write_text("instance,lower_bound,upper_bound,status\nx,1,2,maybe\n")
    with pytest.raises(ParseError, match="r.csv:2"):
        load_references(csv)


def test_set_tables_only_for_a_readable_number_of_sets():
    """Per-set tables for 2..MAX_SET_TABLES sets (`file#k` names); none for one set or for one
    file per instance (480 PSPLIB files would make 480 tables)."""
    refs = {}
    two_sets = [record("x", "wt40#1", 5), record("x", "wt40#2", 6), record("x", "wt50#1", 7)]
    tables = set_tables(two_sets, refs, ["x"])
    assert [name for name, _ in tables] == ["wt40", "wt50"]
    assert [s.instances for _, rows in tables for s in rows] == [2, 1]
    assert set_tables(two_sets[:2], refs, ["x"]) == []
    many = [record("x", f"j30{i}_1", i) for i in range(MAX_SET_TABLES + 1)]
    assert set_tables(many, refs, ["x"]) == []


def test_gap_to_own_bound_and_family_measures_are_averaged():
    """Each run's (objective − bound) / objective and its family measures, averaged per method;
    a run without a bound or measure adds nothing, text and booleans are not averaged."""
    records = [dict(record("x", "a", 100, "feasible", 90), stats={"h": 3.0}),
               dict(record("x", "b", 50, "optimal", 50), stats={"h": 5.0}),
               dict(record("x", "c", 10), stats={})]

    def measure(r):
        return {"hours": r["stats"]["h"], "note": "text", "flag": True} if "h" in r["stats"] else None

    (x,), _ = summarise(records, {}, measure=measure)
    assert x.bound_gaps == [pytest.approx(0.1), 0.0]
    row = x.row()
    assert row["mean_bound_gap_pct"] == pytest.approx(5.0)
    assert row["mean hours"] == pytest.approx(4.0) and "mean note" not in row and "mean flag" not in row


def test_instance_table_shows_every_run_and_the_first_measure():
    """Optimum starred, a bound in brackets, an error named, a missing run as '-'; then the
    family's first measure per run; nothing above MAX_INSTANCE_ROWS rows."""
    records = [dict(record("x", "a", 7, "optimal", 7), stats={"h": 1.5}),
               dict(record("y", "a", 9, "feasible", 6), stats={"h": 1.25}),
               record("x", "b", None, outcome="error")]

    def measure(r):
        return {"hours": r["stats"]["h"]} if "h" in r.get("stats", {}) else None

    lines = instance_table(records, ["x", "y"], measure)
    text = "\n".join(lines)
    assert "| a | 7* | 9 [6] |" in text and "| b | error | - |" in text
    assert "`hours`" in text and "| a | 1.500 | 1.250 |" in text
    many = [record("x", f"i{k}", k) for k in range(MAX_INSTANCE_ROWS + 1)]
    assert instance_table(many, ["x"]) == []


def test_names_with_a_bar_or_a_newline_stay_in_their_cell():
    """An instance `a|b<newline>c` and a label `e|d` split the Markdown rows into extra columns
    and lines; each is one cell now, its bar escaped and its newline spelled out."""
    records = [record("e|d", "a|b\nc", 3)]
    lines = instance_table(records, ["e|d"]) + _table_lines(records)
    assert "| instance | e\\|d |" in lines and "| a\\|b\\nc | 3 |" in lines
    assert all(line.count("|") - line.count("\\|") == line.count(" | ") + 2
               for line in lines if line.startswith("| "))


def _table_lines(records):
    """The summary table of `records` as markdown lines."""
    return markdown("s", [("all", summarise(records, {})[0])], [], [], [], []).splitlines()
