"""What the store hands back and takes: results of changes and imports, and the shared filters.

Backend-neutral: no SQL here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Change:
    """One field of one action changed (or that would change)."""

    ref: str
    field: str
    old: str | None
    new: str | None


@dataclass
class ImportResult:
    """What an import did (or, with --dry-run, would do)."""

    report: str
    report_created: bool
    added: list[dict[str, Any]] = field(default_factory=list)
    already_there: list[dict[str, Any]] = field(default_factory=list)
    back_in_source: list[dict[str, Any]] = field(default_factory=list)
    no_longer_in_source: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Filters:
    """The filters that ``list`` and ``export`` share."""

    status: list[str] = field(default_factory=list)
    owner: str | None = None
    unassigned: bool = False
    overdue_on: str | None = None  # ISO date: actions overdue on that day
    due_before: str | None = None  # ISO date, exclusive
    report: str | None = None
    quality_statement: str | None = None
    include_retired: bool = True
