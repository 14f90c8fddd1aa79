"""The one place that renders output: rich tables for people, JSON and CSV for scripts.

Data goes to stdout, messages to stderr. Colour only on a terminal and never when
``NO_COLOR`` is set (rich honours both). Text from people reaches a terminal or a text
format (tables, CSV) only through ``textsafe.visible``: ESC, BEL, other control characters
and bidi overrides are shown, never obeyed (issue 14, finding 5); JSON keeps them exactly. ``rich`` is imported only when a table is
drawn, so machine formats and writes start fast.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from json.encoder import encode_basestring as _json_str  # C implementation when available
from typing import TYPE_CHECKING, Any

from cpft_tracker.board import NO_STATEMENT, RAG_WORDS, long_date, short_date
from cpft_tracker.models import DEFAULT_WINDOW_DAYS, RAGS, rag_of, ref_order
from cpft_tracker.textsafe import visible, visible_values

if TYPE_CHECKING:
    from rich.console import Console

EXPORT_SCHEMA_VERSION = 1

# The documented export fields, in order (README "JSON for scripts").
EXPORT_FIELDS: tuple[str, ...] = (
    "ref",
    "report",
    "requirement",
    "title",
    "context",
    "section",
    "keyword",
    "quality_statement",
    "owner",
    "owner_email",
    "due",
    "status",
    "rag",
    "evidence",
    "retired",
    "in_source",
    "created_at",
    "updated_at",
    # why it was taken and how sure, and whether a person has accepted it (issue 11 item 3)
    "matched",
    "rule",
    "confidence",
    "review",
    "review_reason",
    "possible_duplicates",
    "version",
)

RAG_STYLE = {"blue": "bold blue", "green": "green", "amber": "bold yellow", "red": "bold red"}
RAG_LABEL = {"blue": "Blue", "green": "Green", "amber": "Amber", "red": "Red", None: "Retired"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def console(*, stderr: bool = False) -> Console:
    """A rich console for stdout (or stderr) that honours NO_COLOR, pipes and COLUMNS."""
    from rich.console import Console

    return Console(
        stderr=stderr,
        no_color=bool(os.environ.get("NO_COLOR")) or None,
        highlight=False,
        soft_wrap=False,
    )


def utc_now_iso() -> str:
    """Now in UTC, ISO 8601 with a Z, to the second."""
    from cpft_tracker.store import now_utc

    return now_utc().split(".")[0] + "Z"


# -- machine formats ----------------------------------------------------------


def export_record(
    action: Mapping[str, Any], today: dt.date, window: int = DEFAULT_WINDOW_DAYS
) -> dict[str, Any]:
    """One action as the documented export object."""
    record = {name: action.get(name) for name in EXPORT_FIELDS}
    record["rag"] = rag_of(action, today, window)
    record["in_source"] = bool(action.get("in_source", True))
    record["review"] = action.get("review") or "accepted"
    record["possible_duplicates"] = duplicate_refs(action)
    return record


def duplicate_refs(action: Mapping[str, Any]) -> list[str]:
    """The refs of the actions that may state the same requirement as this one (stored as JSON)."""
    stored = action.get("possible_duplicates")
    if not stored:
        return []
    if isinstance(stored, list | tuple):
        return [str(r) for r in stored]
    try:
        refs = json.loads(stored)
    except ValueError:
        return []
    return [str(r) for r in refs] if isinstance(refs, list) else []


def actions_json(
    actions: Iterable[Mapping[str, Any]],
    *,
    today: dt.date,
    window: int = DEFAULT_WINDOW_DAYS,
    as_of: str | None = None,
) -> str:
    """The versioned JSON export: ``{"schema_version", "generated_at", "as_of", "actions": [...]}``."""
    return "".join(actions_json_chunks(actions, today=today, window=window, as_of=as_of))


def actions_json_chunks(
    actions: Iterable[Mapping[str, Any]],
    *,
    today: dt.date,
    window: int = DEFAULT_WINDOW_DAYS,
    as_of: str | None = None,
    since: Mapping[str, Any] | None = None,
) -> Iterator[str]:
    """:func:`actions_json` as it is produced: the head, one piece per action, the tail.

    With ``since`` (``progress.changes_since``, from ``export --since``) the document ends
    with a ``since`` key holding it.

    Memory (issue 7): written as produced, an export never holds every record and the
    whole document at once (``export --format json`` peaked at 103 MB at 10,000 actions).
    The bytes are exactly those of ``dumps_indented(doc) + "\n"`` (tested).
    """
    head = {
        "schema_version": EXPORT_SCHEMA_VERSION,
        "generated_at": utc_now_iso(),
        "as_of": as_of or today.isoformat(),
    }
    text = "{" + ",".join(f"\n  {_json_str(k)}: {_scalar_json(v)}" for k, v in head.items())
    sep = ',\n  "actions": [\n    '
    for action in actions:
        yield text + sep
        text = _record_json(export_record(action, today, window))
        sep = ",\n    "
    tail = "\n}\n"
    if since is not None:
        changes = json.dumps(since, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        tail = f',\n  "since": {changes}' + tail
    if sep == ",\n    ":
        yield text + "\n  ]" + tail
    else:
        yield text + ',\n  "actions": []' + tail


def _record_json(record: Mapping[str, Any]) -> str:
    """One flat record as it appears inside ``json.dumps(doc, ensure_ascii=False, indent=2)``'s list."""
    parts = []
    for k, v in record.items():
        t = _scalar_json(v)
        if t is None and type(v) is list:
            t = _str_list_json(v, "\n      ")
        if t is None or type(k) is not str:
            nested = json.dumps(record, ensure_ascii=False, indent=2)
            return nested.replace("\n", "\n    ")  # JSON text has no raw newline in a string
        parts.append(f"{_json_str(k)}: {t}")
    return "{\n      " + ",\n      ".join(parts) + "\n    }" if parts else "{}"


def _str_list_json(values: list[Any], lead: str) -> str | None:
    """A list of strings as ``json.dumps(..., indent=2)`` writes it at ``lead``; None for others."""
    if not values:
        return "[]"
    if any(type(v) is not str for v in values):
        return None
    inner = lead + "  "
    return "[" + inner + ("," + inner).join(_json_str(v) for v in values) + lead + "]"


def _scalar_json(value: Any) -> str | None:
    """A scalar as ``json.dumps`` writes it (C string encoder); None for anything else."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    kind = type(value)
    if kind is str:
        return _json_str(value)
    if kind is int:
        return int.__repr__(value)
    return None


def dumps_indented(doc: Mapping[str, Any]) -> str:
    """``json.dumps(doc, ensure_ascii=False, indent=2)``, byte for byte, about twice as fast.

    Speed (issue 7): with ``indent`` the json module uses its pure-Python encoder (~135 ms
    for 10,000 actions). An export is a dict of scalars and lists of flat dicts of scalars,
    so it is written here with the C string encoder; any other shape goes to json.dumps.
    """
    out = ["{"]
    lead = "\n  "
    for key, value in doc.items():
        text = _scalar_json(value)
        if type(key) is not str:
            return json.dumps(doc, ensure_ascii=False, indent=2)
        if text is not None:
            out.append(f"{lead}{_json_str(key)}: {text}")
        elif type(value) is list:
            out.append(f"{lead}{_json_str(key)}: [")
            sep = "\n    "
            for record in value:
                if type(record) is not dict:
                    return json.dumps(doc, ensure_ascii=False, indent=2)
                parts = []
                for k, v in record.items():
                    t = _scalar_json(v)
                    if t is None and type(v) is list:
                        t = _str_list_json(v, "\n      ")
                    if t is None or type(k) is not str:
                        return json.dumps(doc, ensure_ascii=False, indent=2)
                    parts.append(f"{_json_str(k)}: {t}")
                out.append(
                    sep + ("{\n      " + ",\n      ".join(parts) + "\n    }" if parts else "{}")
                )
                sep = ",\n    "
            out.append("\n  ]" if value else "]")
        else:
            return json.dumps(doc, ensure_ascii=False, indent=2)
        lead = ",\n  "
    out.append("\n}" if len(out) > 1 else "}")
    return "".join(out)


def neutralise_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will show as text, never run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> str:
    """CSV that opens cleanly in Excel: UTF-8 with BOM, CRLF rows, formula prefixes neutralised."""
    return "".join(csv_lines(header, rows, bom=bom))


def csv_lines(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = True
) -> Iterator[str]:
    """:func:`csv_text` one line at a time (the BOM first), so it can be written as produced."""
    # Speed (issue 7): the csv module's writer takes ~110 ms for 10,000 actions (12 MB: it
    # scans every character); quoting is done here with str methods in half that, with the
    # writer's rules (QUOTE_MINIMAL, "\r\n"): a cell with , " CR or LF is quoted, quotes
    # doubled, and a row of one empty cell is written as "". Text that cannot start a formula
    # skips neutralise_cell (same result). tests/test_bench_smoke.py checks it against csv.
    starts = "".join(FORMULA_STARTS)  # all one character long
    if bom:
        yield "\ufeff"
    yield _csv_line([str(h) for h in header])
    for row in rows:
        cells = [_csv_visible(v) if type(v) is str else v for v in row]
        yield _csv_line(
            [
                v if type(v) is str and not (v and v[0] in starts) else neutralise_cell(v)
                for v in cells
            ]
        )


_CSV_SPECIAL = re.compile(r'[,"\r\n]')


def _csv_visible(text: str) -> str:
    """A CSV cell's text with control characters shown (line ends and tabs kept, CR too)."""
    if "\r" not in text:
        return visible(text, multiline=True)
    return "\r".join(visible(part, multiline=True) for part in text.split("\r"))


def _csv_line(cells: Sequence[str]) -> str:
    """One CSV row as csv.writer (QUOTE_MINIMAL, lineterminator "\r\n") writes it."""
    if len(cells) == 1 and cells[0] == "":
        return '""\r\n'
    special = _CSV_SPECIAL.search
    return ",".join('"' + c.replace('"', '""') + '"' if special(c) else c for c in cells) + "\r\n"


def actions_csv_lines(
    actions: Iterable[Mapping[str, Any]], *, today: dt.date, window: int = DEFAULT_WINDOW_DAYS
) -> Iterator[str]:
    """The CSV export (BOM, header, one line per action) as it is produced: see ``actions_json_chunks``."""
    records = (export_record(a, today, window) for a in actions)
    return csv_lines(EXPORT_FIELDS, (_csv_row(r) for r in records))


def _csv_row(record: Mapping[str, Any]) -> list[Any]:
    """One export record as CSV cells: a list of refs is one cell, "CPFT-10; CPFT-14"."""
    return [
        "; ".join(record[f]) if f == "possible_duplicates" else record[f] for f in EXPORT_FIELDS
    ]


def write_stdout(text: str) -> None:
    """Write data to stdout as UTF-8 whatever the locale says."""
    # Memory (issue 7): written in 1 MB slices, so a 13 MB text is not also held encoded whole.
    step = 1 << 20
    write_stdout_chunks(text[start : start + step] for start in range(0, len(text), step))


def write_stdout_chunks(chunks: Iterable[str]) -> None:
    """Write data to stdout as it is produced, as UTF-8 whatever the locale says.

    Small pieces are gathered into ~1 MB writes. If the locale's encoding cannot take a
    piece, that piece and everything after it go out as UTF-8 bytes.
    """
    out = sys.stdout
    pending: list[str] = []
    size = 0
    limit = 1 << 20
    as_bytes = False

    def flush_pending() -> None:
        nonlocal as_bytes
        text = "".join(pending)
        pending.clear()
        if not as_bytes:
            try:
                out.write(text)
                return
            except UnicodeEncodeError:  # a piece that failed to encode was not written
                out.flush()
                as_bytes = True
        out.buffer.write(text.encode("utf-8"))

    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= limit:
            flush_pending()
            size = 0
    flush_pending()
    out.flush()


# -- tables for people ----------------------------------------------------------


def truncate(text: str, width: int) -> str:
    """Cut text to ``width`` characters with an ellipsis; the full text is in ``show``."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(0, width - 1)].rstrip() + "…"


def rag_text(value: str | None) -> Any:
    """A BRAG label, coloured on a terminal."""
    from rich.text import Text

    return Text(RAG_LABEL.get(value, str(value)), style=RAG_STYLE.get(value or "", "dim"))


def print_actions_table(
    actions: Sequence[Mapping[str, Any]], *, today: dt.date, window: int = DEFAULT_WINDOW_DAYS
) -> None:
    """The action list as a table: one line per action, titles truncated to the width."""
    out = console()
    rows = []
    for a in actions:
        a = visible_values(a)  # people's text shown, never obeyed by the terminal
        title = a["title"]
        if a.get("retired"):
            title = f"[retired] {title}"
        elif a.get("review") == "awaiting":
            title = f"[awaiting review] {title}"
        elif not a.get("in_source", True):
            title = f"[not in latest report] {title}"
        rows.append(
            (
                a["ref"],
                rag_of(a, today, window),
                a["status"],
                a.get("due") or "-",
                a.get("owner") or "(unassigned)",
                title,
            )
        )
    ref_w = max([3] + [len(r[0]) for r in rows])
    owner_w = min(24, max([5] + [len(r[4]) for r in rows]))
    fixed = ref_w + 7 + 11 + 10 + owner_w + 2 * 5
    title_w = max(20, out.width - fixed)
    widths: tuple[int, ...] | None = (ref_w, 7, 11, 10, owner_w, title_w)
    if fixed + title_w > out.width:  # e.g. a pipe (80 columns): squeeze as rich's Table does
        widths = _squeezed_widths(out, ref_w, owner_w, title_w)
    if widths is not None:
        _print_fixed_columns(out, rows, widths, owner_w, title_w)
        return
    # Only if rich's column arithmetic is unavailable: rich's own Table (slow: ~0.6 ms a row).
    table = _actions_table(ref_w, owner_w, title_w)
    for ref, rating, status, due, owner, title in rows:
        table.add_row(
            escape_markup(ref),
            rag_text(rating),
            escape_markup(status),
            due,
            escape_markup(truncate(owner, owner_w)),
            escape_markup(truncate(title, title_w)),
        )
    out.print(table)


# Characters one terminal cell wide (ASCII, Latin, Greek, Cyrillic, general punctuation such
# as ’ “ – …, currency, letterlike): for text made only of these, len() is the width.
_SINGLE_WIDTH = re.compile(
    r"[\x20-\x7e\xa0-\u02ff\u0370-\u0482\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2100-\u214f]*\Z"
)


def _single_width(text: str) -> bool:
    """Every character one terminal cell wide: ``len`` is the width (plain str arithmetic is exact)."""
    return text.isascii() or _SINGLE_WIDTH.match(text) is not None


def _cell_len(text: str) -> int:
    """Terminal cells ``text`` takes, as rich measures it."""
    if _single_width(text):
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _fit_cell(text: str, width: int) -> str:
    """``text`` as exactly ``width`` cells, padded or cut with "…" as a rich Table cell is."""
    if _single_width(text):
        if len(text) > width:
            return text[: width - 1] + "…"
        return text + " " * (width - len(text))
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def _actions_table(ref_w: int, owner_w: int, title_w: int) -> Any:
    """The rich Table layout of the action list (no rows)."""
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold", expand=False)
    table.add_column("Ref", no_wrap=True, min_width=ref_w)
    table.add_column("BRAG", no_wrap=True, min_width=7)
    table.add_column("Status", no_wrap=True, min_width=11)
    table.add_column("Due", no_wrap=True, min_width=10)
    table.add_column("Owner", no_wrap=True, width=owner_w)
    table.add_column("Title", no_wrap=True, width=title_w)
    return table


def _squeezed_widths(
    out: Console, ref_w: int, owner_w: int, title_w: int
) -> tuple[int, ...] | None:
    """The column widths rich's Table would choose when the columns do not fit the width.

    Asks rich's own arithmetic with one row of the widest cells (every other row is no
    wider), so the fast drawing squeezes exactly as the Table did. None if that is not
    possible (a private rich method changed) or a column would vanish.
    """
    table = _actions_table(ref_w, owner_w, title_w)
    table.add_row("x" * ref_w, "Retired", "in-progress", "2026-01-01", "x" * owner_w, "x" * title_w)
    try:
        padded = table._calculate_column_widths(out, out.options)
    except Exception:  # noqa: BLE001 - a rich without that method: draw with the Table
        return None
    widths = tuple(w - pad for w, pad in zip(padded, (1, 2, 2, 2, 2, 1), strict=True))
    return widths if min(widths) >= 1 else None


def escape_markup(text: str) -> str:
    """Text shown as written (a title with "[...]" in it is not rich markup)."""
    from rich.markup import escape

    return escape(text)


def _print_fixed_columns(
    out: Console,
    rows: Sequence[tuple[Any, ...]],
    widths: Sequence[int],
    owner_w: int,
    title_w: int,
) -> None:
    """Draw the action table line by line, in the layout of rich's ``Table(box=None, pad_edge=False)``.

    Speed (issue 7, bench/RESULTS.md): rich's Table measures and wraps every cell, about
    0.6 ms a row: 2,000 overdue actions took 1.3 s to draw. Every column here has a fixed
    width, so each line is the cells padded (or cut with "…") to their widths and joined by
    two spaces: a few microseconds a row. Cell text is shown as written (never read as rich
    markup). On a colour terminal the lines go through rich as one Text, so the header is
    bold and BRAG coloured exactly as before; on a pipe the text is written directly.
    """
    from rich.cells import set_cell_size
    from rich.text import Span, Text

    single, cell = _single_width, _fit_cell
    ref_w, rag_w, status_w, due_w, owner_cell, title_cell = widths
    header = ("Ref", "BRAG", "Status", "Due", "Owner", "Title")
    width = out.width
    too_wide = sum(widths) + 2 * (len(widths) - 1) > width  # every line: cut at the width
    lines = ["  ".join(cell(h, w) for h, w in zip(header, widths, strict=True))]
    if too_wide:
        lines[0] = lines[0][:width]
    rag_at = ref_w + 2  # where the BRAG cell starts on each line
    styled = out.color_system is not None
    spans: list[Any] = []
    offset = len(lines[0]) + 1
    if styled:
        spans.append(Span(0, len(lines[0]), "bold"))
    for ref, rating, status, due, owner, title in rows:
        label = RAG_LABEL.get(rating, str(rating))
        owner, title = truncate(owner, owner_w), truncate(title, title_w)
        line = "  ".join(
            (
                cell(ref, ref_w),
                cell(label, rag_w),
                cell(status, status_w),
                cell(due, due_w),
                cell(owner, owner_cell),
                cell(title, title_cell),
            )
        )
        if too_wide:  # wider than the terminal: cut, as rich's console does
            plain = single(ref) and single(owner) and single(title)
            line = line[:width] if plain else set_cell_size(line, width)
        if styled:
            start = offset + len(cell(ref, ref_w)) + 2 if not single(ref) else offset + rag_at
            spans.append(Span(start, start + rag_w, RAG_STYLE.get(rating or "", "dim")))
        lines.append(line)
        offset += len(line) + 1
    if not styled:
        write_stdout("\n".join(lines) + "\n")
        return
    out.print(
        Text("\n".join(lines), spans=spans, no_wrap=True, overflow="ignore"),
        soft_wrap=True,
    )


# One line of a screen: (text, rich style or None) pieces.
_Line = list[tuple[str, str | None]]


def print_progress(
    figures: Mapping[str, Any],
    *,
    position: str,
    groupings: Sequence[str],
    since: Mapping[str, Any] | None = None,
) -> None:
    """The ``progress`` screen of ``print_progress_rich``, drawn as padded lines: the same bytes.

    Speed (issue 7, bench/RESULTS.md): rich's Table measured and rendered every cell of the
    three tables, ~35 ms of ``progress`` at 10,000 actions (65 owners). Every line of this
    screen is known text and every column's width follows from its cells (as
    ``Table(box=None, pad_edge=False)`` lays them out: two spaces between columns, names
    left, numbers right), so when every line fits the width the lines ARE the screen:
    written directly on a pipe; on a terminal printed through rich once, as a Text with
    the same styles piece by piece (bold headings, BRAG colours). When anything would wrap
    or be squeezed (a terminal narrower than 77 columns, counts wider than their headings),
    ``print_progress_rich`` draws it with rich's Table, as before.
    ``tests/test_bench_smoke.py`` compares the two at many widths, on a pipe and in colour.
    """
    from cpft_tracker.models import RAGS

    out = console()
    width = out.width
    pct = figures["percent_complete"]
    brag: _Line = [("BRAG      ", None)]
    for i, name in enumerate(RAGS):
        if i:
            brag.append(("  ", None))
        brag.append((f"{RAG_WORDS[name]} {figures['rag'][name]}", RAG_STYLE[name]))
    extra = (
        f"Overdue {figures['overdue']}  Unassigned {figures['unassigned']}  "
        f"Due in the next 30 days {figures['due_next_30_days']}"
    )
    if figures.get("retired"):
        extra += f"  Retired {figures['retired']} (not counted)"
    lines: list[_Line] = [
        [(position, "bold")],
        [],
        [
            (f"Complete  {figures['complete']} of {figures['total']} ({pct:.1f}%)  ", None),
            (progress_bar(pct), "blue"),
        ],
        brag,
        [(extra, None)],
        [(f"Amber warning window: {figures['window_days']} days", "dim")],
    ]
    name_w = max(20, min(56, width - 57))  # as print_progress_rich: the rest take 57
    for grouping in groupings:
        entries = figures[GROUP_KEYS[grouping]]
        lines += [[], [(GROUP_TITLES[grouping], "bold")]]
        if not entries:
            lines.append([("  (no tracked actions)", None)])
            continue
        table = _progress_table(out, entries, GROUP_NONE[grouping], name_w, RAG_WORDS, RAGS)
        if table is None:  # too narrow even squeezed, or rich's arithmetic unavailable
            print_progress_rich(figures, position=position, groupings=groupings, since=since)
            return
        lines += table
    _print_lines(out, lines)
    if since is not None:
        print_since(since, width=width)


def _print_lines(out: Console, lines: Sequence[_Line]) -> None:
    """Lines of (text, style) pieces, as rich prints each line as a Text of those pieces.

    Lines that fit the width are written as they are (on a terminal through rich once, as
    one Text with the styles); a line that does not is printed by rich, which wraps it.
    """
    plain = out.color_system is None
    block: list[_Line] = []

    def flush() -> None:
        if not block:
            return
        if plain:
            write_stdout("".join("".join(text for text, _ in line) + "\n" for line in block))
        else:
            out.print(_text_of(block), soft_wrap=True)
        block.clear()

    for line in lines:
        if sum(_cell_len(text) for text, _ in line) <= out.width:
            block.append(line)
        else:
            flush()
            wrapped = _text_of([line])
            wrapped.no_wrap = wrapped.overflow = None
            out.print(wrapped)
    flush()


def _text_of(lines: Sequence[_Line]) -> Any:
    """One rich Text of the lines, one span per styled piece."""
    from rich.text import Text

    text = Text(no_wrap=True, overflow="ignore")
    for i, line in enumerate(lines):
        if i:
            text.append("\n")
        for piece, style in line:
            text.append(piece, style)
    return text


def _progress_table(
    out: Console,
    entries: Sequence[Mapping[str, Any]],
    none_label: str,
    name_w: int,
    rag_words: Mapping[str, str],
    rags: Sequence[str],
) -> list[_Line] | None:
    """One progress table as lines, laid out as print_progress_rich's rich Table.

    Columns as wide as their widest cell (names at most ``name_w``); when that is wider than
    the console, the widths rich's Table would squeeze them to (cells then cut with "…").
    None when that cannot be drawn the same way (a column squeezed to nothing).
    """
    headers = ["Name", "Actions", "Done", "% done", *(rag_words[n] for n in rags), "Overdue"]
    header_styles = ["bold"] * 4 + [f"bold {RAG_STYLE[n]}" for n in rags] + ["bold"]
    names = [truncate(visible(e["name"]) or none_label, name_w) for e in entries]
    rows: list[list[tuple[str, str | None]]] = [
        [
            (str(e["total"]), None),
            (str(e["complete"]), None),
            (f"{e['percent_complete']:.1f}", None),
            *((str(e["rag"][n]), RAG_STYLE[n] if e["rag"][n] else None) for n in rags),
            (str(e["overdue"]), None),
        ]
        for e in entries
    ]
    widest = max(names, key=_cell_len)
    widths = [min(name_w, max(4, _cell_len(widest)))]
    for i, header in enumerate(headers[1:]):
        widths.append(max(len(header), *(len(row[i][0]) for row in rows)))
    if sum(widths) + 2 * (len(widths) - 1) > out.width:
        squeezed = _squeezed_progress_widths(out, headers, header_styles, widest, widths, name_w)
        if squeezed is None:
            return None
        widths = squeezed

    def right(text: str, w: int) -> str:  # a number (ASCII) right-justified, or cut as rich cuts
        return text.rjust(w) if len(text) <= w else text[: w - 1] + "…"

    last = len(headers) - 1
    head: _Line = []
    for i, (text, bold, w) in enumerate(zip(headers, header_styles, widths, strict=True)):
        if i:
            head.append((" ", bold))  # rich styles a heading's padding as the heading
        head.append((_fit_cell(text, w) if i == 0 else right(text, w), bold))
        if i < last:
            head.append((" ", bold))
    lines = [head]
    for name, row in zip(names, rows, strict=True):
        line: _Line = [(_fit_cell(name, widths[0]), None)]
        for (text, style), w in zip(row, widths[1:], strict=True):
            line += [("  ", None), (right(text, w), style)]
        lines.append(line)
    return lines


def _squeezed_progress_widths(
    out: Console,
    headers: Sequence[str],
    header_styles: Sequence[str],
    widest_name: str,
    widths: Sequence[int],
    name_w: int,
) -> list[int] | None:
    """The column widths rich's Table (print_progress_rich's) squeezes a too-wide table to.

    Asks rich's own arithmetic with one row of the widest cells (as ``_squeezed_widths``
    does for the action list). None if that is not possible or a column would vanish.
    """
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column(headers[0], no_wrap=True, max_width=name_w)
    for header, style in zip(headers[1:], header_styles[1:], strict=True):
        table.add_column(header, justify="right", no_wrap=True, header_style=style)
    table.add_row(Text(widest_name), *("9" * w for w in widths[1:]))
    try:
        padded = table._calculate_column_widths(out, out.options)
    except Exception:  # noqa: BLE001 - a rich without that method: draw with the Table
        return None
    last = len(padded) - 1
    squeezed = [w - (i > 0) - (i < last) for i, w in enumerate(padded)]
    return squeezed if min(squeezed) >= 1 else None


def print_action(
    action: Mapping[str, Any],
    history: Sequence[Mapping[str, Any]],
    *,
    today: dt.date,
    window: int = DEFAULT_WINDOW_DAYS,
    merged: Sequence[Mapping[str, Any]] = (),
) -> None:
    """Everything about one action: the requirement verbatim, its source, its state and its history.

    ``merged``: the actions merged into this one, each shown with its requirement and source.
    """
    from rich.markup import escape

    out = console()
    rating = rag_of(action, today, window)
    raw = action
    action = visible_values(action)  # people's text shown, never obeyed by the terminal
    action["requirement"] = visible(raw.get("requirement"), multiline=True)
    action["context"] = visible(raw.get("context"), multiline=True)
    action["evidence"] = visible(raw.get("evidence"), multiline=True) or None
    out.print(f"[bold]{escape(action['ref'])}[/bold]  {escape(action['title'])}")
    out.print()
    out.print("[bold]Requirement[/bold] (as the report words it):")
    out.print(f"  {escape(action['requirement'])}", soft_wrap=True)
    out.print()
    out.print("[bold]In context[/bold]:")
    out.print(f"  {escape(action['context'])}", soft_wrap=True)
    out.print()
    for other in merged:
        where = ", ".join(
            part
            for part in (
                other["report"],
                f"section {other['section']}" if other.get("section") else "",
                f"line {other['line']}" if other.get("line") else "",
            )
            if part
        )
        out.print(
            f"[bold]Also[/bold], from {escape(other['ref'])} (merged into this action; {escape(where)}):",
            soft_wrap=True,
        )
        out.print(f"  {escape(other['requirement'])}", soft_wrap=True)
        out.print()
    rows = [
        ("Report", action["report"]),
        ("Section", action.get("section") or "-"),
        ("Line", str(action.get("line") or "-")),
        ("Keyword", action["keyword"]),
        ("Quality statement", action.get("quality_statement") or "(none)"),
        (
            "Owner",
            (action.get("owner") or "(unassigned)")
            + (f" <{action['owner_email']}>" if action.get("owner_email") else ""),
        ),
        ("Due", action.get("due") or "(no due date)"),
        ("Status", action["status"]),
        ("Evidence", action.get("evidence") or "(none recorded)"),
    ]
    duplicates = duplicate_refs(action)
    if duplicates:
        hints = []
        for dup in duplicates:
            later, earlier = sorted([action["ref"], dup], key=ref_order, reverse=True)
            hints.append(f"{dup} (check, then 'cpft-tracker merge {later} INTO {earlier}')")
        rows.append(("Possible duplicates", "; ".join(hints)))
    if action.get("retired"):
        rows.append(("Retired", action["retired"]))
    rows.extend(review_rows(action))
    if not action.get("in_source", True):
        rows.append(("Source", "no longer in the latest import of its report"))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        out.print(f"{key + ':':<{width + 2}}{escape(str(value))}", soft_wrap=True)
    label = RAG_LABEL.get(rating, "-")
    style = RAG_STYLE.get(rating or "", "dim")
    out.print(f"{'BRAG:':<{width + 2}}[{style}]{label}[/{style}]")
    if action.get("version") is not None:
        out.print(f"{'Version:':<{width + 2}}{action['version']}")
    out.print()
    out.print("[bold]History[/bold] (newest first):")
    print_history(history, show_ref=False)


REVIEW_WORDS = {
    "accepted": "accepted: tracked and counted",
    "awaiting": "awaiting review",
    "rejected": "rejected: not a requirement",
}


def taken_because(action: Mapping[str, Any]) -> str | None:
    """Why the extractor took it: "'must ensure': 'must' with the provider … (high confidence)"."""
    from cpft_tracker.models import EXTRACTION_RULES as RULES

    rule, matched, confidence = action.get("rule"), action.get("matched"), action.get("confidence")
    if not rule and not matched:
        return None
    parts = []
    if matched:
        parts.append(f"'{matched}'")
    if rule:
        parts.append(RULES.get(rule, rule))
    text = ": ".join(parts)
    return f"{text} ({confidence} confidence)" if confidence else text


def review_rows(action: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The "Taken because" and "Review" lines of ``show``."""
    rows = []
    why = taken_because(action)
    if why:
        rows.append(("Taken because", why))
    state = action.get("review") or "accepted"
    text = REVIEW_WORDS.get(state, state)
    reason = action.get("review_reason")
    if state == "awaiting":
        text += f" ({reason})" if reason else ""
        text += "; not counted until accepted: run cpft-tracker review"
    elif reason:
        text += f" (it was flagged: {reason})"
    rows.append(("Review", text))
    return rows


def highlighted_in_context(action: Mapping[str, Any]) -> Any:
    """The paragraph with the requirement sentence in bold and its matched words reversed."""
    from rich.text import Text

    context, sentence = action.get("context") or "", action.get("requirement") or ""
    text = Text(context)
    at = context.find(sentence)
    if at < 0:  # a sentence joined from a quotation: show it on its own
        text = Text(sentence)
        at = 0
    text.stylize("bold underline", at, at + len(sentence))
    matched = action.get("matched") or ""
    hit = sentence.find(matched) if matched else -1
    if hit >= 0:
        text.stylize("reverse", at + hit, at + hit + len(matched))
    return text


def print_review_candidate(action: Mapping[str, Any], *, number: int, total: int) -> None:
    """One action awaiting review, for ``review`` (on stderr, with the questions)."""
    from rich.markup import escape

    out = console(stderr=True)
    out.print()
    out.print(
        f"[dim]{number} of {total}[/dim]  [bold]{escape(action['ref'])}[/bold]  "
        f"{escape(action['title'])}",
        soft_wrap=True,
    )
    where = [action.get("report") or "", action.get("section") or ""]
    if action.get("line"):
        where.append(f"line {action['line']}")
    out.print(f"[dim]{escape(' · '.join(w for w in where if w))}[/dim]", soft_wrap=True)
    out.print()
    out.print(highlighted_in_context(action), soft_wrap=True)
    out.print()
    why = taken_because(action)
    if why:
        out.print(f"Taken because: {escape(why)}", soft_wrap=True)
    if action.get("review_reason"):
        out.print(f"Worth a look:  {escape(action['review_reason'])}", soft_wrap=True)


def describe_event(event: Mapping[str, Any]) -> str:
    """An audit event in plain words."""
    field, old, new = event["field"], event.get("old"), event.get("new")
    if field == "note":
        return f"note: {new}"
    if field == "review":
        return {
            "accepted": "accepted in review",
            "rejected": "rejected in review: not a requirement",
        }.get(new or "", f"review: {old} -> {new}")
    if field == "created":
        return f"created {new}" + (f" ({event['note']})" if event.get("note") else "")
    if field == "in_source":
        return "no longer in the report" if new == "0" else "back in the report"
    if field in ("report imported", "report re-imported", "owner added"):
        return f"{field}: {new}"
    if field == "merged":
        return f"{new} merged into this action (its requirement and history kept here)"
    if field == "merged_into":
        return f"merged into {new}" if new else f"taken back out of {old}"
    if field == "unmerged":
        return f"{old} taken back out of this action (reinstated)"
    if field == "possible_duplicates":
        refs = duplicate_refs({"possible_duplicates": new})
        return f"possible duplicates: {', '.join(refs)}" if refs else "no possible duplicates"
    if field == "retired":
        return f"retired: {new}" if new is not None else f"reinstated (was retired: {old})"
    label = field.replace("_", " ")
    if old is None:
        return f"{label} set to {new}"
    if new is None:
        return f"{label} cleared (was {old})"
    return f"{label}: {old} -> {new}"


def print_history(events: Sequence[Mapping[str, Any]], *, show_ref: bool = True) -> None:
    """Audit events as a table, newest first."""
    from rich.table import Table
    from rich.text import Text

    out = console()
    if not events:
        out.print("  (no history)")
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    # when it was recorded, and (if anyone said so with --on) when it happened
    happened = any(e.get("occurred_on") for e in events)
    table.add_column("When (UTC)", no_wrap=True, min_width=19)
    if happened:
        table.add_column("Happened", no_wrap=True, min_width=10)
    table.add_column("Who", no_wrap=True, max_width=20, overflow="ellipsis")
    if show_ref:
        # report-level events carry the report's name here: keep it from squeezing the rest out
        table.add_column("Ref", no_wrap=True, max_width=14, overflow="ellipsis")
    table.add_column("What", overflow="fold", min_width=20)
    for e in events:
        what = describe_event(e)
        if e.get("note") and e["field"] not in ("note", "created"):
            what += f" (note: {e['note']})"
        if e.get("merged_from"):
            what = f"[from {e['merged_from']}, merged] {what}"
        when = e["at"].replace("T", " ")[:19]
        cells = [when, *([e.get("occurred_on") or when[:10]] if happened else []), e["by"]]
        if show_ref:
            cells.append(e.get("ref") or e.get("subject") or "")
        cells.append(what)
        # people's text is shown as typed: "[interim]" is not rich markup, ESC is not obeyed
        table.add_row(*(Text(visible(c)) for c in cells))
    out.print(table)


def print_import_preview(result: Any) -> None:
    """What an import would do: each candidate with its keyword highlighted and its fate."""
    from rich.markup import escape

    out = console()
    groups = [
        ("new", "would be added as", result.added),
        ("kept", "already there as", result.already_there),
        ("back", "back in the report:", result.back_in_source),
        ("gone", "no longer in the report (kept, flagged):", result.no_longer_in_source),
    ]
    for _, verb, items in groups:
        for item in items:
            item = visible_values(item)  # report text shown, never obeyed by the terminal
            sentence = escape(item["requirement"])
            matched = item.get("matched") or ""
            if matched and matched in item["requirement"]:
                start = item["requirement"].index(matched)
                end = start + len(matched)
                raw = item["requirement"]
                sentence = (
                    escape(raw[:start])
                    + "[bold reverse]"
                    + escape(raw[start:end])
                    + "[/bold reverse]"
                    + escape(raw[end:])
                )
            keyword = item.get("keyword")
            label = f" ({keyword})" if keyword else ""
            out.print(
                f"[bold]{escape(item['ref'])}[/bold] {verb}{label}: {sentence}", soft_wrap=True
            )


# -- the progress screen (moved from board.py: output for people lives here) -----------


def progress_bar(pct: float, width: int = 20) -> str:
    """A text progress bar: '██████░░░░'."""
    filled = min(width, int(width * pct / 100.0 + 0.5))
    return "█" * filled + "░" * (width - filled)


GROUP_TITLES = {
    "quality-statement": "By quality statement",
    "owner": "By owner",
    "status": "By status",
}
GROUP_KEYS = {
    "quality-statement": "by_quality_statement",
    "owner": "by_owner",
    "status": "by_status",
}
GROUP_NONE = {"quality-statement": NO_STATEMENT, "owner": "Unassigned", "status": "-"}


def print_progress_rich(
    figures: Mapping[str, Any],
    *,
    position: str,
    groupings: Sequence[str],
    since: Mapping[str, Any] | None = None,
) -> None:
    """The progress screen drawn with rich's Table: overall figures with a bar, one table per
    grouping, then what moved. ``print_progress`` draws the same bytes faster and falls back to this."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    out = console()
    pct = figures["percent_complete"]
    out.print(f"[bold]{escape(position)}[/bold]")
    out.print()
    bar = Text()
    bar.append(f"Complete  {figures['complete']} of {figures['total']} ({pct:.1f}%)  ")
    bar.append(progress_bar(pct), style="blue")
    out.print(bar)
    brag = Text("BRAG      ")
    for i, name in enumerate(RAGS):
        if i:
            brag.append("  ")
        brag.append(f"{RAG_WORDS[name]} {figures['rag'][name]}", style=RAG_STYLE[name])
    out.print(brag)
    extra = (
        f"Overdue {figures['overdue']}  Unassigned {figures['unassigned']}  "
        f"Due in the next 30 days {figures['due_next_30_days']}"
    )
    if figures.get("retired"):
        extra += f"  Retired {figures['retired']} (not counted)"
    out.print(Text(extra))
    out.print(Text(f"Amber warning window: {figures['window_days']} days", style="dim"))
    name_w = max(20, min(56, out.width - 57))  # the other columns take 57 characters
    for grouping in groupings:
        entries = figures[GROUP_KEYS[grouping]]
        out.print()
        out.print(f"[bold]{GROUP_TITLES[grouping]}[/bold]")
        if not entries:
            out.print("  (no tracked actions)")
            continue
        table = Table(box=None, pad_edge=False, header_style="bold")
        table.add_column("Name", no_wrap=True, max_width=name_w)
        for label in ("Actions", "Done", "% done"):
            table.add_column(label, justify="right", no_wrap=True)
        for name in RAGS:
            table.add_column(
                RAG_WORDS[name],
                justify="right",
                no_wrap=True,
                header_style=f"bold {RAG_STYLE[name]}",
            )
        table.add_column("Overdue", justify="right", no_wrap=True)
        for e in entries:
            # Text, not a str: owner names are people's text ("Director [interim]"), not rich markup
            table.add_row(
                Text(truncate(visible(e["name"]) or GROUP_NONE[grouping], name_w)),
                str(e["total"]),
                str(e["complete"]),
                f"{e['percent_complete']:.1f}",
                *[Text(str(e["rag"][n]), style=RAG_STYLE[n] if e["rag"][n] else "") for n in RAGS],
                str(e["overdue"]),
            )
        out.print(table)
    if since is not None:
        print_since(since, width=out.width)


def print_since(since: Mapping[str, Any], *, width: int) -> None:
    """What moved since a date, one line per item, grouped."""
    from rich.text import Text

    out = console()
    day = dt.date.fromisoformat(since["since"])
    out.print()
    out.print(f"[bold]What moved since the end of {long_date(day)}[/bold]")
    blocks = [
        ("New actions", since["added"], lambda i: i["title"]),
        ("Completed", since["completed"], lambda i: i["title"]),
        (
            "Newly blocked",
            since.get("newly_blocked", []),
            lambda i: f"{i['title']}: {i['reason'] or 'no reason recorded'}",
        ),
        (
            "Newly overdue",
            since["newly_overdue"],
            lambda i: f"due {short_date(i['due'])}: {i['title']}",
        ),
        ("New owners", since["new_owners"], lambda i: f"{i['old'] or 'unassigned'} -> {i['new']}"),
        (
            "Changed due dates",
            since["due_changes"],
            lambda i: f"{short_date(i['old']) or 'none'} -> {short_date(i['new']) or 'none'}",
        ),
        ("Retired", since.get("retired", []), lambda i: f"{i['title']}: {i['reason']}"),
        ("Merged", since.get("merged", []), lambda i: f"{i['title']}: merged into {i['into']}"),
        ("Notes", since["notes"], lambda i: f"{i['at'][:10]} {i['by']}: {i['text']}"),
    ]
    if not any(items for _, items, _ in blocks):
        out.print("  Nothing moved.")
        return
    for label, items, describe in blocks:
        if not items:
            continue
        out.print(Text(f"{label} ({len(items)})", style="bold"))
        for item in items:
            lead = f"  {item['ref']}  "
            line = lead + truncate(describe(item), max(20, width - len(lead)))
            out.print(Text(visible(line)))
