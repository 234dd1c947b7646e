"""Frozen dataclass records built in the hot loops without their generated `__init__`."""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")
_new = object.__new__


def build(cls: type[T], **fields: Any) -> T:
    """`cls(**fields)` for a frozen dataclass (no `__post_init__`, no slots) given every
    field by name: the generated `__init__` sets each field through `object.__setattr__`
    (to get past the frozen guard), a call per field on top of the class call itself;
    here one dict update fills the instance, which stays as frozen as before. Fields are
    given in their declared order, so `vars()` reads as the generated one leaves it."""
    obj = _new(cls)
    obj.__dict__.update(fields)
    return obj
