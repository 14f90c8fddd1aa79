"""The bundled report must work after a regular (non-editable) install, run from another folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_wheel_ships_the_bundled_report_and_it_imports_from_anywhere(tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if build.returncode != 0 and "No module named" in build.stderr:
        pytest.skip(
            f"cannot build a wheel without build isolation here: {build.stderr.strip()[-200:]}"
        )
    assert build.returncode == 0, build.stderr
    wheel = next((tmp_path / "dist").glob("cpft_tracker-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "cpft_tracker/bundled/cqc-cpft-well-led-assessment-2025-07-17.txt" in names
    assert "cpft_tracker/bundled/cqc-cpft-press-release-2025.txt" in names

    target = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "CPFT_TRACKER_DB": str(elsewhere / "t.db")}
    run = subprocess.run(
        [sys.executable, "-m", "cpft_tracker", "import", "--example"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "added" in run.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "cpft_tracker", "list", "--format", "json"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert json.loads(listed.stdout)["actions"]
    # it really ran the installed copy, not the source tree
    where = subprocess.run(
        [sys.executable, "-c", "import cpft_tracker; print(cpft_tracker.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
    )
    assert where.stdout.strip().startswith(str(target))


def test_the_ci_entry_point_parses_and_runs_the_readme_test_command() -> None:
    """CI runs .ci/run on a fresh clone: a syntax error there (one got in once, in a comment
    edit) fails every run. It must end by running the README's test command, then the same
    suite on PostgreSQL (the README's second test command)."""
    ci = ROOT / ".ci" / "run"
    checked = subprocess.run(["bash", "-n", str(ci)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    lines = [line.strip() for line in ci.read_text(encoding="utf-8").splitlines()]
    code = [line for line in lines if line and not line.startswith("#")]
    assert code[-2:] == ["make test", "make test-postgresql"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme.split("---", 1)[0]  # one of the README's first two commands
    assert "make test-postgresql" in readme.split("## Development", 1)[1]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\ntest-postgresql:" in makefile and "CPFT_TEST_BACKEND=postgresql" in makefile
