"""Parsers and writers: selectors, round trips, sniffing and every kind of malformed input."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

import schedkit
from schedkit import InvalidInstance, ParseError, SelectorError
from schedkit.loading import write
from tests.conftest import ROOT, SMTT
from tests.smtt.strategies import smtt_instances


def test_orlib_selector_is_one_based_and_matches_the_file():
    """wt40.txt#7 is the 7th block of 3×40 numbers: p, then w, then d."""
    numbers = [int(x) for x in (SMTT / "wt40.txt").read_text().split()]
    block = numbers[6 * 120 : 7 * 120]
    instance = schedkit.load(SMTT / "wt40.txt#7")
    assert instance.n == 40
    assert instance.p.tolist() == block[:40]
    assert instance.w.tolist() == block[40:80]
    assert instance.d.tolist() == block[80:]
    assert instance.name == "wt40#7"
    assert len(list(schedkit.load_all(SMTT / "wt40.txt"))) == 125


def test_jsonl_selector_matches_the_id_field():
    """smtt_n100.jsonl#12 is the line whose id is 12, with opt kept in meta."""
    instance = schedkit.load(f"{SMTT}/smtt_n100.jsonl#12")
    line = json.loads((SMTT / "smtt_n100.jsonl").read_text().splitlines()[11])
    assert line["id"] == 12
    assert instance.p.tolist() == line["p"] and instance.d.tolist() == line["d"]
    assert instance.meta["opt"] == line["opt"]
    assert not instance.weighted


def test_selector_out_of_range_and_missing_selector():
    """A selector the file does not hold, or a multi-instance file without one, is a SelectorError."""
    with pytest.raises(SelectorError, match="1..125"):
        schedkit.load(SMTT / "wt40.txt#126")
    with pytest.raises(SelectorError, match="holds 125 instances"):
        schedkit.load(SMTT / "wt40.txt")
    with pytest.raises(SelectorError, match=r"wt40.txt#: no such instance; the file holds 1..125"):
        schedkit.load(f"{SMTT / 'wt40.txt'}#")


@settings(max_examples=60, deadline=None)
@given(instance=smtt_instances())
def test_json_round_trip(instance, tmp_path_factory):
    """load(dump(x)) == x for the project's JSON."""
    path = tmp_path_factory.mktemp("rt") / "x.json"
    assert schedkit.load(schedkit.dump(instance, path)) == instance


@settings(max_examples=30, deadline=None)
@given(instance=smtt_instances(weighted=True))
def test_orlib_round_trip(instance, tmp_path_factory):
    """Writing OR-Library format and reading it back keeps p, w and d."""
    path = tmp_path_factory.mktemp("rt") / f"wt{instance.n}.txt"
    write([instance, instance], path)
    back = list(schedkit.load_all(path))
    assert len(back) == 2
    for other in back:
        assert other.p.tolist() == instance.p.tolist()
        assert other.w.tolist() == instance.w.tolist()
        assert other.d.tolist() == instance.d.tolist()


def test_convert_orlib_to_jsonl_keeps_every_instance(tmp_path):
    """A multi-instance file converts to JSON lines instance by instance."""
    out = write(list(schedkit.load_all(SMTT / "wt40.txt")), tmp_path / "all.jsonl")
    again = list(schedkit.load_all(out))
    assert len(again) == 125
    assert again[6] == schedkit.load(SMTT / "wt40.txt#7")


def test_format_override_gives_n(tmp_path):
    """A file whose name does not carry n reads with format='orlib-wt:N'."""
    path = tmp_path / "weights.dat"
    path.write_text("1 2\n3 4\n5 6\n")
    instance = schedkit.load(path, format="orlib-wt:2")
    assert instance.p.tolist() == [1, 2] and instance.w.tolist() == [3, 4]
    with pytest.raises(ParseError, match="job count"):
        schedkit.load(path)


@pytest.mark.parametrize("format", ["taillard:3", "json:5", "jobshop:", "psplib-sm:x"])
def test_a_format_that_reads_no_argument_refuses_one(format):
    """Only orlib-wt and stg read `:N`; any other format given one is refused, not read as if
    the argument were not there (and an empty one after ':' too)."""
    with pytest.raises(ParseError, match="without ':'"):
        schedkit.load(ROOT / "instances" / "jobshop" / "classic" / "ft06", format=format)


@pytest.mark.parametrize("format", [5, True, ["json"]])
def test_a_format_that_is_not_text_is_refused(format):
    """format=5 is a ParseError naming --format, not an AttributeError."""
    with pytest.raises(ParseError, match="a format name"):
        schedkit.load(ROOT / "instances" / "jobshop" / "classic" / "ft06", format=format)


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        ("wt2.txt", "1 2 3 4 5\n", ParseError, "truncated"),
        ("wt2.txt", "1 2\n3 x\n5 6\n", ParseError, r"wt2.txt:2: expected an integer, found 'x'"),
        ("wt2.txt", "-1 2 3 4 5 6\n", InvalidInstance, r"p\[0\] = -1"),
        ("bad.jsonl", '{"p": [1], "d": [1]}\n{"p": [1], \n', ParseError, "bad.jsonl:2"),
        ("bad.jsonl", '{"p": [1, 2], "d": [1]}\n', InvalidInstance, "bad.jsonl:1: d has 1"),
        ("bad.json", '{"p": [1, 2]}', InvalidInstance, "missing field 'd'"),
        ("bad.json", '{"family": "smtt", "p": [1], "d": [1], "w": [-1]}', InvalidInstance, "w"),
        ("bad.json", '{"family": "nope", "p": [1]}', InvalidInstance, "unknown family"),
        ("empty.json", "", ParseError, "empty file"),
        ("x.dat", "hello", ParseError, "known instance format"),
    ],
)
def test_malformed_input_gives_its_error(tmp_path, name, content, error, message):
    """Each kind of malformed file raises its typed error naming file and line."""
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(error, match=message):
        list(schedkit.load_all(path))


def test_missing_file():
    """A file that does not exist is a FileNotFoundError naming it."""
    with pytest.raises(FileNotFoundError):
        schedkit.load("no/such/file.json")


def test_generator_is_reproducible_and_follows_the_classes():
    """Same seed, same instance; due dates fall in the Potts–Van Wassenhove interval."""
    a = schedkit.generate.smtt(50, tf=0.6, rdd=0.4, seed=3)
    b = schedkit.generate.smtt(50, tf=0.6, rdd=0.4, seed=3)
    c = schedkit.generate.smtt(50, tf=0.6, rdd=0.4, seed=4)
    assert a == b and a != c
    total = int(a.p.sum())
    assert a.p.min() >= 1 and a.p.max() <= 100
    assert a.d.min() >= int(total * (1 - 0.6 - 0.2)) and a.d.max() <= int(total * (1 - 0.6 + 0.2))
    weighted = schedkit.generate.smtt(50, tf=0.2, rdd=1.0, seed=1, weighted=True)
    assert weighted.w.min() >= 1 and weighted.w.max() <= 10 and weighted.d.min() >= 0
