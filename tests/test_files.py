"""Files (issue 13): ``-o FILE`` picks the format from the extension, a mismatch is refused, no
file is written over without ``--force``, and CSV has a byte-order mark in a file only.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli, setup_cli

REPORT = ROOT / "tests" / "corpus" / "acute-trust-core-services-2021.txt"


@pytest.fixture
def plan(db_path: Path) -> None:
    for args in (["init"], ["import", str(REPORT)], ["assign", "RHFT-01", "Zoë Strasse"]):
        setup_cli(*args)


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("board.html", "<!DOCTYPE html>"),
        ("board.md", "#"),
        ("actions.json", '{\n  "schema_version": 1'),
        ("actions.csv", "\ufeffref,report,"),
        ("BOARD.HTML", "<!DOCTYPE html>"),
        ("board.xlsx", "PK"),  # a zip: the workbook
    ],
)
def test_export_picks_the_format_from_the_file_name(
    plan: None, tmp_path: Path, name: str, starts: str
) -> None:
    target = tmp_path / name
    done = run_cli("export", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"Wrote {target}.\n" and done.stdout == ""
    assert target.read_bytes().startswith(starts.encode("utf-8"))


def test_export_refuses_a_name_it_cannot_read_and_a_mismatch(plan: None, tmp_path: Path) -> None:
    unknown = run_cli("export", "-o", str(tmp_path / "board.txt"))
    assert unknown.returncode == 2
    assert unknown.stderr == (
        "Error: Cannot tell the format to write from the name board.txt. End it with .json, .csv, "
        ".md, .html or .xlsx (e.g. -o board.json), or give --format.\n"
    )
    mismatch = run_cli("export", "-o", str(tmp_path / "board.html"), "--format", "json")
    assert mismatch.returncode == 2
    assert mismatch.stderr == (
        "Error: -o board.html is a .html file but --format is json. Leave out --format (the file "
        "name picks it), or name the file board.json.\n"
    )
    assert not (tmp_path / "board.txt").exists() and not (tmp_path / "board.html").exists()
    # --format with a name that says nothing: as asked; and an alias that agrees with the name
    assert run_cli("export", "-o", str(tmp_path / "x.txt"), "--format", "csv").returncode == 0
    assert run_cli("export", "-o", str(tmp_path / "b.md"), "--format", "md").returncode == 0


@pytest.mark.parametrize(
    "command",
    [["export"], ["export", "--format", "csv"], ["plan", "template"]],
    ids=["export", "export-csv", "plan-template"],
)
def test_no_file_is_written_over_without_force(
    plan: None, tmp_path: Path, command: list[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / ("edits.csv" if "csv" in command or "plan" in command else "out.json")
    target.write_text("keep me", encoding="utf-8")
    refused = run_cli(*command, "-o", str(target))
    assert refused.returncode == 1
    assert refused.stderr == (
        f"Error: {target} already exists, so it was not replaced. Give a new file name, "
        "or add --force to replace it.\n"
    )
    assert target.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in out.iterdir()) == [target.name]  # no temporary file left
    forced = run_cli(*command, "-o", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.read_text(encoding="utf-8") != "keep me"


def test_plan_template_writes_csv_files_only(plan: None, tmp_path: Path) -> None:
    done = run_cli("plan", "template", "-o", str(tmp_path / "plan.json"))
    assert done.returncode == 2
    assert done.stderr == (
        "Error: This writes csv only: end the file name with .csv (e.g. -o plan.csv), "
        "not plan.json.\n"
    )
    folder = run_cli("plan", "template", "-o", str(tmp_path))
    assert folder.returncode == 1
    assert (
        folder.stderr
        == f"Error: {tmp_path} is a folder. Give a file name, e.g. -o {tmp_path / 'plan.csv'}.\n"
    )


def test_csv_has_a_bom_in_a_file_only(plan: None, tmp_path: Path) -> None:
    """Excel needs the BOM to read UTF-8 ("Zoë"); cut and csv.DictReader on a pipe must not see it."""
    piped = run_cli("export", "--format", "csv")
    assert piped.stdout.startswith("ref,report,")
    rows = list(csv.DictReader(io.StringIO(piped.stdout)))
    assert rows[0]["ref"] == "RHFT-01" and rows[0]["owner"] == "Zoë Strasse"
    assert run_cli("list", "--format", "csv").stdout.startswith("ref,")
    assert run_cli("plan", "template").stdout.startswith("ref,")
    (tmp_path / "a.csv").unlink(missing_ok=True)
    run_cli("export", "-o", str(tmp_path / "a.csv"))
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbfref,")
    run_cli("export", "-o", str(tmp_path / "b.csv"), "--no-bom")
    assert (tmp_path / "b.csv").read_bytes().startswith(b"ref,")
    run_cli("plan", "template", "-o", str(tmp_path / "p.csv"))
    assert (tmp_path / "p.csv").read_bytes().startswith(b"\xef\xbb\xbfref,")
    run_cli("plan", "template", "-o", str(tmp_path / "q.csv"), "--no-bom")
    assert (tmp_path / "q.csv").read_bytes().startswith(b"ref,")
    # a plan file without the BOM loads as well as one with it
    loaded = run_cli("plan", "load", str(tmp_path / "q.csv"))
    assert loaded.returncode == 0, loaded.stderr


def test_json_to_a_file_is_the_json_on_stdout(plan: None, tmp_path: Path) -> None:
    run_cli("export", "-o", str(tmp_path / "a.json"))
    on_file = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    on_stdout = json.loads(run_cli("export").stdout)
    assert on_file["actions"] == on_stdout["actions"]
