"""Shell completion (issue 13): ``completion bash|zsh|fish`` prints a script; the script asks
``cpft-tracker __complete`` for commands, options, refs, owners, statuses and option values.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

REPORT = ROOT / "tests" / "corpus" / "acute-trust-core-services-2021.txt"


@pytest.fixture
def plan(db_path: Path) -> None:
    for args in (["init"], ["import", str(REPORT)], ["assign", "RHFT-01", "Zoë Strasse"]):
        done = run_cli(*args)
        assert done.returncode == 0, done.stderr


def complete(shell: str, *words: str) -> list[str]:
    done = run_cli("__complete", shell, *words)
    assert done.returncode == 0 and done.stderr == ""
    return done.stdout.splitlines()


def test_commands_options_and_values(plan: None) -> None:
    assert complete("bash", "sh") == ["show"]
    assert "completion" in complete("bash", "")
    assert complete("bash", "list", "--st") == ["--status"]
    assert complete("bash", "list", "--status", "") == [
        "not-started",
        "in-progress",
        "blocked",
        "complete",
    ]
    assert complete("bash", "list", "--sort", "r") == ["ref", "rag"]
    assert complete("bash", "export", "--format", "") == ["json", "csv", "markdown", "html", "xlsx"]
    assert complete("bash", "progress", "--by", "") == ["quality-statement", "owner", "status"]
    assert complete("bash", "export", "-o", "") == ["__files__"]
    assert complete("bash", "plan", "") == ["template", "load"]
    assert complete("bash", "plan", "load", "") == ["__files__"]


def test_refs_and_owners_come_from_the_database(plan: None) -> None:
    refs = complete("bash", "show", "rhft-1")
    assert refs == ["RHFT-10", "RHFT-11", "RHFT-12"]  # any case typed, the refs as stored
    assert len(complete("bash", "status", "")) == 12
    after_a_ref = complete("bash", "status", "RHFT-01", "")
    assert "in-progress" in after_a_ref and "RHFT-02" in after_a_ref  # more refs, or the status
    assert complete("bash", "assign", "RHFT-02", "zo") == ["Zoë\\ Strasse"]  # escaped for bash
    assert complete("zsh", "assign", "RHFT-02", "zo") == ["Zoë Strasse"]
    assert complete("fish", "list", "--owner", "") == ["Zoë Strasse"]
    assert complete("bash", "list", "--report", "") == ["RHFT"]


def test_no_database_no_refs_and_never_an_error(tmp_path: Path) -> None:
    assert complete("bash", "show", "") == []  # no database yet: nothing, no message
    assert complete("bash", "--db", str(tmp_path / "none.db"), "show", "") == []
    assert complete("bash", "nosuchcommand", "") == []
    assert complete("tcsh", "show", "") == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_script(shell: str) -> None:
    done = run_cli("completion", shell)
    assert done.returncode == 0
    assert "cpft-tracker __complete " + shell in done.stdout
    if shutil.which(shell):
        checked = subprocess.run([shell, "-n"], input=done.stdout, text=True, capture_output=True)
        assert checked.returncode == 0, checked.stderr


def test_an_unknown_shell_is_refused() -> None:
    done = run_cli("completion", "tcsh")
    assert done.returncode == 2
    assert done.stderr == (
        "Error: 'tcsh' is not a shell cpft-tracker completes. Use one of: bash, zsh, fish.\n"
    )


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_through_the_script(plan: None, tmp_path: Path) -> None:
    """The script loaded in bash, its function called as bash calls it on Tab."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    launcher = bindir / "cpft-tracker"
    launcher.write_text(f'#!/bin/sh\nexec {sys.executable} -m cpft_tracker "$@"\n')
    launcher.chmod(0o755)
    script = run_cli("completion", "bash").stdout
    (tmp_path / "c.bash").write_text(script)
    probe = (
        f"source {tmp_path / 'c.bash'}\n"
        "COMP_WORDS=(cpft-tracker assign RHFT-02 Zo); COMP_CWORD=3\n"
        "_cpft_tracker_complete; printf '%s\\n' \"${COMPREPLY[@]}\"\n"
        "COMP_WORDS=(cpft-tracker li); COMP_CWORD=1\n"
        "_cpft_tracker_complete; printf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, env=env)
    assert done.stdout.splitlines() == ["Zoë\\ Strasse", "list"], done.stderr
