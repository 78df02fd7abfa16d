"""Checking raw entries against the model with pydantic. The only module that imports pydantic, and
only loading a catalog from its source (not from its index) imports it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

T = TypeVar("T")


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


def validate(model: type[T], data: Any) -> tuple[T | None, list[FieldError]]:
    """The validated object, or None and one FieldError per problem (all of them, not the first)."""
    try:
        return _adapter(model).validate_python(data), []
    except ValidationError as exc:
        return None, [FieldError(_field_path(e["loc"]), _describe(e)) for e in exc.errors()]


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(model: type) -> TypeAdapter[Any]:
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
