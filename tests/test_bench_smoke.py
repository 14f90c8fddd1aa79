"""The benchmark (bench/run.py, issue 7) still builds its database through the tool's own code,
and the fast drawing paths added for speed write exactly what the libraries they replace wrote.

No timing here: bench/run.py measures, tests only check behaviour.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import importlib.util
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cpft_tracker import render
from cpft_tracker.models import rag_of
from cpft_tracker.store import Filters, Store
from cpft_tracker.textsafe import visible

ROOT = Path(__file__).resolve().parent.parent


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench()


def test_bench_builds_a_plan_through_the_store(bench: ModuleType, tmp_path: Path) -> None:
    today = dt.date(2026, 3, 31)
    built = bench.build_database(tmp_path / "plan.db", 50, today=today, per_report=25)
    assert (built.actions, built.reports) == (50, 2)
    store = Store.open(tmp_path / "plan.db")
    try:
        counts = store.counts()
        assert counts["actions"] == 50 and counts["reports"] == 2
        assert counts["events"] > 50 * 5  # ~10 audit events an action
        fields = dict(
            store.conn.execute("SELECT field, count(*) FROM events GROUP BY field").fetchall()
        )
        assert fields["created"] == 50  # every action came in through import_report
        assert {"owner", "due", "status", "note"} <= set(fields)
        overdue = store.actions(Filters(overdue_on=today.isoformat()))
        assert 0 < len(overdue) < 50
        assert store.action(built.show_ref)["ref"] == built.show_ref
        # the history is spread over time, so --as-of has something to undo
        first, last = store.conn.execute("SELECT min(at), max(at) FROM events").fetchone()
        assert first[:10] < (today - dt.timedelta(days=300)).isoformat() < last[:10]
    finally:
        store.close()


def test_large_report_text_yields_requirements(bench: ModuleType) -> None:
    from cpft_tracker.extract import extract_requirements

    text = bench.big_report_text(target_bytes=20_000)
    assert len(text.encode("utf-8")) >= 20_000
    assert len(extract_requirements(text)) >= 20


# -- the fast paths write what the libraries wrote -------------------------------------


def _actions() -> list[dict[str, Any]]:
    base = {
        "report": "R",
        "requirement": "The trust must ensure x.",
        "context": "c",
        "section": None,
        "keyword": "must",
        "quality_statement": None,
        "owner_email": None,
        "evidence": None,
        "retired": None,
        "in_source": True,
        "created_at": "2026-01-01T00:00:00.000000Z",
        "updated_at": "2026-01-01T00:00:00.000000Z",
    }
    rows = [
        ("CPFT-01", "in-progress", "2026-01-01", "Director of Nursing", "Short title"),
        ("CPFT-02", "blocked", None, None, "A much longer title " * 8),
        (
            "CPFT-03",
            "complete",
            "2026-12-01",
            "Zoë Ärger-Łukasz, Head of Estates",
            "Café ‘quoted’ – “x” …",
        ),
        ("CPFT-04", "not-started", "2026-04-02", "X", "日本語のタイトル wide characters " * 3),
        (
            "CPFT-105",
            "in-progress",
            "2027-01-01",
            "=HYPERLINK()",
            '=cmd|" /C calc"!A0, with "quotes"\r\nnew',
        ),
    ]
    return [
        {**base, "ref": r, "status": s, "due": d, "owner": o, "title": t} for r, s, d, o, t in rows
    ]


def _rows(actions: list[dict[str, Any]], today: dt.date) -> list[tuple[str, ...]]:
    return [
        (
            a["ref"],
            render.RAG_LABEL[rag_of(a, today, 14)],
            a["status"],
            a["due"] or "-",
            " ".join((visible(a["owner"]) or "(unassigned)").split()),
            " ".join(visible(a["title"]).split()),  # shown, never obeyed (issue 14, finding 5)
        )
        for a in actions
    ]


def _rich_table(actions: list[dict[str, Any]], today: dt.date, *, wide: bool = False) -> str:
    """The action list drawn by rich's Table with the columns' widths of render.action_layout."""
    from rich.table import Table
    from rich.text import Text

    out = render.console()
    if wide:
        out.width = 100_000
    rows = _rows(actions, today)
    layout = render.action_layout(rows, out.width, wide=wide)
    assert not layout.below  # a layout of columns side by side
    table = Table(box=None, pad_edge=False, header_style="bold", expand=False)
    for header, w in zip(render.ACTION_HEADERS, layout.widths, strict=True):
        table.add_column(header, width=w, no_wrap=header not in ("Owner", "Title"), overflow="fold")
    for row in rows:
        table.add_row(*(Text(c) for c in row))
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        out.print(table, soft_wrap=wide)
    return buf.getvalue()


def _drawn_list(actions: list[dict[str, Any]], today: dt.date, *, wide: bool = False) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        render.print_actions_table(actions, today=today, window=14, wide=wide)
    return buf.getvalue()


@pytest.mark.parametrize("columns", [80, 89, 100, 120, 160, 250])
def test_fast_action_table_matches_rich_table(
    columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the columns sit side by side, the lines are rich's Table's: cells wrapped as rich wraps."""
    monkeypatch.setenv("COLUMNS", str(columns))
    today = dt.date(2026, 3, 31)
    for actions in (_actions(), _actions()[:1], _actions()[2:4]):
        rows = _rows(actions, today)
        if render.action_layout(rows, columns).below:
            continue  # the narrow layout: test_action_table_fits_and_keeps_every_word
        assert _drawn_list(actions, today) == _rich_table(actions, today)
    assert _drawn_list(_actions(), today, wide=True) == _rich_table(_actions(), today, wide=True)


def test_wrapped_cells_are_richs_lines() -> None:
    """render.wrap_cell (a plain greedy wrap when no word needs folding) is rich's wrapping."""
    import random

    from rich.text import Text

    out = render.console()
    rng = random.Random(13)
    texts = ["Zoë Ärger-Łukasz, Head of Estates", "日本語のタイトル wide characters " * 3]
    for _ in range(3_000):
        words = ["".join(rng.choice("abc,.-'é") for _ in range(rng.randint(1, 9)))]
        words += ["".join(rng.choice("xyz;") for _ in range(rng.randint(1, 9))) for _ in range(9)]
        texts.append(" ".join(words[: rng.randint(1, 10)]))
    for text in texts:
        flat = " ".join(text.split())
        for width in (2, 3, 7, 12, 20, 31):  # (no column is narrower than 4)
            wrapped = [line.plain.rstrip() for line in Text(flat).wrap(out, width, overflow="fold")]
            assert render.wrap_cell(flat, width) == wrapped, (flat, width)


@pytest.mark.parametrize("columns", [30, 45, 60, 70, 80, 89, 100, 160])
def test_action_table_fits_and_keeps_every_word(
    columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At any width every column is there and every word of every title and owner, nothing cut.

    (The narrow layout, titles on lines under their action, has no rich Table to compare with.)
    """
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", str(columns))
    today = dt.date(2026, 3, 31)
    text = _drawn_list(_actions(), today)
    lines = text.splitlines()
    for header in render.ACTION_HEADERS:
        assert header in " ".join(lines[:3])
    if columns >= 45:
        assert max(cell_len(line) for line in lines) <= columns
    assert text.count("…") == 1  # the one in a title: no cell is cut with an ellipsis
    words = " ".join(text.split())
    for row in _rows(_actions(), today):
        for cell in row:
            for word in cell.split():
                assert word in words or any(word.startswith(piece) for piece in words.split()), (
                    word
                )  # a word longer than its column is folded, not cut
    wide = _drawn_list(_actions(), today, wide=True).splitlines()
    assert len(wide) == 1 + len(_actions())  # one line an action


def test_fast_json_matches_json_dumps() -> None:
    records = [render.export_record(a, dt.date(2026, 3, 31), 14) for a in _actions()]
    records[0]["title"] = 'control \x01 \u2028 "quote" \\ emoji \U0001f600'
    docs: list[dict[str, Any]] = [
        {"schema_version": 1, "generated_at": "x", "as_of": "y", "actions": records},
        {"schema_version": 1, "actions": []},
        {},
        {"a": [{}]},
        {"a": True, "b": None, "c": -5},
        {"a": [1, 2]},
        {"a": {"b": 1}},
        {"a": 1.5},
    ]
    for doc in docs:
        assert render.dumps_indented(doc) == json.dumps(doc, ensure_ascii=False, indent=2)


def test_fast_csv_matches_csv_writer() -> None:
    rows: list[list[Any]] = [
        [
            "a,b",
            'q"x',
            "line\nx",
            "cr\rx",
            "",
            " sp ",
            "\ttab",
            "=1+1",
            "-2",
            "@x",
            None,
            True,
            3,
            2.5,
        ],
        [""],
        [None],
        ["", ""],
        ["plain"],
    ]
    for row_set in (rows, [list(r.values()) for r in _actions()]):
        for header in (["h"], ["h1", "h2"]):
            buf = io.StringIO()
            buf.write("\ufeff")
            writer = csv.writer(buf, lineterminator="\r\n")
            writer.writerow(header)
            for row in row_set:
                writer.writerow([render.neutralise_cell(v) for v in row])
            assert render.csv_text(header, row_set) == buf.getvalue()


def test_streamed_exports_write_the_same_bytes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Exports are written piece by piece as produced (memory); the bytes are json.dumps's and csv's."""
    from cpft_tracker.cli.output import write_output

    monkeypatch.setattr(render, "utc_now_iso", lambda: "2026-03-31T12:00:00Z")
    today = dt.date(2026, 3, 31)
    odd = {**_actions()[0], "title": 'control \x01 \u2028 "quote" \\ emoji \U0001f600'}
    for actions in ([], _actions()[:1], [*_actions(), odd]):
        doc: dict[str, Any] = {
            "schema_version": render.EXPORT_SCHEMA_VERSION,
            "generated_at": "2026-03-31T12:00:00Z",
            "as_of": today.isoformat(),
            "actions": [render.export_record(a, today, 14) for a in actions],
        }
        pieces = list(render.actions_json_chunks(actions, today=today, window=14))
        assert len(pieces) == len(actions) + 1
        assert "".join(pieces) == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        assert render.actions_json(actions, today=today, window=14) == "".join(pieces)
        lines = list(render.actions_csv_lines(actions, today=today, window=14))
        assert len(lines) == len(actions) + 2  # BOM, header, one line an action
        assert "".join(lines) == render.csv_text(
            render.EXPORT_FIELDS, (render._csv_row(r) for r in doc["actions"])
        )
        target = tmp_path / "out.json"
        write_output(
            render.actions_json_chunks(actions, today=today, window=14), str(target), force=True
        )
        assert target.read_bytes() == "".join(pieces).encode("utf-8")
    # a record of another shape falls back to json.dumps, still nested exactly
    nested = {"a": [1, 2], "b": {"c": None}, "d": 1.5}
    assert render._record_json(nested) == json.dumps(nested, ensure_ascii=False, indent=2).replace(
        "\n", "\n    "
    )


def test_streamed_stdout_gathers_pieces_and_falls_back_to_utf8(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = io.BytesIO()
    ascii_out = io.TextIOWrapper(raw, encoding="ascii", newline="")
    monkeypatch.setattr(sys, "stdout", ascii_out)
    render.write_stdout_chunks(["plain ", "x" * (1 << 20), " Zoë ", "after"])
    assert raw.getvalue() == ("plain " + "x" * (1 << 20) + " Zoë after").encode("utf-8")


# -- the progress screen: padded lines, the bytes of render.print_progress_rich's Tables ----


def _progress_rows() -> list[dict[str, Any]]:
    """A plan whose tables need every case: wide and long names, brackets, 4-digit counts."""
    names = [
        "Director of Nursing",
        "Zoë Ärger-Łukasz, Head of Estates and Facilities Management for All Sites",
        "日本語の名前 担当者 wide characters owner",
        "Medical Director [interim] :fire:",
        "X",
        None,
    ]
    statuses = ["not-started", "in-progress", "blocked", "complete"]
    rows = []
    for i in range(1_500):
        rows.append(
            {
                "status": "blocked" if i < 1_100 else statuses[i % 4],
                "due": f"2026-0{1 + i % 3}-1{i % 10}",  # none due soon: the totals fit 80
                "owner": names[0] if i < 1_100 else names[i % len(names)],
                "retired": "merged" if i % 97 == 0 else None,
                "quality_statement": [
                    None,
                    "Freedom to speak up",
                    "Safe systems, pathways and transitions",
                ][i % 3],
            }
        )
    return rows


def _drawn(draw: Any, figures: dict[str, Any], groupings: list[str], position: str) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        draw(figures, position=position, groupings=groupings, since=None)
    return buf.getvalue()


@pytest.mark.parametrize("colour", ["pipe", "terminal", "terminal NO_COLOR"])
def test_fast_progress_screen_matches_rich_tables(
    colour: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cpft_tracker.progress import summarise

    monkeypatch.delenv("NO_COLOR", raising=False)
    if colour != "pipe":
        monkeypatch.setenv("FORCE_COLOR", "1")  # rich: as on a terminal
    if colour.endswith("NO_COLOR"):
        monkeypatch.setenv("NO_COLOR", "1")
    today = dt.date(2026, 3, 31)
    rows = _progress_rows()
    plans = [
        summarise(rows, today=today, window=14),  # 1,100 red for one owner: squeezed below 81
        summarise(rows[1_100:], today=today, window=14),  # no retired, counts fit their headings
    ]
    plans[1]["by_status"] = []  # a table with nothing in it
    positions = ["Action plan progress on 31 March 2026", "p " * 40]
    for columns in (20, 30, 45, 60, 70, 76, 77, 78, 80, 81, 89, 100, 120, 133, 160, 250):
        monkeypatch.setenv("COLUMNS", str(columns))
        for figures in plans:
            for groupings in (["quality-statement", "owner", "status"], ["owner"]):
                for position in positions:
                    fast = _drawn(render.print_progress, figures, groupings, position)
                    rich = _drawn(render.print_progress_rich, figures, groupings, position)
                    assert fast == rich, (columns, groupings, position)
    if colour == "terminal":
        assert "\x1b[1;31m" in fast  # BRAG colours stay on a terminal
    else:
        assert "\x1b[3" not in fast


def test_fast_progress_screen_draws_without_rich_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """At the usual widths (a pipe's 80 columns, squeezed, included) no rich Table is rendered."""
    from cpft_tracker.progress import summarise

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("drawn by rich's Table")

    monkeypatch.setattr(render, "print_progress_rich", refuse)
    figures = summarise(_progress_rows(), today=dt.date(2026, 3, 31), window=14)
    for columns in (80, 120, 200):
        monkeypatch.setenv("COLUMNS", str(columns))
        text = _drawn(render.print_progress, figures, ["quality-statement", "owner", "status"], "p")
        # people's text, never read as markup or emoji codes, and never cut (wrapped)
        assert "Medical Director" in text and "[interim] :fire:" in text
        assert "…" not in text


@pytest.mark.parametrize("colour", [False, True])
@pytest.mark.parametrize("columns", [40, 120])
def test_action_list_written_in_blocks_is_the_same_as_at_once(
    colour: bool, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list is written a block of lines at a time (memory at 100,000 actions), and past
    ``ACTION_ROWS_HELD`` rows they wait in a temporary file for the layout: on a pipe and in
    colour, wide and narrow (titles below), the bytes are those of one write from memory."""
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.delenv("NO_COLOR", raising=False)
    if colour:
        monkeypatch.setenv("FORCE_COLOR", "1")
    else:
        monkeypatch.delenv("FORCE_COLOR", raising=False)
    today = dt.date(2026, 3, 31)
    actions = [
        {**a, "ref": f"{a['ref']}-{n}"} for n in range(7) for a in _actions()
    ]  # 7 copies: many blocks of 3 lines, a row's wrapped lines across a block's end
    monkeypatch.setattr(render, "ACTION_LINES_AT_ONCE", 10**9)
    at_once = _drawn_list(actions, today)
    monkeypatch.setattr(render, "ACTION_LINES_AT_ONCE", 3)
    assert _drawn_list(actions, today) == at_once
    # and with the rows waiting in a temporary file, a few at a time, for the layout
    monkeypatch.setattr(render, "ACTION_ROWS_HELD", 4)
    assert _drawn_list(actions, today) == at_once
    monkeypatch.setattr(render, "ACTION_ROWS_HELD", 10**9)
    wide_at_once = _drawn_list(actions, today, wide=True)
    monkeypatch.setattr(render, "ACTION_ROWS_HELD", 4)
    assert _drawn_list(actions, today, wide=True) == wide_at_once
    assert ("\x1b[" in at_once) is colour
    assert at_once.count("CPFT-04-") == 7


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"COLUMNS": "133"},
        {"COLUMNS": "0"},
        {"COLUMNS": "wide"},
        {"COLUMNS": "90", "LINES": "40"},
        {"TERM": "dumb"},
        {"NO_COLOR": "1"},
        {"FORCE_COLOR": "1"},
        {"FORCE_COLOR": ""},
        {"TTY_COMPATIBLE": "1"},
        {"TTY_COMPATIBLE": "0"},
        {"TTY_INTERACTIVE": "1"},
    ],
)
@pytest.mark.parametrize("wide", [False, True])
def test_progress_on_a_pipe_sees_stdout_as_rich_does(
    env: dict[str, str], wide: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``progress`` on a pipe works out the width without importing rich: the same width
    rich's Console gives, and only where rich would draw no colour; anything that asks for a
    terminal (FORCE_COLOR, TTY_COMPATIBLE, ...) is left to rich."""
    for key in ("COLUMNS", "LINES", "TERM", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.delenv("TTY_INTERACTIVE", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with contextlib.redirect_stdout(io.StringIO()):
        screen = render._pipe_screen(wide)
        real = render._console_for(wide)
        if screen is not None:
            assert real.color_system is None
            assert screen.width == real.width
    asks = {"FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"} & set(env)
    assert (screen is None) == bool(asks)


def test_progress_on_a_pipe_does_not_import_rich(tmp_path: Path) -> None:
    """The progress screen on a pipe is drawn without rich's console (start-up, issue 10)."""
    script = (
        "import sys, datetime as dt\n"
        "from cpft_tracker import render\n"
        "from cpft_tracker.progress import summarise\n"
        "rows = [{'status': 'blocked', 'due': '2026-01-01', 'owner': 'A', 'retired': None,"
        " 'quality_statement': None}]\n"
        "figures = summarise(rows, today=dt.date(2026, 3, 31), window=14)\n"
        "render.print_progress(figures, position='p', groupings=['owner', 'status'])\n"
        "assert 'rich.console' not in sys.modules, 'rich imported'\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env["COLUMNS"] = "100"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Red 1" in done.stdout and "\x1b[" not in done.stdout
