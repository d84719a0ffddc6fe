"""Kubernetes quantities: every notation the API writes, exact integer results, and refusals."""

from __future__ import annotations

from fractions import Fraction

import pytest

from schedkit.errors import InvalidInstance
from schedkit.pods.formats.quantity import (
    count,
    cpu_millicores,
    format_cpu,
    format_memory,
    memory_bytes,
    parse_quantity,
)


@pytest.mark.parametrize(
    ("text", "millicores"),
    [
        ("250m", 250),
        ("1.5", 1500),
        ("2", 2000),
        ("0.1", 100),
        (".5", 500),
        ("5.", 5000),
        ("1e3", 1_000_000),
        ("1E-3", 1),
        ("100u", 1),
        ("1n", 1),
        ("0", 0),
        (3, 3000),
        ("+1", 1000),
        ("1k", 1_000_000),
    ],
)
def test_cpu_notations(text, millicores):
    """CPU in millicores from each notation; sub-millicore values round up like MilliValue()."""
    assert cpu_millicores(text) == millicores


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("2Gi", 2 * 2**30),
        ("500M", 500_000_000),
        ("100Ki", 102_400),
        ("1e3", 1000),
        ("0.5Gi", 2**29),
        ("1.5Mi", 3 * 2**19),
        ("128974848", 128_974_848),
        ("129e6", 129_000_000),
        ("1Ti", 2**40),
        ("2E", 2 * 10**18),
        ("1Ei", 2**60),
        ("1.1", 2),
        ("123Mi", 123 * 2**20),
    ],
)
def test_memory_notations(text, amount):
    """Memory in bytes: binary and decimal suffixes and exponents; fractions of a byte round up."""
    assert memory_bytes(text) == amount


def test_parse_is_exact():
    """No float rounding: 0.1 + 0.2 stays exact, 1/3 of a unit survives as a fraction."""
    assert parse_quantity("0.1") + parse_quantity("0.2") == Fraction(3, 10)
    assert parse_quantity("333333333n") == Fraction(333333333, 10**9)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "abc",
        "1.5.2",
        "2gi",
        "1 Gi",
        "Gi",
        "1e3Gi",
        "--1",
        "1e",
        "0x10",
        "1e999",
        None,
        True,
        [1],
        "1mi",
        "∞",
    ],
)
def test_nonsense_is_refused(bad):
    """Malformed quantities raise InvalidInstance naming the field and the value."""
    with pytest.raises(InvalidInstance, match="requests.cpu"):
        cpu_millicores(bad, "requests.cpu")


def test_negative_and_fractional_counts():
    """A negative request and a fractional pod count are refused with the rule they break."""
    with pytest.raises(InvalidInstance, match="negative"):
        memory_bytes("-1Gi")
    with pytest.raises(InvalidInstance, match="whole"):
        count("1.5")
    assert count("110") == 110


@pytest.mark.parametrize("amount", [0, 1, 1023, 1024, 2**30, 3 * 2**20 + 1, 10**18])
def test_memory_format_round_trips(amount):
    """format_memory writes what memory_bytes reads back exactly."""
    assert memory_bytes(format_memory(amount)) == amount


@pytest.mark.parametrize("millicores", [0, 1, 250, 1000, 1500, 64000])
def test_cpu_format_round_trips(millicores):
    """format_cpu writes what cpu_millicores reads back exactly."""
    assert cpu_millicores(format_cpu(millicores)) == millicores


@pytest.mark.parametrize("bad", ["٣Gi", "１００m", "1.٥", "٣e3"])
def test_other_scripts_digits_are_no_quantity(bad):
    """Only ASCII digits, as the API's parser: `٣Gi` was read as 3 GiB, `１００m` as 100m."""
    with pytest.raises(InvalidInstance, match="requests.cpu.*not a Kubernetes quantity"):
        cpu_millicores(bad, "requests.cpu")


@pytest.mark.parametrize("bad", ["1" * 5000, "0." + "0" * 5000 + "1", "1." + "0" * 5000 + "Ki",
                                 pytest.param(10**5000, id="int-of-5001-digits")])
def test_a_quantity_of_thousands_of_digits_is_refused_in_one_line(bad):
    """Python's int() refuses more than 4,300 digits: a ValueError escaped (exit 3, internal
    error) where the file's field should be named."""
    with pytest.raises(InvalidInstance, match="requests.memory.*digits"):
        memory_bytes(bad, "requests.memory")


def test_long_but_plain_quantities_still_read():
    """Sixty digits are fine (the model's limits refuse the amount, not the notation)."""
    assert memory_bytes("0." + "0" * 57 + "1") == 1
    assert cpu_millicores("000000000000000000000000000000000000000000000000000000000001") == 1000
