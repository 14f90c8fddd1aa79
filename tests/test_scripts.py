"""Scripts (issue 13): every command exits 0 when its reader closes the pipe early (real
subprocess pipes), ``show --format json``, and every ``--format`` that any help offers works.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cpft_tracker.cli import app
from tests.conftest import ROOT, run_cli, setup_cli
from tests.test_cli_help import all_commands

REPORT = ROOT / "tests" / "corpus" / "acute-trust-core-services-2021.txt"


@pytest.fixture
def plan(db_path: Path) -> None:
    for args in (
        ["init"],
        ["import", str(REPORT)],
        ["assign", "RHFT-01", "RHFT-02", "Zoë Strasse"],
        ["note", "RHFT-01", "Chased estates"],
        ["due", "RHFT-01", "01/01/2026"],
    ):
        setup_cli(*args)


READERS = [
    ["show", "RHFT-01"],
    ["show", "RHFT-01", "--format", "json"],
    ["list"],
    ["list", "--wide"],
    ["list", "--format", "json"],
    ["list", "--format", "csv"],
    ["export"],
    ["export", "--format", "csv"],
    ["export", "--format", "markdown"],
    ["export", "--format", "html"],
    ["history"],
    ["history", "--format", "json"],
    ["history", "--format", "csv"],
    ["progress"],
    ["progress", "--format", "json"],
    ["progress", "--format", "csv"],
    ["owners"],
    ["reports"],
    ["quality-statements"],
    ["plan", "template"],
    ["remind"],
    ["remind", "--format", "json"],
    ["info"],
    ["settings"],
    ["check"],
    ["--help"],
    ["list", "--help"],
]


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_a_reader_that_goes_away_is_not_an_error(plan: None, args: list[str]) -> None:
    """The pipe is closed before the command writes anything: every write meets a closed pipe."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "cpft_tracker", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "Error" not in err and "Exception" not in err


@pytest.mark.parametrize(
    "pipeline",
    [
        "show RHFT-01 | head -1",
        "list | head -1",
        "export | head -c 10",
        "history | head -1",
        "progress | head -1",
        "export --format csv | head -c 10",
    ],
)
def test_shell_pipelines_exit_0(plan: None, pipeline: str) -> None:
    command, reader = pipeline.split(" | ")
    script = (
        f"{sys.executable} -m cpft_tracker {command} | {reader} > /dev/null; "
        'echo "${PIPESTATUS[0]}"'
    )
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "0", done.stderr


def test_show_json_is_the_action_and_its_history(plan: None) -> None:
    done = run_cli("show", "rhft-01", "--format", "json", env={"CPFT_TRACKER_TODAY": "2026-03-01"})
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["schema_version"] == 1 and doc["as_of"] == "2026-03-01"
    exported = json.loads(run_cli("export", env={"CPFT_TRACKER_TODAY": "2026-03-01"}).stdout)
    story = ("latest_update", "latest_update_on", "latest_update_by", "blocked_reason")
    same = {k: v for k, v in exported["actions"][0].items() if k not in story}  # show: history
    assert {k: v for k, v in doc["action"].items() if k != "line"} == same
    assert isinstance(doc["action"]["line"], int)
    assert [e["field"] for e in doc["history"]][:3] == ["due", "note", "owner"]  # newest first
    assert doc["history"][1]["new"] == "Chased estates"
    history = json.loads(run_cli("history", "RHFT-01", "--format", "json").stdout)["events"]
    assert doc["history"] == history
    missing = run_cli("show", "RHFT-99", "--format", "json")
    assert missing.returncode == 1 and missing.stdout == ""
    schema = (ROOT / "docs" / "json-schemas.md").read_text(encoding="utf-8")
    assert "## `show REF --format json` (`schema_version` 1)" in schema


def offered_formats(help_text: str) -> list[str]:
    """The formats a --format help names: 'json, csv, markdown (a section) or html. Default...'."""
    first = help_text.split(". ")[0].rstrip(".")
    first = re.sub(r"\([^)]*\)", "", first)
    return [w.strip() for w in re.split(r",| or ", first) if w.strip()]


def test_every_format_any_help_offers_works(plan: None, tmp_path: Path) -> None:
    runner = CliRunner()
    needs: dict[str, list[str]] = {"show": ["RHFT-01"]}
    tried: list[tuple[str, str]] = []
    for name, cmd in all_commands():
        for param in cmd.params:
            if "--format" not in getattr(param, "opts", ()):
                continue
            formats = offered_formats(param.help or "")
            assert formats, (name, param.help)
            for fmt in formats:
                args = [*name.split(), *needs.get(name, []), "--format", fmt]
                result = runner.invoke(app, args)
                assert result.exit_code == 0, (args, result.output)
                assert result.stdout.strip(), args
                tried.append((name, fmt))
    assert ("progress", "csv") in tried and ("show", "json") in tried
    assert len(tried) >= 15


def test_progress_csv_counts_match_the_json(plan: None) -> None:
    import csv
    import io

    rows: list[dict[str, Any]] = list(
        csv.DictReader(io.StringIO(run_cli("progress", "--format", "csv").stdout))
    )
    figures = json.loads(run_cli("progress", "--format", "json").stdout)
    assert rows[0]["grouping"] == "all" and int(rows[0]["actions"]) == figures["total"]
    owners = [r for r in rows if r["grouping"] == "owner"]
    assert [r["name"] for r in owners] == [e["name"] or "" for e in figures["by_owner"]]
    assert {r["grouping"] for r in rows} == {"all", "quality-statement", "owner", "status"}
