"""Shared fixtures: every test gets its own database file and a fixed user name."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_REPORT = ROOT / "data" / "cqc-cpft-well-led-assessment-2025-07-17.txt"
BUNDLED_PRESS_RELEASE = ROOT / "data" / "cqc-cpft-press-release-2025.txt"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point CPFT_TRACKER_DB at a fresh file and fix who/when so tests never touch a real plan."""
    db = tmp_path / "tracker.db"
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
def db_path(isolated_env: Path) -> Path:
    """The database file this test uses."""
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
