"""Binary min-heaps on parallel arrays for the simulator's kernel: key, then id breaks ties."""

from __future__ import annotations

from schedkit.common.kernel_cache import njit


@njit(cache=True, nogil=True)
def _less(keys, ids, x, y):  # pragma: no cover - compiled
    return keys[x] < keys[y] or (keys[x] == keys[y] and ids[x] < ids[y])


@njit(cache=True, nogil=True)
def _swap(keys, ids, tags, x, y):  # pragma: no cover - compiled
    keys[x], keys[y] = keys[y], keys[x]
    ids[x], ids[y] = ids[y], ids[x]
    tags[x], tags[y] = tags[y], tags[x]


@njit(cache=True, nogil=True)
def push(keys, ids, tags, size, key, ident, tag):  # pragma: no cover - compiled
    """Insert (key, ident, tag); the arrays must have room. Returns the new size."""
    keys[size] = key
    ids[size] = ident
    tags[size] = tag
    child = size
    while child > 0:
        parent = (child - 1) // 2
        if not _less(keys, ids, child, parent):
            break
        _swap(keys, ids, tags, child, parent)
        child = parent
    return size + 1


@njit(cache=True, nogil=True)
def pop(keys, ids, tags, size):  # pragma: no cover - compiled
    """Remove the top; returns the new size (the top is read from index 0 before the call)."""
    size -= 1
    if size > 0:
        keys[0] = keys[size]
        ids[0] = ids[size]
        tags[0] = tags[size]
        parent = 0
        while True:
            left = 2 * parent + 1
            if left >= size:
                break
            best = left
            if left + 1 < size and _less(keys, ids, left + 1, left):
                best = left + 1
            if not _less(keys, ids, best, parent):
                break
            _swap(keys, ids, tags, best, parent)
            parent = best
    return size
