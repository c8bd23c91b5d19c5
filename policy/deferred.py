"""Modules put in sys.modules as stand-ins that load themselves on first use.

Why: a cold command pays for every module imported, and some libraries import modules at
start-up for things policylog never asks of them (Click's UUID parameter type imports
`uuid` and with it `platform`; dd imports `subprocess` to draw diagrams with `dot`).
`defer(names)` puts a stand-in for each of `names` not yet imported: importing one then
runs none of its code, and the first look-up of a name in it (by anyone: a library, the
user's code) runs the module into that same object, once, whichever thread asks. Mercurial's
demandimport does the same for its start-up. (importlib.util.LazyLoader does not do here:
the import statement itself reads `__spec__`, which loads such a module.)

    >>> import sys
    >>> defer(["colorsys"])
    >>> import colorsys
    >>> "__getattr__" in vars(sys.modules["colorsys"])  # a stand-in: its code has not run
    True
    >>> colorsys.rgb_to_hsv(1.0, 0.0, 0.0)
    (0.0, 1.0, 1.0)
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import threading


def defer(names) -> None:
    """A stand-in in sys.modules for each of `names` (top-level modules or modules of a
    package, found without importing them or their package) not yet imported."""
    for name in names:
        if name in sys.modules:
            continue
        spec = _spec_of(name)
        if spec is not None and spec.loader is not None:
            sys.modules[name] = _on_first_use(spec)


def bind(names) -> None:
    """Each deferred module of a package as an attribute of its package, as an import would
    have made it (`import dd.bdd` then `dd.bdd.BDD` works)."""
    for name in names:
        package, _, attribute = name.rpartition(".")
        if name in sys.modules and package in sys.modules:
            setattr(sys.modules[package], attribute, sys.modules[name])


def _spec_of(name: str):
    package, _, _ = name.rpartition(".")
    if not package:
        return importlib.machinery.PathFinder.find_spec(name)
    found = importlib.util.find_spec(package)  # a top-level name: found, not imported
    if found is None or not found.submodule_search_locations:
        return None
    return importlib.machinery.PathFinder.find_spec(name, found.submodule_search_locations)


def _on_first_use(spec):
    """A module of `spec` whose code runs at the first look-up of a name it lacks."""
    module = importlib.util.module_from_spec(spec)
    lock = threading.Lock()

    def __getattr__(name):  # module __getattr__ (PEP 562): only for names not (yet) there
        with lock:
            if module.__dict__.get("__getattr__") is __getattr__:
                del module.__getattr__
                spec.loader.exec_module(module)
        try:
            return module.__dict__[name]
        except KeyError:
            raise AttributeError(f"module {spec.name!r} has no attribute {name!r}") from None

    module.__getattr__ = __getattr__
    return module
