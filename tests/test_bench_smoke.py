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
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cpft_tracker import render
from cpft_tracker.models import rag_of
from cpft_tracker.store import Filters, Store

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


def _rich_table(actions: list[dict[str, Any]], today: dt.date) -> str:
    """The action list drawn by rich's Table, as print_actions_table drew it before."""
    from rich.table import Table

    out = render.console()
    rows = [
        (
            a["ref"],
            rag_of(a, today, 14),
            a["status"],
            a["due"] or "-",
            a["owner"] or "(unassigned)",
            a["title"],
        )
        for a in actions
    ]
    ref_w = max([3] + [len(r[0]) for r in rows])
    owner_w = min(24, max([5] + [len(r[4]) for r in rows]))
    fixed = ref_w + 7 + 11 + 10 + owner_w + 2 * 5
    title_w = max(20, out.width - fixed)
    table = Table(box=None, pad_edge=False, header_style="bold", expand=False)
    table.add_column("Ref", no_wrap=True, min_width=ref_w)
    table.add_column("BRAG", no_wrap=True, min_width=7)
    table.add_column("Status", no_wrap=True, min_width=11)
    table.add_column("Due", no_wrap=True, min_width=10)
    table.add_column("Owner", no_wrap=True, width=owner_w)
    table.add_column("Title", no_wrap=True, width=title_w)
    for ref, rating, status, due, owner, title in rows:
        table.add_row(
            ref,
            render.rag_text(rating),
            status,
            due,
            render.escape_markup(render.truncate(owner, owner_w)),
            render.escape_markup(render.truncate(title, title_w)),
        )
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        out.print(table)
    return buf.getvalue()


@pytest.mark.parametrize("columns", [30, 60, 80, 89, 100, 160])
def test_fast_action_table_matches_rich_table(
    columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    today = dt.date(2026, 3, 31)
    actions = _actions()
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        render.print_actions_table(actions, today=today, window=14)
    assert buf.getvalue() == _rich_table(actions, today)


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
