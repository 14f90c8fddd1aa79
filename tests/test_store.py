"""The database: migrations, the append-only audit trail, nothing deleted."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from cpft_tracker.errors import DatabaseMissing, DatabaseProblem, RuleBroken
from cpft_tracker.extract import Requirement
from cpft_tracker.store import MIGRATIONS, SCHEMA_VERSION, Store, derive_prefix
from tests.conftest import db_write_behind_the_tools_back, is_pg

TABLES_SQL = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type='table'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
}
MIGRATIONS_TABLE = {"sqlite": "_sqlite_migrations", "postgresql": "_cpft_migrations"}
# a change the database itself refuses: sqlite3's error, or on PostgreSQL the store's one line
REFUSED = (sqlite3.DatabaseError, DatabaseProblem)


def req(text: str, position: int = 1) -> Requirement:
    return Requirement(
        text=text,
        context=text,
        section=None,
        line=position,
        position=position,
        keyword="must",
        matched="must",
        title=text[:80],
        quality_statement=None,
    )


def test_migrations_from_blank(db_path: Path) -> None:
    store = Store.open(db_path, create=True)
    assert store.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
    tables = {r[0] for r in store.conn.execute(TABLES_SQL[store.backend])}
    assert {"reports", "actions", "owners", "events", MIGRATIONS_TABLE[store.backend]} <= tables
    store.close()
    again = Store.open(db_path)  # opening again applies nothing and fails nothing
    assert again.schema_version == SCHEMA_VERSION


def test_read_open_refuses_to_create(db_path: Path) -> None:
    with pytest.raises(DatabaseMissing):
        Store.open(db_path)
    assert not db_path.exists()


def test_foreign_database_is_refused(new_plan_location: Any) -> None:
    other = new_plan_location("other.db")
    db_write_behind_the_tools_back(other, "CREATE TABLE budgets (id INTEGER)")
    assert is_pg(other) or other.exists()
    with pytest.raises(DatabaseProblem, match="not a cpft-tracker one"):
        Store.open(other)


def test_audit_trail_is_append_only_and_actions_are_never_deleted(db_path: Path) -> None:
    store = Store.open(db_path, create=True)
    store.import_report(
        name="R",
        prefix="R",
        requirements=[req("The trust must act.")],
        source_file="r.txt",
        source_sha256="x",
        by="Lead",
    )
    with pytest.raises(REFUSED, match="audit trail cannot be changed"):
        store.conn.execute("DELETE FROM events")
    with pytest.raises(REFUSED, match="audit trail cannot be changed"):
        store.conn.execute("UPDATE events SET by = 'someone else'")
    with pytest.raises(REFUSED, match="never deleted"):
        store.conn.execute("DELETE FROM actions")


def test_a_failed_bulk_change_leaves_no_partial_change(db_path: Path) -> None:
    store = Store.open(db_path, create=True)
    store.import_report(
        name="R",
        prefix="R",
        requirements=[req("The trust must act.", 1), req("Leaders must lead.", 2)],
        source_file="r.txt",
        source_sha256="x",
        by="Lead",
    )
    store.add_evidence("R-01", "minutes", by="Lead")
    events_before = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    with pytest.raises(RuleBroken):
        store.set_status(["R-01", "R-02"], "complete", by="Lead")  # R-02 has no evidence
    assert [a["status"] for a in store.actions()] == ["not-started", "not-started"]
    assert store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == events_before


def test_every_change_is_an_event_with_who_when_old_and_new(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(db_path, create=True)
    store.import_report(
        name="R",
        prefix="R",
        requirements=[req("The trust must act.")],
        source_file="r.txt",
        source_sha256="x",
        by="Lead",
    )
    monkeypatch.setenv("CPFT_TRACKER_NOW", "2026-02-01T10:00:00Z")
    store.set_due(["r-01"], "2026-03-31", by="Ann", note="agreed at QSC")
    store.set_due(["R-01"], "2026-04-30", by="Ben")
    events = store.history("R-01")
    assert (events[0]["field"], events[0]["old"], events[0]["new"], events[0]["by"]) == (
        "due",
        "2026-03-31",
        "2026-04-30",
        "Ben",
    )
    assert (events[1]["old"], events[1]["new"], events[1]["note"], events[1]["at"]) == (
        None,
        "2026-03-31",
        "agreed at QSC",
        "2026-02-01T10:00:00.000000Z",
    )
    # setting the same value again records nothing
    assert store.set_due(["R-01"], "2026-04-30", by="Ben") == []
    assert len(store.history("R-01")) == len(events)


def test_importing_a_file_without_requirements_creates_no_report(db_path: Path) -> None:
    store = Store.open(db_path, create=True)
    result = store.import_report(
        name="Empty", requirements=[], source_file="e.txt", source_sha256="x", by="L"
    )
    assert result.added == [] and store.reports() == []


@pytest.mark.parametrize(
    ("name", "prefix"),
    [
        (
            "Cambridgeshire and Peterborough NHS Foundation Trust — Report from 17 July 2025 assessment",
            "CPFT",
        ),
        ("Sunnyside Care Home", "SCH"),
        ("acute wards 2026", "AW"),
        ("x", "ACT"),
    ],
)
def test_reference_prefixes(name: str, prefix: str) -> None:
    assert derive_prefix(name) == prefix


def test_prefixes_stay_unique_across_reports(db_path: Path) -> None:
    store = Store.open(db_path, create=True)
    for name in ("Sunnyside Care Home", "Sunnyside Care House"):
        store.import_report(
            name=name,
            requirements=[req("The home must act.")],
            source_file="r.txt",
            source_sha256=name,
            by="L",
        )
    assert [a["ref"] for a in store.actions()] == ["SCH-01", "SCH2-01"]
