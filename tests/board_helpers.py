"""Helpers for the board tests (progress, as-of, exports, plan files): build a plan step by step.

Actions are made through ``Store.import_report`` with our own requirements, so the tests do
not depend on what the extractor finds in the bundled report.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from cpft_tracker.extract import Requirement
from cpft_tracker.store import Store

GOV = "Governance, management and sustainability"
FTSU = "Freedom to speak up"
LEARN = "Learning, improvement and innovation"


def at(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    """Set the audit clock (CPFT_TRACKER_NOW) for the next changes: 'YYYY-MM-DDTHH:MM:SSZ'."""
    monkeypatch.setenv("CPFT_TRACKER_NOW", when)


def open_store(db: Path) -> Store:
    """The test database, created if needed."""
    return Store.open(db, create=True)


def add_report(
    store: Store, prefix: str, items: Sequence[tuple[str, str | None]], *, name: str | None = None
) -> list[str]:
    """Import a report with one action per (title, quality statement); returns the refs."""
    reqs = [
        Requirement(
            text=f"The trust must {title.lower()} ({prefix} {i}).",
            context=f"Context for {title}.",
            section="Well-led",
            line=i,
            position=i,
            keyword="must",
            matched="must",
            title=title,
            quality_statement=qs,
        )
        for i, (title, qs) in enumerate(items, start=1)
    ]
    result = store.import_report(
        name=name or f"Report {prefix}",
        requirements=reqs,
        source_file=f"{prefix.lower()}.txt",
        source_sha256=prefix,
        by="Test Lead",
        prefix=prefix,
    )
    return [item["ref"] for item in result.added]


def dump(store: Store) -> dict[str, Any]:
    """Everything a user could see change: actions, owners, settings and the audit trail."""
    conn = store.conn
    return {
        table: [tuple(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1")]  # noqa: S608
        for table in ("actions", "owners", "events", "settings", "reports")
    }


def as_json(text: str) -> Any:
    """Parse JSON output (fails loudly with the text when it is not JSON)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:  # pragma: no cover - shown only on failure
        raise AssertionError(f"not JSON: {text!r}") from exc
