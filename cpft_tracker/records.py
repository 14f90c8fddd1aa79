"""Small value classes without ``dataclasses``: equality, repr and a changed copy from ``__slots__``.

Why (issue 10, bench/NOTES.md "progress start-up"): ``import dataclasses`` imports ``inspect``
(and with it ``ast``, ``dis``, ``tokenize``) and costs ~10 ms of CPU, a fifth of what the plain
stdlib yardstick spends on the whole of ``progress --format json``. The classes every read
command loads (the store's ``Filters``, ``PlanSort``, ``Change``, ...) subclass ``Record``
instead: each lists its fields, in order, in ``__slots__`` and writes its ``__init__``; this
gives what the dataclass did: ``==`` between two of the same class, field by field (and so
no hash, as a dataclass with ``eq``), a repr of the same text (``Filters(status=[], owner=None,
...)``: the kept reminder selection is keyed by it) and ``replace`` (``dataclasses.replace``).
``FrozenRecord`` is the frozen kind: no assignment after ``__init__``, and a hash.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported to run: ~4 ms of every command's start
    from typing import Any, Self


class Record:
    """A value: its fields are ``__slots__``, in order (a subclass writes its ``__init__``)."""

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__ or not isinstance(other, Record):
            return NotImplemented
        return self._values() == other._values()

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__qualname__}({values})"

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` (field names), as ``dataclasses.replace`` makes one."""
        unknown = set(changes) - set(self.__slots__)
        if unknown:
            raise TypeError(f"{type(self).__qualname__} has no field {sorted(unknown)[0]!r}")
        values = {name: getattr(self, name) for name in self.__slots__}
        values.update(changes)
        return type(self)(**values)


class FrozenRecord(Record):
    """A value that cannot change once made (``__init__`` sets fields with ``_set``); hashable."""

    __slots__ = ()

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:
        return hash(self._values())
