"""bench/plain.py, the yardstick the read commands are measured against (issue 10), prints the
bytes the command prints: the ratio means something only if it does the same work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_REPORT, run_cli

PLAIN = Path(__file__).resolve().parent.parent / "bench" / "plain.py"


def _without_clock(text: str) -> list[str]:
    return [line for line in text.splitlines() if '"generated_at"' not in line]


@pytest.mark.sqlite_only(reason="bench/plain.py reads the SQLite file with sqlite3")
@pytest.mark.parametrize(
    ("mode", "command"),
    [
        ("export-json", ["export", "--format", "json"]),
        ("overdue-json", ["list", "--overdue", "--format", "json"]),
    ],
)
def test_the_plain_script_prints_what_the_command_prints(
    db_path: Path, mode: str, command: list[str]
) -> None:
    steps = [
        ["init"],
        ["import", str(BUNDLED_REPORT)],
        ["assign", "CPFT-01", "CPFT-02", "CPFT-03", "Jane Smith", "--email", "jane@example.org"],
        ["due", "CPFT-01", "CPFT-02", "CPFT-03", "CPFT-04", "01/01/2020"],
        ["status", "CPFT-01", "blocked", "--note", "waiting for estates"],  # its own reason
        ["note", "CPFT-02", "chased the ward manager"],
        ["status", "CPFT-02", "blocked"],  # the latest note is the reason
        ["status", "CPFT-03", "blocked"],  # no reason recorded
        ["status", "CPFT-04", "in-progress"],
    ]
    for step in steps:
        done = run_cli(*step)
        assert done.returncode == 0, (step, done.stderr)
    ours = run_cli(*command)
    assert ours.returncode == 0, ours.stderr
    plain = subprocess.run(
        [sys.executable, str(PLAIN), str(db_path), mode],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    )
    assert '"blocked_reason": "no reason recorded"' in ours.stdout or mode != "export-json"
    assert _without_clock(plain.stdout) == _without_clock(ours.stdout)
