"""Which refusals a function can raise, read from the source of everything it calls in `app`.

Conservative on purpose: a `raise` anywhere in a reachable function counts,
whether or not some caller catches it; a function handed to a call as an
argument counts as called; and a method called on a value whose class cannot
be named counts every `app` method of that name. A declaration
that is too wide is harmless; one that misses a refusal is what this finds.
"""

import ast
import inspect
import sys
import textwrap
from collections.abc import Callable, Iterator
from functools import cache
from types import FunctionType, ModuleType
from typing import Any

from app.domain.errors import Refusal

APP = "app."


def _app_modules() -> list[ModuleType]:
    return [module for name, module in sys.modules.items() if name.startswith(APP) and module is not None]


@cache
def _methods_named(name: str) -> tuple[FunctionType, ...]:
    found: list[FunctionType] = []
    for module in _app_modules():
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__:
                method = vars(value).get(name)
                if isinstance(method, (staticmethod, classmethod)):
                    method = method.__func__
                if isinstance(method, FunctionType):
                    found.append(method)
    return tuple(found)


def _resolve(node: ast.expr, namespace: dict[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, namespace)
        return getattr(base, node.attr, None) if base is not None else None
    return None


def _functions_of(value: Any) -> Iterator[FunctionType]:
    """The app functions a call of `value` runs: itself, or a class's constructor."""
    value = inspect.unwrap(value) if callable(value) else value
    if isinstance(value, FunctionType) and value.__module__.startswith(APP):
        yield value
    elif isinstance(value, type) and value.__module__.startswith(APP) and not issubclass(value, BaseException):
        for name in ("__init__", "__post_init__"):
            method = vars(value).get(name)
            if isinstance(method, FunctionType):
                yield method


def _is_refusal(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, Refusal) and value is not Refusal


class RefusalGraph:
    def __init__(self) -> None:
        self._direct: dict[FunctionType, tuple[set[type[Refusal]], set[FunctionType]]] = {}

    def _read(self, function: FunctionType) -> tuple[set[type[Refusal]], set[FunctionType]]:
        if function in self._direct:
            return self._direct[function]
        raised: set[type[Refusal]] = set()
        called: set[FunctionType] = set()
        self._direct[function] = (raised, called)
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
        except (OSError, TypeError):
            return raised, called
        namespace = dict(function.__globals__)
        owner = self._owner(function)
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and node.exc is not None:
                target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                value = _resolve(target, namespace)
                if _is_refusal(value):
                    raised.add(value)
            elif isinstance(node, ast.Call):
                called.update(self._callees(node.func, namespace, owner))
                for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                    if isinstance(argument, (ast.Name, ast.Attribute)):  # a function handed on to be called
                        called.update(_functions_of(_resolve(argument, namespace)))
        return raised, called

    @staticmethod
    def _owner(function: FunctionType) -> type | None:
        parts = function.__qualname__.split(".")
        if len(parts) < 2 or parts[-2] == "<locals>":
            return None
        owner = function.__globals__.get(parts[-2])
        return owner if isinstance(owner, type) else None

    @staticmethod
    def _callees(func: ast.expr, namespace: dict[str, Any], owner: type | None) -> set[FunctionType]:
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
            method = getattr(owner, func.attr, None) if owner is not None else None
            return set(_functions_of(method)) if method is not None else set(_methods_named(func.attr))
        value = _resolve(func, namespace)
        if value is not None:
            return set(_functions_of(value))
        if isinstance(func, ast.Attribute):
            return set(_methods_named(func.attr))
        return set()

    def callees(self, function: Callable[..., Any]) -> set[FunctionType]:
        """The app functions `function` calls directly."""
        start = inspect.unwrap(function)
        assert isinstance(start, FunctionType), function
        return set(self._read(start)[1])

    def refusals(self, entry: Callable[..., Any]) -> set[type[Refusal]]:
        """Every refusal raised by `entry` or anything it calls."""
        start = inspect.unwrap(entry)
        assert isinstance(start, FunctionType), entry
        seen: set[FunctionType] = set()
        pending = [start]
        found: set[type[Refusal]] = set()
        while pending:
            function = pending.pop()
            if function in seen:
                continue
            seen.add(function)
            raised, called = self._read(function)
            found |= raised
            pending.extend(called - seen)
        return found
