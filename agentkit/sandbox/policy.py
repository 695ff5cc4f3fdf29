"""What a sandboxed program may do: RestrictedPython compilation plus guarded builtins.

This module is imported by the parent (for :func:`static_errors`) *and* loaded by file path in
the child process, so it must import nothing but the standard library and RestrictedPython
(importing ``agentkit`` would pull in langgraph, numpy and friends into every child).
"""

from __future__ import annotations

import ast
import builtins
import operator
import re
import types
from collections import UserString
from collections.abc import Callable, Iterable
from typing import Any

from RestrictedPython import compile_restricted_exec, limited_builtins, safe_builtins
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
    safer_getattr_raise,
)

__all__ = [
    "PROGRAM_FILENAME",
    "PROGRAM_MODULE",
    "PrimitiveError",
    "PrintSink",
    "compile_program",
    "error_line",
    "make_globals",
    "static_errors",
]

PROGRAM_FILENAME = "<program>"
"""Pseudo-filename of the compiled program; tracebacks are filtered on it for line numbers."""

PROGRAM_MODULE = "__program__"
"""``__name__`` of the program; classes it defines carry it, which lets them be written to."""

_LINE_RE = re.compile(r"^[Ll]ine (\d+):\s*")


class PrimitiveError(Exception):
    """Raised inside the program when a primitive failed in the parent (or was refused)."""


def error_line(message: str) -> int | None:
    """Line number at the start of a RestrictedPython/static error message, if any."""
    m = _LINE_RE.match(message)
    return int(m.group(1)) if m else None


def _normalise(message: str) -> str:
    """RestrictedPython says ``Line 3: ...``; the sandbox reports ``line 3: ...`` everywhere."""
    return _LINE_RE.sub(lambda m: f"line {m.group(1)}: ", message, count=1)


def _refusal(name: str, allowed: Iterable[str]) -> str:
    return f"import of {name!r} is not allowed (allowed: {', '.join(allowed) or 'none'})"


def _module_allowed(name: str, allowed: Iterable[str]) -> bool:
    return any(name == a or name.startswith(a + ".") for a in allowed)


def _import_errors(tree: ast.AST, allowed: tuple[str, ...]) -> list[str]:
    errors = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = ["." * node.level + (node.module or "")]
        else:
            continue
        for name in names:
            if not _module_allowed(name, allowed):
                errors.append(f"line {node.lineno}: {_refusal(name, allowed)}")
    return errors


def compile_program(code: str) -> tuple[types.CodeType | None, list[str]]:
    """RestrictedPython-compile ``code``; returns (bytecode or None, errors with ``line N:``)."""
    result = compile_restricted_exec(code, filename=PROGRAM_FILENAME)
    errors = [_normalise(e) for e in result.errors]
    return (None if errors else result.code), errors


def static_errors(code: str, allowed_modules: tuple[str, ...]) -> list[str]:
    """Compile errors and disallowed imports, found without running anything."""
    _, errors = compile_program(code)
    try:
        tree = ast.parse(code, PROGRAM_FILENAME)
    except SyntaxError:
        return errors  # already reported by the compile step
    return errors + _import_errors(tree, allowed_modules)


class PrintSink:
    """One bounded buffer for every ``print`` in the program.

    RestrictedPython creates a fresh ``_print_`` collector per function scope; routing them all
    here keeps the output in order and caps memory at ``limit`` characters.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0
        self.truncated = False

    def write(self, text: str) -> None:
        room = self.limit - self.size
        if room <= 0:
            self.truncated = self.truncated or bool(text)
            return
        if len(text) > room:
            text, self.truncated = text[:room], True
        self.parts.append(text)
        self.size += len(text)

    def text(self) -> str:
        return "".join(self.parts)

    def collector(self, _getattr_: Any = None) -> _Collector:
        return _Collector(self)


class _Collector:
    """What RestrictedPython's ``_print_(_getattr_)`` returns: the object behind ``print``."""

    def __init__(self, sink: PrintSink) -> None:
        self._sink = sink

    def write(self, text: str) -> None:
        self._sink.write(text)

    def __call__(self) -> str:  # the ``printed`` name
        return self._sink.text()

    def _call_print(self, *objects: Any, **kwargs: Any) -> None:
        kwargs["file"] = self  # print(file=...) could otherwise reach any object with .write
        print(*objects, **kwargs)


Facade = Callable[[str], types.ModuleType]
"""Name -> audited stand-in module (``_facades.facade``); its names say which are audited."""


class _ModuleGuard:
    """Which module objects a program may hold: audited stand-ins, and real modules only for
    names the caller allowed that have no stand-in (e.g. ``os`` added on purpose)."""

    def __init__(self, allowed: tuple[str, ...], facade: Facade | None, audited: Any) -> None:
        self.allowed = allowed
        self.facade = facade
        self.audited = frozenset(audited or ())

    def module(self, name: str) -> types.ModuleType:
        if self.facade is not None and name in self.audited:
            return self.facade(name)
        return builtins.__import__(name, None, None, (), 0)

    def check(self, value: Any, what: str) -> Any:
        if isinstance(value, types.ModuleType) and not self.permits(value):
            name = getattr(value, "__name__", "?")
            raise AttributeError(f"{what}: {_refusal(name, self.allowed)}")
        return value

    def permits(self, module: types.ModuleType) -> bool:
        name = module.__name__
        if self.facade is not None and name in self.audited:
            return module is self.facade(name)
        return _module_allowed(name, self.allowed) and name not in self.audited


def _formats_strings(obj: Any, name: Any) -> bool:
    """``collections.UserString(...).format`` is ``str.format`` on the wrapped string (field
    paths like ``{0.__globals__}``), but no ``str``, so ``safer_getattr`` lets it through."""
    return name in ("format", "format_map") and (
        isinstance(obj, UserString) or (isinstance(obj, type) and issubclass(obj, UserString))
    )


def _guarded_getattr(guard: _ModuleGuard) -> Callable[..., Any]:
    """``safer_getattr`` (no ``_x``, no frames, no ``str.format``, nor ``UserString``'s) that
    also refuses to hand out modules other than the audited stand-ins (``json.codecs``,
    ``re.copyreg``)."""

    def getattr_(obj: Any, name: str, *default: Any) -> Any:
        if _formats_strings(obj, name):
            raise NotImplementedError("Using the format*() methods of `UserString` is not safe")
        value = safer_getattr(obj, name, *default) if default else safer_getattr_raise(obj, name)
        return guard.check(value, repr(name))

    return getattr_


def _guarded_getitem(guard: _ModuleGuard) -> Callable[[Any, Any], Any]:
    """``obj[index]`` that never returns a module (``sys.modules["os"]`` and friends)."""

    def getitem(obj: Any, index: Any) -> Any:
        return guard.check(obj[index], "item")

    return getitem


class _GuardedIterator:
    """Iteration that refuses module items, like item access does."""

    __slots__ = ("_guard", "_it")

    def __init__(self, it: Any, guard: _ModuleGuard) -> None:
        self._it = it
        self._guard = guard

    def __iter__(self) -> _GuardedIterator:
        return self

    def __next__(self) -> Any:
        return self._guard.check(next(self._it), "item")


def _guarded_iter(guard: _ModuleGuard) -> Callable[[Any], Any]:
    def getiter(obj: Any) -> Any:
        return _GuardedIterator(iter(obj), guard)

    return getiter


def _guarded_import(guard: _ModuleGuard) -> Callable[..., Any]:
    """``__import__`` that resolves only absolute imports of allowed modules, each as its
    audited stand-in where there is one."""
    allowed = guard.allowed

    def import_(
        name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0
    ) -> Any:
        if level != 0 or not _module_allowed(name, allowed):
            raise ImportError(_refusal("." * level + name, allowed))
        top = name.split(".")[0]
        if guard.facade is not None and top in guard.audited:
            if name not in guard.audited:
                raise ImportError(f"module {name!r} is not available in the sandbox")
            module = guard.module(name if fromlist else top)
        else:
            module = builtins.__import__(name, None, None, fromlist, 0)
        for item in fromlist or ():
            guard.check(getattr(module, item, None), repr(item))
        return module

    return import_


def _write_guard(obj: Any) -> Any:
    """Allow attribute writes on instances of classes the program defined; else RestrictedPython's
    ``full_write_guard`` (dicts and lists only)."""
    if getattr(type(obj), "__module__", None) == PROGRAM_MODULE:
        return obj
    return full_write_guard(obj)


_INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "**=": operator.ipow,
    "<<=": operator.ilshift, ">>=": operator.irshift, "&=": operator.iand,
    "|=": operator.ior, "^=": operator.ixor, "@=": operator.imatmul,
}


def _inplacevar(op: str, target: Any, value: Any) -> Any:
    return _INPLACE[op](target, value)


def _apply(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


# Plain-data helpers RestrictedPython leaves out only because they iterate in C past
# ``_getiter_``; our ``_getiter_`` is plain ``iter`` (no per-object permissions), so they add no
# reach.  ``range`` is the unlimited builtin: the CPU and wall-clock limits bound loops instead.
_DATA_BUILTINS = (
    "list", "dict", "tuple", "set", "frozenset", "sorted", "reversed", "enumerate", "zip",
    "min", "max", "sum", "any", "all", "map", "filter", "range", "iter", "next", "round",
    "bytes", "NotImplemented",
)


def make_globals(
    allowed_modules: tuple[str, ...],
    primitives: dict[str, Callable[..., Any]],
    sink: PrintSink,
    facade: Facade | None = None,
    audited: Iterable[str] = (),
) -> dict[str, Any]:
    """The namespace a program runs in: guarded builtins, guards, primitives, no I/O.

    ``facade`` builds the audited stand-in of each module named in ``audited``; without
    it, imports give real modules (only for callers that trust the code).
    """
    guard = _ModuleGuard(allowed_modules, facade, audited)
    getattr_ = _guarded_getattr(guard)
    safe = dict(safe_builtins)
    safe.update(limited_builtins)
    safe.update({name: getattr(builtins, name) for name in _DATA_BUILTINS})
    safe.update(
        __import__=_guarded_import(guard),
        getattr=getattr_,
        hasattr=lambda obj, name: _hasattr(getattr_, obj, name),
        PrimitiveError=PrimitiveError,
    )
    glb: dict[str, Any] = {
        "__builtins__": safe,
        "__name__": PROGRAM_MODULE,
        "__metaclass__": type,
        "_getattr_": getattr_,
        "_getitem_": _guarded_getitem(guard),
        "_getiter_": _guarded_iter(guard),
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_write_": _write_guard,
        "_inplacevar_": _inplacevar,
        "_apply_": _apply,
        "_print_": sink.collector,
    }
    glb.update(primitives)
    return glb


def _hasattr(getattr_: Callable[..., Any], obj: Any, name: str) -> bool:
    try:
        getattr_(obj, name)
    except AttributeError:
        return False
    return True
