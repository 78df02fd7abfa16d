"""Checking raw entries against the model. The only module that imports pydantic, and only when it has to.

`validate` is the one way raw data becomes a model object, and pydantic defines what passes. Building
pydantic's validator for a model costs more than a one-paper `add` or `edit` spends on everything else
(importing its schema machinery and plugin loader, then generating the schema: ~60 ms). So a mapping that
is plainly valid takes a short way first: exactly the model's fields, each value exactly of the type its
annotation names (a str, an int, a list or tuple of them, a table for a nested model, None where allowed,
one of a Literal's values), then the very `Rule` checks attached to the fields, in their order. Whatever
the short way is not sure of (another type, an unknown or missing field, a rule that fails) goes to pydantic,
which gives every error. The short way only ever accepts a subset of what pydantic accepts, as the same
object; tests/test_validation_short_way.py checks that on random valid and broken entries.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pydantic import TypeAdapter

T = TypeVar("T")


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


def validate(model: type[T], data: Any) -> tuple[T | None, list[FieldError]]:
    """The validated object, or None and one FieldError per problem (all of them, not the first)."""
    short = _short_way(model) if model not in _ADAPTERS else None
    if short is not None:
        _SHORT_USES[model] = uses = _SHORT_USES.get(model, 0) + 1
        try:
            value = short(data)
        except _NotSure:
            pass
        else:
            if uses >= SHORT_WAY_USES:  # a bulk load: from here on pydantic's validator is the cheaper way
                _adapter(model)
            return value, []
    return _by_pydantic(model, data)


def _by_pydantic(model: type[T], data: Any) -> tuple[T | None, list[FieldError]]:
    from pydantic import ValidationError

    try:
        return _adapter(model).validate_python(data), []
    except ValidationError as exc:
        return None, [FieldError(_field_path(e["loc"]), _describe(e)) for e in exc.errors()]


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(model: type) -> TypeAdapter[Any]:
    from pydantic import TypeAdapter

    if model not in _ADAPTERS:
        _ADAPTERS[model] = TypeAdapter(model)
    return _ADAPTERS[model]


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _describe(error: Any) -> str:
    kind = error["type"]
    if kind in ("missing", "missing_argument"):
        return "required field is missing"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return "unknown field"
    if kind == "dataclass_type":
        return "must be a table"
    message: str = error["msg"]
    return message.removeprefix("Value error, ")


# -- the short way ------------------------------------------------------------------------------------------


class _NotSure(Exception):
    """The short way cannot vouch for this value: pydantic decides."""


Check = Callable[[Any], Any]  # the value as the model holds it, or raises _NotSure
_SHORT: dict[type, Check | None] = {}
_SHORT_USES: dict[type, int] = {}
# The short way takes ~25% longer per entry than pydantic's built validator (~30 us against ~24 us for a
# paper with a 1 KB note): after this many entries of a model, building pydantic's (~60 ms) pays.
SHORT_WAY_USES = 1000


def _short_way(model: type) -> Check | None:
    """The short check of `model`'s mappings, or None when its annotations hold a form it does not know."""
    if model not in _SHORT:
        _SHORT[model] = None  # a model that (indirectly) contains itself gets no short way
        _SHORT[model] = _model_check(model)
    return _SHORT[model]


def _model_check(model: type) -> Check | None:
    if not dataclasses.is_dataclass(model):
        return None
    try:
        hints = typing.get_type_hints(model, include_extras=True)
    except (NameError, TypeError):  # an annotation that does not resolve at run time: pydantic's to handle
        return None
    checks: dict[str, Check] = {}
    required: set[str] = set()
    for field in dataclasses.fields(model):
        check = _check_for(hints[field.name])
        if check is None or not field.init:
            return None
        checks[field.name] = check
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            required.add(field.name)

    def check_model(data: Any) -> Any:
        if type(data) is not dict or not required <= data.keys() or not data.keys() <= checks.keys():
            raise _NotSure
        return model(**{key: checks[key](value) for key, value in data.items()})

    return check_model


def _check_for(annotation: Any) -> Check | None:
    from papercli.models import Rule, Strict

    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        base = _check_for(args[0])
        if base is None or not all(isinstance(mark, (Rule, Strict)) for mark in args[1:]):
            return None
        rules = [mark.check for mark in args[1:] if isinstance(mark, Rule)]
        return lambda value: _ruled(base(value), rules)
    if annotation in (str, int):
        return lambda value: value if type(value) is annotation else _not_sure()
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = _check_for(next(arg for arg in args if arg is not type(None)))
        if inner is None:
            return None
        return lambda value: None if value is None else inner(value)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _check_for(args[0])
        if item is None:
            return None
        return lambda value: tuple(item(v) for v in value) if type(value) in (list, tuple) else _not_sure()
    if origin is typing.Literal and all(type(arg) is str for arg in args):
        return lambda value: value if type(value) is str and value in args else _not_sure()
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        return _short_way(annotation)
    return None


def _ruled(value: Any, rules: list[Callable[[Any], Any]]) -> Any:
    try:
        for rule in rules:
            value = rule(value)
    except (ValueError, AssertionError):
        raise _NotSure from None  # pydantic words the error
    return value


def _not_sure() -> Any:
    raise _NotSure
