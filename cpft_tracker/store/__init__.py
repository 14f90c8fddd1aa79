"""The only package that opens the database: location, schema migrations, reads and audited writes.

Every change to an action is one SQLite transaction (``BEGIN IMMEDIATE``, so writers
queue behind each other instead of failing) that also appends an event to the audit
trail: who, when (UTC), which field, old value, new value, note. Nothing is deleted:
triggers refuse DELETE on actions and reports and any change to an event.

Where each job lives (each class adds one job to the one before it:
``StoreConnection`` -> ``PlanViews`` -> ``PlanReads`` -> ``AuditedWrites`` -> ``PlanLoading``
-> ``AuditReads`` -> ``Store``):

- ``connection.py``: where the database is, opening it, migrations, the write transaction
  and the read snapshot;
- ``sqlite_dialect.py``: the SQLite-specific SQL: schema and migrations (with triggers),
  placeholders, the write lock, upsert, NOCASE, list parameters, casefold, the grouped
  query that relies on SQLite's min() rule. A PostgreSQL backend replaces this module and
  ``connection.py``;
- ``views.py``: the plan now or as it stood at a date, one query: streamed, counted,
  and its progress figures counted in SQL;
- ``reads.py``: one action by reference, history, reports, owners, settings;
- ``writes.py``: audited writes, every one through ``_set`` (one transaction, one event a field);
- ``loading.py``: import of extracted requirements, and plan files applied in one go;
- ``audit.py``: the audit trail read whole, its chain head and the rows ``check`` replays it
  against; ``chain.py``: the hash chain that makes the trail tamper-evident (pure);
- ``interface.py``: ``PlanStore``, the interface a second backend implements, and the
  results and filters every backend shares;
- ``values.py``: the clock, who is acting, checked names and email addresses.

``Store`` below is the whole of it.
"""

from __future__ import annotations

from cpft_tracker.store.audit import AuditReads
from cpft_tracker.store.connection import (
    APP_NAME,
    BUSY_TIMEOUT_MS,
    SQLITE_HEADER,
    default_db_path,
    resolve_db_path,
    side_file_advice,
    sole_use,
    translate_sqlite_error,
    unwritable_side_file,
)
from cpft_tracker.store.interface import (
    SORT_FIELDS,
    Change,
    Filters,
    ImportResult,
    PlanSort,
    PlanStore,
)
from cpft_tracker.store.sqlite_dialect import MIGRATION_SET, MIGRATIONS, SCHEMA_VERSION
from cpft_tracker.store.values import check_email, clean_name, derive_prefix, now_utc, who
from cpft_tracker.store.views import ACTION_COLUMNS, ACTION_FIELDS, ACTION_FROM

__all__ = [
    "ACTION_COLUMNS",
    "ACTION_FIELDS",
    "ACTION_FROM",
    "APP_NAME",
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "MIGRATION_SET",
    "SCHEMA_VERSION",
    "SORT_FIELDS",
    "SQLITE_HEADER",
    "Change",
    "Filters",
    "ImportResult",
    "PlanSort",
    "PlanStore",
    "Store",
    "check_email",
    "clean_name",
    "default_db_path",
    "derive_prefix",
    "now_utc",
    "resolve_db_path",
    "side_file_advice",
    "sole_use",
    "translate_sqlite_error",
    "unwritable_side_file",
    "who",
]


class Store(AuditReads):
    """An open action-plan database (SQLite): opening, reads, audited writes, import and plan load."""


TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    _: type[PlanStore] = Store  # mypy checks that Store implements the whole interface
