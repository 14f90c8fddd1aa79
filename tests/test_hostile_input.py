"""Hostile and odd input goes in and comes out without a crash or a change of meaning.

Issue 6, property-based (hypothesis). Report text, owner names, notes and titles with
control characters, right-to-left marks, 10,000-character strings, SQL fragments,
spreadsheet formula prefixes and HTML go through import, assign, note, retitle, every
export format and ``remind --dry-run``. JSON gives back the exact stored text; CSV cells
read back equal except the documented formula neutralisation (a leading apostrophe);
HTML never contains raw ``<script>`` from the data. A last test reads the package source
and checks that every SQL statement is parameterised.
"""

from __future__ import annotations

import ast
import csv
import html
import io
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cpft_tracker.cli import app
from cpft_tracker.documents import read_document
from cpft_tracker.extract import extract_requirements, fingerprint
from cpft_tracker.render import FORMULA_STARTS
from cpft_tracker.store import clean_name
from tests import pg_server as pgs
from tests.conftest import BUNDLED_REPORT, PG_MODE, PgDatabase, is_pg

ROOT = Path(__file__).resolve().parent.parent

NASTY = [
    "'); DROP TABLE actions;--",
    "Robert'); DELETE FROM events; --",
    "=cmd|' /C calc'!A0",
    "+SUM(A1:A9)",
    "-2+3",
    '@HYPERLINK("http://evil")',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\u202eevil\u202c right-to-left \u200f mark",
    "tab\there and\r\nnew line\x00nul\x1b[31mred",
    "Zoë O’Brien–Smith 👩‍⚕️",
    "| pipe | table | breaker |",
    "**bold** [link](javascript:alert(1))",
    "x" * 10_000,
    "   ",
    "",
]

hostile = st.one_of(
    st.sampled_from(NASTY),
    st.text(min_size=0, max_size=60),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=300),
    st.builds(lambda a, b: a + b, st.sampled_from(NASTY), st.text(max_size=20)),
)

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # no shrinking: keeps each test bounded; a failure still prints the falsifying example
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """The bundled report imported once; each example works on a copy."""
    if PG_MODE:  # a database each example is made from (CREATE DATABASE ... TEMPLATE)
        server = request.getfixturevalue("pg_server")
        path: Any = PgDatabase(server.new_database("hostile", password=False))
    else:
        path = tmp_path_factory.mktemp("hostile") / "template.db"
    result = CliRunner().invoke(
        app, ["import", str(BUNDLED_REPORT)], env={"CPFT_TRACKER_DB": str(path), **_password()}
    )
    assert result.exit_code == 0, result.output
    if not PG_MODE:
        import sqlite3

        conn = sqlite3.connect(str(path))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    return path


def _fresh(template: Path) -> tuple[Any, dict[str, str]]:
    if is_pg(template):
        db: Any = PgDatabase(pgs.shared().copy_database(str(template)))
    else:
        folder = Path(tempfile.mkdtemp(prefix="hostile-"))
        db = folder / "t.db"
        shutil.copyfile(template, db)
    return db, {
        **_password(),
        "CPFT_TRACKER_DB": str(db),
        "CPFT_TRACKER_USER": "Test Lead",
        "CPFT_TRACKER_TODAY": "2025-06-01",
        "NO_COLOR": "1",
        "COLUMNS": "100",
    }


def _password() -> dict[str, str]:
    """PGPASSWORD for a PostgreSQL plan (its URL has none), before any test has set it."""
    return {"PGPASSWORD": pgs.shared().password} if PG_MODE else {}


def _discard(db: Any) -> None:
    if is_pg(db):
        pgs.shared().drop_database(str(db))
    else:
        shutil.rmtree(db.parent, ignore_errors=True)


def _invoke(env: dict[str, str], *args: str) -> Any:
    result = CliRunner().invoke(app, list(args), env=env)
    # never a crash: a clean exit, or one plain error line
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.exception,
    )
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        err = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(err) == 1 and err[0].startswith("Error: "), result.stderr
    return result


def _exported(env: dict[str, str]) -> dict[str, dict[str, Any]]:
    out = _invoke(env, "export", "--format", "json")
    assert out.exit_code == 0, out.stderr
    return {a["ref"]: a for a in json.loads(out.stdout)["actions"]}


def _csv_rows(env: dict[str, str]) -> dict[str, dict[str, str]]:
    out = _invoke(env, "export", "--format", "csv")
    assert out.exit_code == 0, out.stderr
    text = out.stdout.lstrip("\ufeff")
    return {row["ref"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}


def _csv_cell(value: str | None) -> str:
    """What the documented CSV export makes of a stored value."""
    if value is None:
        return ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _formats(env: dict[str, str]) -> list[str]:
    help_text = _invoke(env, "export", "--help").stdout
    return [f for f in ("json", "csv", "markdown", "html") if f in help_text]


@SETTINGS
@given(owner=hostile, note=hostile, title=hostile)
def test_hostile_owner_note_and_title_round_trip_through_every_format(
    template_db: Path, owner: str, note: str, title: str
) -> None:
    db, env = _fresh(template_db)
    try:
        ref = next(iter(_exported(env)))
        expected: dict[str, Any] = {}

        assigned = _invoke(env, "assign", "--email", "owner@nhs.net", "--", ref, owner)
        if " ".join("".join(c if c.isprintable() else " " for c in owner).split()):
            assert assigned.exit_code == 0, assigned.stderr
            expected["owner"] = clean_name(owner)
        else:
            assert assigned.exit_code == 2  # an empty name is refused, with a message

        noted = _invoke(env, "note", "--", ref, note)
        stored_note = note.replace("\x00", "").strip()
        assert noted.exit_code == (0 if stored_note else 2), noted.stderr

        retitled = _invoke(env, "retitle", "--", ref, title)
        if retitled.exit_code == 0:
            expected["title"] = clean_name(title, "title")
        else:
            assert retitled.exit_code == 2

        # JSON: exactly the stored text
        record = _exported(env)[ref]
        for key, value in expected.items():
            assert record[key] == value, key
        if stored_note:
            hist = _invoke(env, "history", ref, "--format", "json")
            notes = [e["new"] for e in json.loads(hist.stdout)["events"] if e["field"] == "note"]
            assert notes[0] == stored_note

        # CSV: equal except the formula neutralisation
        row = _csv_rows(env)[ref]
        for key, value in expected.items():
            assert row[key] == _csv_cell(value), key
            assert not row[key].startswith(("=", "+", "-", "@"))

        # every other export format: no crash; HTML escapes what it shows
        for fmt in _formats(env):
            out = _invoke(env, "export", "--format", fmt)
            assert out.exit_code == 0, (fmt, out.stderr)
            if fmt == "html":
                for value in expected.values():
                    if "<script>" in value:
                        assert "<script>alert(1)</script>" not in out.stdout
                    if "<img" in value:
                        assert "<img src=x onerror" not in out.stdout
                assert "\x00" not in out.stdout
                shown = html.unescape(out.stdout)
                if "owner" in expected and len(expected["owner"]) < 200:
                    assert expected["owner"] in shown

        # reminders: the owner's name cannot add a mail header
        _invoke(env, "due", ref, "2020-01-31")
        dry = _invoke(env, "remind", "--dry-run", "--from", "governance@trust.nhs.uk")
        assert dry.exit_code == 0, dry.stderr
        for line in dry.stdout.splitlines():
            assert not re.match(r"(?i)^(bcc|cc|to|from|subject)\s*:.*evil", line), line
    finally:
        _discard(db)


report_lines = st.lists(
    st.one_of(
        hostile,
        st.builds(
            lambda a, b: f"- The trust must {a} {b}.",
            st.sampled_from(NASTY),
            st.text(max_size=40),
        ),
        st.builds(lambda a: f"Leaders needed to {a}", st.text(max_size=80)),
    ),
    min_size=0,
    max_size=15,
)


@SETTINGS
@given(lines=report_lines, ending=st.sampled_from(["\n", "\r\n", "\r"]))
def test_arbitrary_report_text_imports_exactly_what_the_extractor_found(
    template_db: Path, lines: list[str], ending: str
) -> None:
    db, env = _fresh(template_db)
    try:
        report = Path(tempfile.mkdtemp(prefix="hostile-report-")) / "odd report.txt"
        report.write_text(ending.join(lines), encoding="utf-8", newline="")
        dry = _invoke(env, "import", str(report), "--report", "Odd", "--dry-run")
        result = _invoke(env, "import", str(report), "--report", "Odd")
        if result.exit_code != 0:
            assert dry.exit_code == result.exit_code
            return  # refused with one clear line (e.g. an empty file)
        wanted: dict[str, str] = {}
        for req in extract_requirements(read_document(report).text):
            wanted.setdefault(fingerprint(req.text), req.text)
        got = [a for a in _exported(env).values() if a["report"] == "Odd"]
        assert sorted(a["requirement"] for a in got) == sorted(wanted.values())
        again = _invoke(env, "import", str(report), "--report", "Odd")
        assert again.exit_code == 0
        assert len([a for a in _exported(env).values() if a["report"] == "Odd"]) == len(got)
    finally:
        _discard(db)


def test_the_sql_fragments_did_no_harm_to_the_schema(template_db: Path) -> None:
    db, env = _fresh(template_db)
    try:
        ref = next(iter(_exported(env)))
        for text in NASTY[:2]:
            assert _invoke(env, "assign", ref, text).exit_code == 0
            assert _invoke(env, "note", ref, text).exit_code == 0
        check = _invoke(env, "check")
        assert check.exit_code == 0, check.stderr
        assert _exported(env)[ref]["owner"] == NASTY[1]
    finally:
        _discard(db)


# ---------------------------------------------------------------------------
# All SQL is parameterised
# ---------------------------------------------------------------------------

SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|WHERE|PRAGMA|VALUES|SET|FROM|JOIN)\b")
SQL_BITS = re.compile(r"\b(IN|LIKE)\s*\(\s*$|\b[a-z]\.\w+\s*(=|IN\b|<|>)|= \?")
# Interpolations allowed in SQL text: names and placeholder lists that come from code.
ALLOWED = {
    "ACTION_COLUMNS",
    "ACTION_FROM",
    "select",  # Store.actions: _select_list(names), the SQL of ACTION_FIELDS (other names refused)
    "column",
    "BUSY_TIMEOUT_MS",
    "_in_clause(wanted)",
    "_in_clause(f.status)",
    "_in_clause(fields)",
}


def _sql_interpolations() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted((ROOT / "cpft_tracker").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            literal = "".join(
                v.value
                for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
            if not (SQL_WORDS.search(literal) or SQL_BITS.search(literal)):
                continue
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    found.append((path.name, node.lineno, ast.unparse(value.value)))
    return found


def test_all_sql_is_parameterised() -> None:
    """No user data is formatted into SQL: only column lists and placeholder lists from code."""
    suspicious = [item for item in _sql_interpolations() if item[2] not in ALLOWED]
    assert suspicious == []
