"""Old import paths (`schedkit.model.jobshop`, ...) kept for one release, with a DeprecationWarning.

Before the one-package-per-family layout, models lived in `schedkit.model.<family>`. An import
finder maps those names onto `schedkit.<family>.model`, so no file is kept at the old place.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
import warnings
from collections.abc import Sequence
from typing import Any

OLD_PACKAGE = "schedkit.model"
FAMILIES = ("smtt", "jobshop", "rcpsp", "dag", "pods", "vmr")


class _Alias(importlib.abc.Loader):
    """Loads an old name as the module that now holds its contents."""

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        if spec.name == OLD_PACKAGE:
            module = types.ModuleType(OLD_PACKAGE, "Deprecated: use schedkit.<family>.model.")
            module.__path__ = []
            return module
        family = spec.name.rpartition(".")[2]
        new = f"schedkit.{family}.model"
        warnings.warn(f"{spec.name} is deprecated; import from {new} (or from schedkit)",
                      DeprecationWarning, stacklevel=4)
        return importlib.import_module(new)

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run: the module is already the new one (or the empty old package)."""


class _Finder(importlib.abc.MetaPathFinder):
    """Answers only for `schedkit.model` and `schedkit.model.<family>`."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: Any = None
                  ) -> importlib.machinery.ModuleSpec | None:
        known = {OLD_PACKAGE, *(f"{OLD_PACKAGE}.{f}" for f in FAMILIES)}
        if fullname not in known:
            return None
        return importlib.machinery.ModuleSpec(fullname, _Alias(), is_package=fullname == OLD_PACKAGE)


def install() -> None:
    """Put the finder on `sys.meta_path` once."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())
