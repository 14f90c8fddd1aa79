"""Shared fixtures: every test gets its own database file and a fixed user name."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_REPORT = ROOT / "data" / "cqc-cpft-well-led-assessment-2025-07-17.txt"
BUNDLED_PRESS_RELEASE = ROOT / "data" / "cqc-cpft-press-release-2025.txt"


@pytest.fixture(autouse=True)
def isolated_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Path]:
    """Point CPFT_TRACKER_DB at a fresh file and fix who/when so tests never touch a real plan.

    ``CPFT_TEST_BACKEND=postgresql`` (a diagnostic run, not part of ``make test``): a fresh
    PostgreSQL database instead, for every test; the tests that look at the file itself fail.
    """
    db = tmp_path / "tracker.db"
    monkeypatch.setenv("CPFT_TRACKER_DB", str(db))
    if os.environ.get("CPFT_TEST_BACKEND") == "postgresql":
        monkeypatch.setenv("CPFT_TRACKER_DB", request.getfixturevalue("pg_server").new_database())
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
def db_path(request: pytest.FixtureRequest, isolated_env: Path) -> Any:
    """The database file this test uses (a ``PgDatabase`` for a ``@both_backends`` test on PostgreSQL)."""
    if "backend" in request.fixturenames:
        value = request.getfixturevalue("backend")
        if value.startswith("postgresql://"):
            return PgDatabase(value)
    return isolated_env


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


def db_snapshot(path: Path) -> str:
    """Every row of every table, as SQL text: equal snapshots mean the database is exactly as it was."""
    import sqlite3

    if isinstance(path, PgDatabase):
        return path.snapshot()
    if not path.exists():
        return "<no database>"
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


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
    try:
        yield server
    finally:
        server.stop()


class PgDatabase:
    """A test's PostgreSQL database, standing where its database file would (``db_path``)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __str__(self) -> str:
        """As messages show it: the password masked."""
        from cpft_tracker.store.postgres import mask

        return mask(self.url)

    def _connect(self) -> Any:
        import psycopg

        return psycopg.connect(self.url, autocommit=True, connect_timeout=10)

    def exists(self) -> bool:
        """Whether a plan has been made in it (its migrations table is there)."""
        with self._connect() as conn:
            return bool(
                conn.execute("SELECT to_regclass('_cpft_migrations') IS NOT NULL").fetchone()[0]
            )

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
    url = server.new_database()
    monkeypatch.setenv("CPFT_TRACKER_DB", url)
    return str(url)
