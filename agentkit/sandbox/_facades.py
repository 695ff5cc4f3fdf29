"""What ``import math`` gives a program: a module made of the audited names, never the real one.

A real module hands out everything it imported (``json.codecs``, ``functools.namedtuple``,
``statistics.sys`` through a function's globals), and some of its public functions read
attributes named by strings (``functools.update_wrapper(..., updated=("__globals__",))``
copies any object's globals, ``sys`` included).  Each allowed module is therefore rebuilt
here from its public names, with the audit's verdict per module:

* ``math``, ``itertools``: C functions on numbers and iterables; all public names.
* ``random``, ``statistics``, ``json``, ``re``, ``collections``, ``collections.abc``: their
  ``__all__``.  ``json``'s hooks (``object_hook``, ``default``, ``cls``, ``parse_*``) only
  call what the program passes, which it could call anyway; ``re`` templates name groups,
  not attributes; ``collections.namedtuple`` checks every field name is an identifier that
  does not start with ``_`` before generating code.
* ``functools``: ``singledispatch`` and ``singledispatchmethod`` left out (they evaluate
  string annotations with ``eval``, outside RestrictedPython); ``update_wrapper`` and
  ``wraps`` copy only the name, qualified name, module and docstring, onto a function of the
  program; ``total_ordering`` decorates only the program's classes.

Modules a caller adds to ``allowed_modules`` beyond these are handed out as they are: that
is the caller's decision.  Standard library only (loaded by path in the sandbox child).
"""

from __future__ import annotations

import functools
import importlib
import types
from collections.abc import Callable
from typing import Any

__all__ = ["AUDITED", "SafeModule", "facade"]

_ALL_PUBLIC = None
AUDITED: dict[str, tuple[str, ...] | None] = {
    "math": _ALL_PUBLIC,
    "itertools": _ALL_PUBLIC,
    "random": ("__all__",),
    "statistics": ("__all__",),
    "json": ("__all__",),
    "re": ("__all__",),
    "collections": ("__all__",),
    "collections.abc": ("__all__",),
    "functools": ("__all__",),
}
"""Module name -> which of its names a program gets (None: every public name)."""

_LEFT_OUT = {"functools": {"singledispatch", "singledispatchmethod"}}
_PROGRAM_MODULE = "__program__"
_WRAPPED_ATTRS = ("__module__", "__name__", "__qualname__", "__doc__")


class SafeModule(types.ModuleType):
    """A module object holding only audited names (the attribute guard lets these through)."""


def _is_program_function(func: Any) -> bool:
    return isinstance(func, types.FunctionType) and (
        func.__globals__.get("__name__") == _PROGRAM_MODULE
    )


def _update_wrapper(
    wrapper: Any,
    wrapped: Any,
    assigned: Any = functools.WRAPPER_ASSIGNMENTS,
    updated: Any = functools.WRAPPER_UPDATES,
) -> Any:
    """``functools.update_wrapper`` limited to the standard string attributes."""
    if tuple(assigned) != functools.WRAPPER_ASSIGNMENTS or tuple(updated) != (
        functools.WRAPPER_UPDATES
    ):
        raise TypeError("update_wrapper/wraps in the sandbox take no assigned= or updated=")
    if not _is_program_function(wrapper):
        raise TypeError("update_wrapper/wraps in the sandbox only decorate the program's "
                        "own functions")
    for attr in _WRAPPED_ATTRS:
        value = getattr(wrapped, attr, None)
        if value is None or isinstance(value, str):
            setattr(wrapper, attr, value)
    wrapper.__wrapped__ = wrapped
    return wrapper


def _wraps(
    wrapped: Any,
    assigned: Any = functools.WRAPPER_ASSIGNMENTS,
    updated: Any = functools.WRAPPER_UPDATES,
) -> Callable[[Any], Any]:
    def decorate(wrapper: Any) -> Any:
        return _update_wrapper(wrapper, wrapped, assigned, updated)

    return decorate


def _total_ordering(cls: Any) -> Any:
    if not isinstance(cls, type) or cls.__module__ != _PROGRAM_MODULE:
        raise TypeError("total_ordering in the sandbox only decorates the program's classes")
    return functools.total_ordering(cls)


_REPLACED: dict[str, dict[str, Any]] = {
    "functools": {
        "update_wrapper": _update_wrapper, "wraps": _wraps, "total_ordering": _total_ordering,
    },
}


def _names(module: types.ModuleType, spec: tuple[str, ...] | None) -> list[str]:
    if spec is None:
        return [n for n in dir(module) if not n.startswith("_")]
    return list(module.__all__)


def _build(name: str) -> SafeModule:
    real = importlib.import_module(name)
    safe = SafeModule(name, real.__doc__)
    left_out = _LEFT_OUT.get(name, set())
    replaced = _REPLACED.get(name, {})
    for attr in _names(real, AUDITED[name]):
        if attr in left_out:
            continue
        value = replaced.get(attr, getattr(real, attr))
        if isinstance(value, types.ModuleType):
            continue
        setattr(safe, attr, value)
    return safe


@functools.cache
def facade(name: str) -> SafeModule:
    """The audited stand-in for module ``name`` (a key of :data:`AUDITED`), built once.

    A package's audited submodules are attributes of it (``collections.abc``).
    """
    safe = _build(name)
    prefix = name + "."
    for sub in AUDITED:
        if sub.startswith(prefix) and "." not in sub[len(prefix):]:
            setattr(safe, sub[len(prefix):], facade(sub))
    return safe
