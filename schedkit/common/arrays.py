"""Reading numbers into the models' arrays: integers only, said clearly when they are not."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from schedkit.errors import InvalidInstance

INT64_SAFE = 2**62  # the default limit: any sum of a few such values still fits in int64


def _no_booleans(name: str, values: list[Any] | tuple[Any, ...], depth: int) -> None:
    """InvalidInstance for a JSON true/false where a number belongs (numpy would read it as 1/0)."""
    for i, value in enumerate(values):
        if isinstance(value, bool | np.bool_):
            raise InvalidInstance(f"{name}[{i}] = {str(value).lower()}: a boolean is not a number")
        if depth > 1 and isinstance(value, list | tuple):
            _no_booleans(f"{name}[{i}]", value, depth - 1)


def _whole_objects(name: str, array: np.ndarray, limit: int) -> np.ndarray:
    """An object array of integers within the limit as int64, else InvalidInstance naming the
    first entry that is no integer or lies beyond the limit: '[2**70]' said 'must hold integers,
    got object values' of a list of integers."""
    for index in np.ndindex(array.shape):
        value = array[index]
        where = f"{name}{list(index)}"
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
            raise InvalidInstance(f"{where} = {value!r:.40} is not an integer")
        if abs(int(value)) > limit:
            raise InvalidInstance(f"{where} = {int(value)} exceeds the limit ±{limit}")
    return array.astype(np.int64)


def integer_array(name: str, values: Any, ndim: int = 1, limit: int = INT64_SAFE) -> np.ndarray:
    """`values` as a read-only int64 array of `ndim` dimensions, |value| <= `limit`.

    Fractions, non-finite values, booleans and non-numbers raise InvalidInstance naming the
    field and the index (`p[3]`, `cost[1, 2]`); models never round silently.
    """
    if isinstance(values, list | tuple):
        _no_booleans(name, values, ndim)
    try:
        array = np.asarray(values)
    except ValueError:
        raise InvalidInstance(f"{name} is ragged: every row needs the same length") from None
    if array.size == 0 and array.ndim < ndim:
        array = array.reshape(array.shape + (0,) * (ndim - array.ndim))
    if array.ndim != ndim:
        kind = "a flat list" if ndim == 1 else f"a {ndim}-D array"
        raise InvalidInstance(f"{name} must be {kind} of integers, got shape {array.shape}")
    if array.size and array.dtype.kind == "f":
        if not np.all(np.isfinite(array)):
            raise InvalidInstance(f"{name} holds a value that is not finite")
        bad = np.argwhere(array != np.round(array))
        if bad.size:
            index = tuple(int(i) for i in bad[0])
            raise InvalidInstance(f"{name}{list(index)} = {array[index]} is not an integer")
    elif array.size and array.dtype == object:
        array = _whole_objects(name, array, limit)  # [2**70], Fraction(3), dtype=object
    elif array.size and array.dtype.kind not in "iu":
        raise InvalidInstance(f"{name} must hold integers, got {array.dtype} values")
    if array.size:
        if array.dtype.kind == "i":  # compared exactly: as floats, 2**62 + 1 passed a limit of 2**62
            large = np.argwhere((array > limit) | (array < -limit))
        elif array.dtype.kind == "u":
            large = np.argwhere(array > np.uint64(limit))
        else:
            large = np.argwhere(np.abs(array.astype(np.float64)) > limit)
        if large.size:
            index = tuple(int(i) for i in large[0])
            raise InvalidInstance(f"{name}{list(index)} = {array[index]} exceeds the limit ±{limit}")
    result = array.astype(np.int64)
    result.setflags(write=False)
    return result


def worst_weighted_sum(weights: np.ndarray, horizon: int, offsets: np.ndarray) -> int:
    """Σ weights[j]·max(0, horizon − offsets[j]) exactly (a Python int, no int64 overflow): the
    largest weighted tardiness (or flow time) a schedule ending by `horizon` can reach."""
    late = np.maximum(0, horizon - offsets.astype(np.float64))
    estimate = float(np.dot(weights.astype(np.float64), late))
    if estimate < 2**52:  # every product and partial sum is exact in float64 below 2^53
        return int(estimate)
    return sum(int(w) * max(0, horizon - int(o)) for w, o in zip(weights.tolist(), offsets.tolist(),
                                                                    strict=True))


def real_array(name: str, values: Any) -> np.ndarray:
    """`values` as a read-only float64 copy of one dimension. Booleans, text, None and other
    non-numbers raise InvalidInstance naming the field: `np.asarray(values, dtype=float)` read
    ["0", "6"] as numbers and True as 1.0. Non-finite values are left for the model's rules."""
    if isinstance(values, list | tuple):
        _no_booleans(name, values, 1)
    try:
        array = np.asarray(values)
    except ValueError:
        raise InvalidInstance(f"{name} is ragged: every entry must be one number") from None
    if array.ndim != 1:
        raise InvalidInstance(f"{name} must be a flat list of numbers, got shape {array.shape}")
    if array.dtype == object and all(isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_)
                                     for v in array.tolist()):
        array = array.astype(np.float64)  # Python ints beyond int64, Fractions
    if array.size and array.dtype.kind not in "iuf":
        raise InvalidInstance(f"{name} must hold numbers, got {array.dtype} values")
    result = array.astype(np.float64)
    result.setflags(write=False)
    return result
