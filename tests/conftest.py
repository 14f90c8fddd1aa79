"""Shared fixtures: every test gets its own database file and a fixed user name."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_REPORT = ROOT / "data" / "cqc-cpft-well-led-assessment-2025-07-17.txt"
BUNDLED_PRESS_RELEASE = ROOT / "data" / "cqc-cpft-press-release-2025.txt"


# ``CPFT_TEST_BACKEND=postgresql`` (``make test-postgresql``): every test's plan is a PostgreSQL
# database on a private server (tests/pg_server.py) instead of an SQLite file; the tests about
# the SQLite file itself are marked ``@pytest.mark.sqlite_only(reason=...)`` and skipped there.
PG_MODE = os.environ.get("CPFT_TEST_BACKEND") == "postgresql"


def pytest_configure(config: pytest.Config) -> None:
    # A person's Ctrl-C: the tests that press it send SIGINT to a cpft-tracker they started.
    # When the suite itself was started in the background by a shell without job control (as a
    # CI runner may start .ci/run), SIGINT is ignored and every child inherits that, so the
    # command, as it should under nohup, ignores Ctrl-C too and the tests would see it run on.
    # A terminal user's commands start with Ctrl-C live: give the suite's processes that start.
    import signal

    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): about the SQLite file itself (its bytes, modes, -wal/-shm, raw "
        "sqlite3 access); skipped with CPFT_TEST_BACKEND=postgresql",
    )


@pytest.fixture(autouse=True)
def _ctrl_c_stays_live() -> Iterator[None]:
    """After each test, Ctrl-C is live again in this process. ``cli.main()`` ends by ignoring
    SIGINT (a finished command must not exit as "killed" while Python shuts down); a test that
    runs main() in-process would otherwise leave this worker ignoring it, and every command a
    later test starts would inherit that and run on through the Ctrl-C it is sent."""
    yield
    import signal

    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        signal.signal(signal.SIGINT, signal.default_int_handler)


# The files that take longest (tens of seconds to minutes: large plans killed mid-change, many
# real processes at once) run first: with ``make test``'s workers (pytest-xdist, a file per
# worker, handed out in this order) they then overlap the many short files instead of
# being left running alone at the end.
LONGEST_FILES = (
    "test_robustness_crash.py",
    "test_postgresql.py",
    "test_robustness_concurrency.py",
    "test_evidence_ctrl_c.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest files first (``LONGEST_FILES``). On PostgreSQL: skip the ``sqlite_only``
    tests (with their reason), and leave out the SQLite half of the ``@both_backends`` tests
    (``make test`` runs it)."""

    def longest_first(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FILES.index(name) if name in LONGEST_FILES else len(LONGEST_FILES)

    items.sort(key=longest_first)  # stable: each file's tests keep their order
    if not PG_MODE:
        return
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("backend") == "sqlite":
            dropped.append(item)
            continue
        mark = item.get_closest_marker("sqlite_only")
        if mark is not None:
            reason = mark.kwargs.get("reason") or (mark.args[0] if mark.args else "")
            assert reason, f"{item.nodeid}: sqlite_only needs a reason"
            item.add_marker(pytest.mark.skip(reason=f"SQLite file only: {reason}"))
        kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def isolated_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Any]:
    """Point CPFT_TRACKER_DB at a fresh plan location and fix who/when so tests never touch a
    real plan. The plan's location: a file ``tracker.db`` in the test's folder, or (with
    ``CPFT_TEST_BACKEND=postgresql``) an empty PostgreSQL database (a ``PgDatabase``)."""
    db: Any = tmp_path / "tracker.db"
    if PG_MODE:
        server = request.getfixturevalue("pg_server")
        db = PgDatabase(server.fresh_database())
        # the URL carries no password (so messages show it exactly); libpq takes it from here
        monkeypatch.setenv("PGPASSWORD", server.password)
    monkeypatch.setenv("CPFT_TRACKER_DB", str(db))
    monkeypatch.setenv("CPFT_TRACKER_USER", "Test Lead")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    for name in list(os.environ):
        if name.startswith("CPFT_TRACKER_SMTP") or name in (
            "CPFT_TRACKER_TODAY",
            "CPFT_TRACKER_NOW",
        ):
            monkeypatch.delenv(name, raising=False)
    yield db


@pytest.fixture
def db_path(request: pytest.FixtureRequest, isolated_env: Any) -> Any:
    """The plan's location for this test: a file path on SQLite, a ``PgDatabase`` (a URL) on
    PostgreSQL (also for the PostgreSQL half of a ``@both_backends`` test)."""
    if "backend" in request.fixturenames:
        value = request.getfixturevalue("backend")
        if value.startswith("postgresql://"):
            return PgDatabase(value)
    return isolated_env


@pytest.fixture
def new_plan_location(tmp_path: Path, request: pytest.FixtureRequest) -> Any:
    """A factory for a second (third...) plan location of this test's backend:
    ``new_plan_location("other.db")`` is that file in the test's folder on SQLite, a new
    empty PostgreSQL database on PostgreSQL."""

    def make(name: str) -> Any:
        if PG_MODE:
            return PgDatabase(request.getfixturevalue("pg_server").new_database(password=False))
        return tmp_path / name

    return make


def is_pg(location: object) -> bool:
    """Whether a plan location (``db_path``) is a PostgreSQL database."""
    return isinstance(location, PgDatabase) or str(location).startswith("postgresql://")


def db_rows(location: Any, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of one read-only query (``?`` placeholders) on the plan at ``location``, either
    backend: what a test reads straight from the database to see what was stored."""
    if is_pg(location):
        return PgDatabase(str(location)).rows(sql, params)
    import sqlite3

    conn = sqlite3.connect(f"file:{location}?mode=ro", uri=True)
    try:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


def db_dicts(location: Any, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """Like ``db_rows``, each row a dict by column name."""
    if is_pg(location):
        return PgDatabase(str(location)).dicts(sql, params)
    import sqlite3

    conn = sqlite3.connect(f"file:{location}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


def db_count(location: Any, sql: str, params: tuple[Any, ...] = ()) -> int:
    """The one number a ``SELECT count(*) ...`` gives on the plan at ``location``."""
    return int(db_rows(location, sql, params)[0][0])


def db_execute(location: Any, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """One statement (``?`` placeholders) straight on the plan at ``location``, committed, its
    rows returned: to plant data the CLI would refuse, as an old or edited database might."""
    if is_pg(location):
        return PgDatabase(str(location)).execute(sql, params)
    import sqlite3

    conn = sqlite3.connect(str(location))
    try:
        rows = [tuple(r) for r in conn.execute(sql, params).fetchall()]
        conn.commit()
        return rows
    finally:
        conn.close()


def migrations_table(location: Any) -> str:
    """The table the plan's applied migrations are recorded in, on its backend."""
    return "_cpft_migrations" if is_pg(location) else "_sqlite_migrations"


def raw_connection(location: Any) -> Any:
    """A connection of the plan's own backend, outside any command, that reads and writes
    like ``sqlite3``'s (``?`` placeholders, rows by index or name, ``BEGIN``/``COMMIT`` by
    hand): sqlite3 on a file, the store's own PgConnection on PostgreSQL."""
    if is_pg(location):
        from cpft_tracker.store import postgres

        return postgres.connect(postgres.DatabaseURL(str(location)))
    import sqlite3

    conn = sqlite3.connect(str(location), isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def begin_write(conn: Any) -> None:
    """Take the write lock on a ``raw_connection`` as the store does, and keep it."""
    if type(conn).__name__ == "PgConnection":
        conn.execute("BEGIN")
        conn.execute("LOCK TABLE events IN EXCLUSIVE MODE")
    else:
        conn.execute("BEGIN IMMEDIATE")


class WriteLockProbe:
    """Asks, as often as a test likes, whether some other process holds the plan's write lock
    right now (SQLite's ``BEGIN IMMEDIATE``; on PostgreSQL the store's ``LOCK TABLE events IN
    EXCLUSIVE MODE``), without waiting and without holding it."""

    def __init__(self, location: Any) -> None:
        self.pg = is_pg(location)
        if self.pg:
            self.conn: Any = PgDatabase(str(location))._connect()
        else:
            import sqlite3

            self.conn = sqlite3.connect(str(location), timeout=0, isolation_level=None)

    def held(self) -> bool:
        if self.pg:
            import psycopg.errors

            try:
                with self.conn.transaction():
                    self.conn.execute("LOCK TABLE events IN EXCLUSIVE MODE NOWAIT")
            except (psycopg.errors.LockNotAvailable, psycopg.errors.UndefinedTable):
                return True
            return False
        import sqlite3

        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return True
            raise
        self.conn.execute("ROLLBACK")
        return False

    def close(self) -> None:
        self.conn.close()


def db_write_behind_the_tools_back(location: Any, *statements: str) -> None:
    """Change the database directly, as someone with the database's own keys could (an SQLite
    file edited with sqlite3; on PostgreSQL a superuser with the protective triggers off):
    what the tamper tests need ``check`` to catch."""
    if is_pg(location):
        PgDatabase(str(location)).write_as_superuser(*statements)
        return
    import sqlite3

    conn = sqlite3.connect(str(location), isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner that keeps stdout and stderr apart."""
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # click >= 8.2 always separates them
        return CliRunner()


def run_cli(
    *args: str, env: dict[str, str] | None = None, input: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run cpft-tracker as a real subprocess, the way cron and scripts do."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "cpft_tracker", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        input=input,
        cwd=cwd,
        timeout=120,
    )


def setup_cli(*args: str, env: dict[str, str] | None = None) -> str:
    """Run one command in this process (click's CliRunner) as a test's set-up, with ``env``
    added to the environment as ``run_cli`` adds it; assert it succeeded; its stdout. The
    same command and database as ``run_cli``, without a new Python (~0.15-0.3 s) each time:
    for building a plan that the test then reads through real subprocesses."""
    from cpft_tracker.cli import app

    try:
        cli = CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # click >= 8.2 always separates them
        cli = CliRunner()
    result = cli.invoke(app, list(args), env=env)
    assert result.exit_code == 0, (args, result.stderr, result.exception)
    # a command leaves closing its database to the end of its process; here that is now, so
    # the plan is left as the process would leave it (an SQLite file's -wal checkpointed into
    # it and removed, no connection still open)
    out = result.stdout
    del result
    gc.collect()
    return out


def db_snapshot(path: Any) -> str:
    """Every row of every table, as text: equal snapshots mean the database is exactly as it
    was (either backend: a PostgreSQL database gives its tables' rows in order)."""
    import sqlite3

    if is_pg(path):
        return PgDatabase(str(path)).snapshot()
    if not path.exists():
        return "<no database>"
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def db_state(location: Any) -> Any:
    """What "the database is exactly as it was" compares: an SQLite file's bytes (stricter than
    its rows: nothing at all was written), a PostgreSQL database's rows (``db_snapshot``)."""
    if is_pg(location):
        return db_snapshot(location)
    return Path(location).read_bytes() if Path(location).exists() else None


def json_actions(runner: CliRunner, *args: str) -> list[dict]:
    """The actions `list --format json` prints (with optional extra filter arguments)."""
    import json

    from cpft_tracker.cli import app

    result = runner.invoke(app, ["list", "--format", "json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["actions"]


# ---------------------------------------------------------------------------
# Both backends (issue 12): SQLite files and a real PostgreSQL server
# ---------------------------------------------------------------------------

BACKENDS = ["sqlite", "postgresql"]


# ``@both_backends`` on a test runs it on an SQLite file and on a fresh PostgreSQL database;
# its ``db_path`` (and CPFT_TRACKER_DB) is then the one of the backend.
def both_backends(test: Any) -> Any:
    """Run ``test`` on both backends (it need not name the ``backend`` fixture)."""
    test = pytest.mark.usefixtures("backend")(test)
    return pytest.mark.parametrize("backend", BACKENDS, indirect=True)(test)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """A private PostgreSQL server for the whole session (tests/pg_server.py); skipped when it
    cannot be started here, but a failure when CI=true."""
    from tests import pg_server as pgs

    try:
        server = pgs.start()
    except pgs.Unavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is needed in CI and could not be started: {exc}")
        pytest.skip(f"PostgreSQL not available: {exc}")
    pgs._SHARED.append(server)
    try:
        yield server
    finally:
        pgs._SHARED.remove(server)
        server.stop()


class PgDatabase(str):
    """A test's PostgreSQL database (its URL), standing where its database file would
    (``db_path``): ``str()`` and ``--db`` give the URL, ``exists()`` says whether a plan is
    there. The URLs the fixtures make carry no password (libpq takes it from PGPASSWORD)."""

    @property
    def url(self) -> str:
        return str.__str__(self)

    def _connect(self) -> Any:
        from urllib.parse import urlsplit

        import psycopg

        from tests import pg_server as pgs

        # the server's password unless the URL carries its own (a role made by the test)
        password = urlsplit(self.url).password or pgs.PASSWORD
        return psycopg.connect(self.url, autocommit=True, connect_timeout=10, password=password)

    def exists(self) -> bool:
        """Whether a plan has been made in it (its migrations table is there)."""
        with self._connect() as conn:
            return bool(
                conn.execute("SELECT to_regclass('_cpft_migrations') IS NOT NULL").fetchone()[0]
            )

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of one query (``?`` placeholders, as the SQLite tests write them)."""
        with self._connect() as conn:
            return [tuple(r) for r in conn.execute(sql.replace("?", "%s"), params).fetchall()]

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """One statement, committed; its rows (none for a statement that returns none)."""
        with self._connect() as conn:
            cur = conn.execute(sql.replace("?", "%s"), list(params))  # type: ignore[arg-type]
            return [tuple(r) for r in cur.fetchall()] if cur.description else []

    def dicts(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """Rows of one query, each a dict by column name."""
        from psycopg.rows import dict_row

        with self._connect() as conn:
            cur = conn.cursor(row_factory=dict_row)
            return list(cur.execute(sql.replace("?", "%s"), params).fetchall())

    def write_as_superuser(self, *statements: str) -> None:
        """Run statements with the protective triggers off (``session_replication_role``)."""
        with self._connect() as conn:
            conn.execute("SET session_replication_role = replica")
            for statement in statements:
                conn.execute(statement)  # type: ignore[arg-type]

    def snapshot(self) -> str:
        """Every row of every table, in order: equal snapshots mean nothing changed."""
        with self._connect() as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            if not tables:
                return "<no database>"
            out = []
            for t in tables:
                rows = conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()  # type: ignore[arg-type]  # noqa: S608
                out.append(f"{t}: {rows!r}")
            return "\n".join(out)


@pytest.fixture
def backend(
    request: pytest.FixtureRequest, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """The --db value of this test's plan: an SQLite file, or (``postgresql``) a new empty
    database on the session's server, also set as CPFT_TRACKER_DB."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        return str(isolated_env)
    server = request.getfixturevalue("pg_server")
    url = server.new_database(password=False)  # libpq takes the password from PGPASSWORD
    monkeypatch.setenv("PGPASSWORD", server.password)
    monkeypatch.setenv("CPFT_TRACKER_DB", url)
    return str(url)
