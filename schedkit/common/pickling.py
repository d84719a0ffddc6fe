"""Read-only mappings (`types.MappingProxyType`, the `meta` of every instance) pickle as the dict
they show: instances go by plain pickle to the child interpreters of parallel walks (Dask's
cloudpickle already does the same)."""

from __future__ import annotations

import copyreg
from types import MappingProxyType
from typing import Any


def read_only(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    """The mapping behind a read-only view again (what unpickling calls)."""
    return MappingProxyType(mapping)


def _mapping_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return read_only, (dict(proxy),)


copyreg.pickle(MappingProxyType, _mapping_proxy)
