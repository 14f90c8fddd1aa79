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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from json.encoder import encode_basestring as _json_str  # C implementation when available

from cpft_tracker.board import (
    NO_STATEMENT,
    RAG_WORDS,
    SETTLED_IN_REVIEW,
    STORY_FIELDS,
    BoardStory,
    blocked_reason,
    due_soon_label,
    event_day,
    local_day,
    long_date,
    settled_counts,
    settled_detail,
    short_date,
    story_fields,
    update_text,
    window_label,
)
from cpft_tracker.models import DEFAULT_WINDOW_DAYS, RAGS, rag_of, ref_order
from cpft_tracker.records import FrozenRecord
from cpft_tracker.textsafe import UNSAFE, visible, visible_values

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any

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
    """A rich console for stdout (or stderr) that honours NO_COLOR, pipes and COLUMNS.

    When the reader of stdout goes away (``show REF | head -1``) it raises BrokenPipeError
    for the one error mapping (exit 0), where rich's own console exits 1.
    """
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    on_terminal = _on_terminal(sys.stderr if stderr else sys.stdout)
    return _Console(
        stderr=stderr,
        file=None if on_terminal else Unpadded(stderr=stderr),  # type: ignore[arg-type]
        no_color=bool(os.environ.get("NO_COLOR")) or None,
        highlight=False,
        soft_wrap=False,
    )


def _on_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or unusual stream: treat it as a pipe
        return False


def screen_lines(lines: Iterable[str]) -> str:
    """Drawn lines as written to stdout, each ending in a newline: as drawn on a terminal, and
    without the spaces that pad them to their columns' widths in a pipe or a file (as
    ``Unpadded`` writes rich's own output there)."""
    if _on_terminal(sys.stdout):
        return "".join(f"{line}\n" for line in lines)
    return "".join(f"{line.rstrip(' ')}\n" for line in lines)


class Unpadded:
    """stdout (or stderr) for a rich console drawing into a pipe or a file: each line without
    the spaces rich pads it with to the table's width (``list --wide | grep``, ``diff`` and
    ``git diff`` of a saved table see no trailing spaces). Text is otherwise as written; the
    spaces at the end of a write that has not finished its line are held until the next
    write shows whether the line ends there. The stream is looked up at each use (a test or
    the pager may swap it); what rich asks of it at every print (``rich_proxied_file``,
    ``isatty``, ``encoding``) is answered here, not by a failed lookup and ``__getattr__``
    (~1 µs a print)."""

    _trailing: Any = None  # spaces (then any colour codes) at a line's end: compiled at first use

    def __init__(self, *, stderr: bool = False) -> None:
        self._stderr = stderr
        self._spaces = ""
        self.rich_proxied_file = self  # rich's Console.file unwraps a proxy by this name

    def _stream(self) -> Any:
        return sys.stderr if self._stderr else sys.stdout

    def write(self, text: str) -> int:
        body = self._spaces + text if self._spaces else text
        kept = body.rstrip(" ")
        self._spaces = body[len(kept) :]
        if " \n" in kept or " \x1b[" in kept:
            if Unpadded._trailing is None:
                Unpadded._trailing = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)
            kept = Unpadded._trailing.sub(r"\1", kept)
        self._stream().write(kept)
        return len(text)

    def flush(self) -> None:
        self._stream().flush()

    def isatty(self) -> bool:
        return _on_terminal(self._stream())

    @property
    def encoding(self) -> str:
        return getattr(self._stream(), "encoding", None) or "utf-8"

    def __getattr__(self, name: str) -> Any:  # fileno and the rest: the stream's
        return getattr(self._stream(), name)


def utc_now_iso() -> str:
    """Now in UTC, ISO 8601 with a Z, to the second."""
    from cpft_tracker.store import now_utc

    return now_utc().split(".")[0] + "Z"


# -- machine formats ----------------------------------------------------------


def export_record(
    action: Mapping[str, Any],
    today: dt.date,
    window: int = DEFAULT_WINDOW_DAYS,
    story: BoardStory | None = None,
) -> dict[str, Any]:
    """One action as the documented export object; with ``story`` (``export``), its latest
    update and blocked reason too (``board.STORY_FIELDS``)."""
    record = {name: action.get(name) for name in EXPORT_FIELDS}
    record["rag"] = rag_of(action, today, window)
    record["in_source"] = bool(action.get("in_source", True))
    record["review"] = action.get("review") or "accepted"
    record["possible_duplicates"] = duplicate_refs(action)
    if story is not None:
        record.update(story_fields(story, action))
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
    story: BoardStory | None = None,
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
    for text_now in _json_texts(actions, today, window, story):
        yield text + sep
        text = text_now
        sep = ",\n    "
    tail = "\n}\n"
    if since is not None:
        changes = json.dumps(since, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        tail = f',\n  "since": {changes}' + tail
    if sep == ",\n    ":
        yield text + "\n  ]" + tail
    else:
        yield text + ',\n  "actions": []' + tail


# -- the export's fast path (issue 10) ------------------------------------------------
#
# Speed: at 10,000 actions ``export`` built each record with a dict comprehension and
# ``.get`` per field plus ``rag_of``/``story_fields`` calls, and wrote it with two C calls
# and an f-string per field (``_scalar_json``, ``_json_str`` of the key too); CSV made a
# regex search per cell. ``export_records`` builds the same dicts from one dict display,
# ``_record_json`` writes each key's text from a table, and ``actions_csv_lines`` checks a
# whole row at once (``_export_csv_line``). Tried and dropped: a block of records through the
# json module's C encoder, its separators chosen so the record boundaries could be
# re-indented: ~1.7x SLOWER than the per-record loop here (the C encoder spends as long on the
# 18 MB of strings, and splitting and joining the text again costs the rest).
# tests/test_export_fast_path.py compares both formats with an independent construction.

_MISSING = object()


def _json_texts(
    actions: Iterable[Mapping[str, Any]],
    today: dt.date,
    window: int,
    story: BoardStory | None,
) -> Iterator[str]:
    """Each action's record as ``_record_json`` writes it: made by SQLite when the store can
    (``_sql_rows``), else from ``export_records``."""
    fields = EXPORT_FIELDS + STORY_FIELDS
    rows = _sql_rows(actions, today, window, story, fields, csv=False)
    if rows is None:
        yield from map(_record_json, export_records(actions, today, window, story))
        return
    day_json = _LocalDays(json=True)
    for action_id, ok, before, occurred_on, at, after in rows:
        if not ok:
            yield _record_json(_python_record(actions, action_id, today, window, story))
        elif at is None:  # no note or status change: no latest update
            yield before + "null" + after
        elif occurred_on:
            yield before + _json_str(str(occurred_on)) + after
        else:
            yield before + day_json(at) + after


def _sql_rows(
    actions: Iterable[Mapping[str, Any]],
    today: dt.date,
    window: int,
    story: BoardStory | None,
    fields: Sequence[str],
    *,
    csv: bool,
) -> Iterator[tuple[Any, ...]] | None:
    """The store's ``export_rows`` for this view (speed, issue 10: SQLite makes each record),
    or None: the plan as of a date, a light, sorted or limited view, a story that is not the
    same database's latest updates now, a store that cannot (PostgreSQL)."""
    from cpft_tracker.asof import PlanRows

    if story is None or not isinstance(actions, PlanRows):
        return None
    store = actions.store
    if (
        actions.cutoff is not None
        or actions.limit is not None
        or actions.order is not None
        or actions.columns is not None
        or getattr(story.updates, "cutoff", _MISSING) is not None
        or getattr(story.updates, "conn", _MISSING) is not getattr(store, "conn", None)
    ):
        return None
    make = getattr(store, "export_rows", None)
    if make is None:
        return None
    try:
        amber_until = today + dt.timedelta(days=window)
    except OverflowError:
        return None
    rows: Iterator[tuple[Any, ...]] | None = make(
        actions.filters,
        fields=fields,
        keys=[_KEY_JSON.get(f) or f"{_json_str(f)}: " for f in fields],
        csv=csv,
        today=today,
        amber_until=amber_until,
    )
    return rows


def _python_record(
    actions: Any, action_id: int, today: dt.date, window: int, story: BoardStory | None
) -> dict[str, Any]:
    """The export record of one action the store left to Python (``export_rows``' ok = 0)."""
    return next(export_records([actions.store.export_row(action_id)], today, window, story))


# An audit timestamp as the tool writes it (store.now_utc): to the microsecond, in UTC.
_PLAIN_AT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


class _LocalDays:
    """``board.local_day`` of audit timestamps, worked out once per minute (speed, issue 10).

    The local day of a UTC moment depends only on its minute: time zones' offsets and their
    changes fall on whole minutes (for any date an audit trail holds). Other text is worked
    out each time, as ``local_day`` does (and fails as it does)."""

    def __init__(self, *, json: bool) -> None:
        self._days: dict[str, str] = {}
        self._json = json

    def __call__(self, at: str) -> str:
        minute = at[:16]
        day = self._days.get(minute)
        if day is not None and _PLAIN_AT.fullmatch(at):
            return day
        day = local_day(at)
        if self._json:
            day = _json_str(day)
        if _PLAIN_AT.fullmatch(at):
            self._days[minute] = day
        return day


def export_records(
    actions: Iterable[Mapping[str, Any]],
    today: dt.date,
    window: int = DEFAULT_WINDOW_DAYS,
    story: BoardStory | None = None,
) -> Iterator[dict[str, Any]]:
    """``export_record`` of each action, the same dicts built with fewer Python operations.

    One dict display per action (the documented key order: ``EXPORT_FIELDS``, then
    ``STORY_FIELDS`` with ``story``), BRAG worked out once per distinct (retired, status,
    due, has an owner), and the latest update read once. A row without every field (a
    light view) is built by ``export_record``. tests/test_export_fast_path.py checks that
    these are ``export_record``'s records on both backends.
    """
    rags: dict[tuple[Any, ...], str | None] = {}
    updates = story.updates if story is not None else None
    for a in actions:
        try:
            retired = a["retired"]
            status = a["status"]
            due = a["due"]
            owner = a["owner"]
            key = (not retired, status, due, owner is None or owner == "")
            rating = rags.get(key, _MISSING)
            if rating is _MISSING:
                rating = rags[key] = rag_of(a, today, window)
            stored = a["possible_duplicates"]
            record = {
                "ref": a["ref"],
                "report": a["report"],
                "requirement": a["requirement"],
                "title": a["title"],
                "context": a["context"],
                "section": a["section"],
                "keyword": a["keyword"],
                "quality_statement": a["quality_statement"],
                "owner": owner,
                "owner_email": a["owner_email"],
                "due": due,
                "status": status,
                "rag": rating,
                "evidence": a["evidence"],
                "retired": retired,
                "in_source": bool(a["in_source"]),
                "created_at": a["created_at"],
                "updated_at": a["updated_at"],
                "matched": a["matched"],
                "rule": a["rule"],
                "confidence": a["confidence"],
                "review": a["review"] or "accepted",
                "review_reason": a["review_reason"],
                "possible_duplicates": duplicate_refs(a) if stored else [],
                "version": a["version"],
            }
            if updates is not None:
                events = updates.get(a.get("id", -1))
                event = events.get("latest") if events else None
                if event:
                    record["latest_update"] = update_text(event)
                    record["latest_update_on"] = event_day(event)
                    record["latest_update_by"] = event["by"]
                else:
                    record["latest_update"] = None
                    record["latest_update_on"] = None
                    record["latest_update_by"] = None
                record["blocked_reason"] = (
                    blocked_reason(story, a) or None
                    if status == "blocked" and not retired
                    else None
                )
        except KeyError:  # not a full row: the field-by-field way
            record = export_record(a, today, window, story)
        yield record


def _record_json(record: Mapping[str, Any]) -> str:
    """One flat record as it appears inside ``json.dumps(doc, ensure_ascii=False, indent=2)``'s list."""
    parts: list[str] = []
    append = parts.append
    keys = _KEY_JSON
    for k, v in record.items():
        kind = type(v)
        if kind is str:
            t: str | None = _json_str(v)
        elif v is None:
            t = "null"
        else:
            t = _scalar_json(v)
            if t is None and kind is list:
                t = _str_list_json(v, "\n      ")
        key = keys.get(k) if type(k) is str else None
        if key is None and type(k) is str:
            key = f"{_json_str(k)}: "
        if t is None or key is None:
            nested = json.dumps(record, ensure_ascii=False, indent=2)
            return nested.replace("\n", "\n    ")  # JSON text has no raw newline in a string
        append(key + t)
    return "{\n      " + ",\n      ".join(parts) + "\n    }" if parts else "{}"


record_json = _record_json  # for remind.py's streamed JSON
# Each export key as written before its value (speed: one encoding per key, not per record).
_KEY_JSON = {k: f"{_json_str(k)}: " for k in (*EXPORT_FIELDS, *STORY_FIELDS, "line")}


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
    if bom:
        yield "\ufeff"
    yield _csv_line([str(h) for h in header])
    for row in rows:
        yield _csv_cells_line(row)


_FORMULA_FIRSTS = "".join(FORMULA_STARTS)  # all one character long


def _csv_cells_line(row: Sequence[Any]) -> str:
    """One CSV line of any values: text made visible, formulas neutralised, quoted as csv does."""
    cells = [_csv_visible(v) if type(v) is str else v for v in row]
    starts = _FORMULA_FIRSTS
    return _csv_line(
        [v if type(v) is str and not (v and v[0] in starts) else neutralise_cell(v) for v in cells]
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
    actions: Iterable[Mapping[str, Any]],
    *,
    today: dt.date,
    window: int = DEFAULT_WINDOW_DAYS,
    bom: bool = True,
    story: BoardStory | None = None,
) -> Iterator[str]:
    """The CSV export (BOM, header, one line per action) as it is produced: see ``actions_json_chunks``.

    ``bom``: start with the byte-order mark Excel needs to read UTF-8 (a file); not on a
    pipe, where ``cut`` and ``csv.DictReader`` would read it as part of the first name.
    """
    fields = EXPORT_FIELDS + (STORY_FIELDS if story is not None else ())
    if bom:
        yield "\ufeff"
    yield _csv_line(list(fields))
    rows = _sql_rows(actions, today, window, story, fields, csv=True)
    if rows is not None:
        yield from _sql_csv_lines(rows, actions, today, window, story, fields)
        return
    for record in export_records(actions, today, window, story):
        yield _record_csv_line(record, fields)


def _sql_csv_lines(
    rows: Iterator[tuple[Any, ...]],
    actions: Any,
    today: dt.date,
    window: int,
    story: BoardStory | None,
    fields: Sequence[str],
) -> Iterator[str]:
    """The CSV lines of the store's ``export_rows``: each row's text cells, the local day
    of its latest update put in, made one line (``_text_csv_line``, else cell by cell)."""
    on_at = fields.index("latest_update_on")
    days = _LocalDays(json=False)
    for action_id, ok, occurred_on, at, *cells in rows:
        if not ok:
            record = _python_record(actions, action_id, today, window, story)
            yield _record_csv_line(record, fields)
            continue
        if at is None:
            cells.insert(on_at, "")
        else:
            cells.insert(on_at, str(occurred_on) if occurred_on else days(at))
        line = _text_csv_line(cells)
        yield line if line is not None else _csv_cells_line(cells)


def _text_csv_line(cells: list[str]) -> str | None:
    """``_export_csv_line`` of cells that are all text (made by SQLite, '' for none)."""
    row = "\x00".join(cells)
    if row.isascii():  # most rows: one pass over the bytes instead of the regex (~5x faster)
        # what is left after deleting the plain characters: the NULs joining the cells, and
        # any control character or DEL (textsafe.UNSAFE's ASCII part) or NUL of a cell
        if len(row.encode("ascii").translate(None, _CSV_PLAIN_ASCII)) != len(cells) - 1:
            return None
    elif _csv_unsafe_search(row) is not None or row.count("\x00") != len(cells) - 1:
        return None
    if row[0] in _FORMULA_FIRSTS or _FORMULA_AFTER_NUL.search(row) is not None:
        return None
    if '"' in row or "\n" in row or "\r" in row:
        return _csv_line(cells)
    return ",".join(['"' + c + '"' if "," in c else c for c in cells]) + "\r\n"


def _record_csv_line(record: Mapping[str, Any], fields: Sequence[str]) -> str:
    """One export record as a CSV line (``_export_csv_line``, else cell by cell)."""
    cells = [record[f] for f in fields]
    refs_at = fields.index("possible_duplicates")
    flag_at = fields.index("in_source")
    version_at = fields.index("version")
    refs = cells[refs_at]
    flag = cells[flag_at]
    version = cells[version_at]
    if type(refs) is list and type(flag) is bool and (version is None or type(version) is int):
        cells[refs_at] = "; ".join(refs)
        cells[flag_at] = "true" if flag else "false"
        if version is not None:
            cells[version_at] = int.__repr__(version)
        line = _export_csv_line(cells)
        if line is not None:
            return line
    return _csv_cells_line(_csv_row(record, fields))


def _compile_csv_unsafe(row: str) -> re.Match[str] | None:
    """``_csv_unsafe_search`` at its first call: compiles the pattern (~0.6 ms, paid only by a
    CSV with text that is not ASCII) and takes its place."""
    global _csv_unsafe_search
    _csv_unsafe_search = re.compile(
        "["
        + "".join(sorted(UNSAFE - {"\n", "\t", "\r", "\x00"}))
        + "\ud800-\udfff]"  # lone surrogates, as textsafe's own search
    ).search
    return _csv_unsafe_search(row)


# Speed (issue 10): the characters ``visible`` changes in a CSV cell (it keeps line breaks,
# tabs and CRs there), less NUL, which the fast path below joins the cells with.
_csv_unsafe_search: Callable[[str], re.Match[str] | None] = _compile_csv_unsafe
# The ASCII characters a CSV cell shows as they are (textsafe.UNSAFE holds the others).
_CSV_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"
_FORMULA_AFTER_NUL = re.compile("\x00[" + re.escape(_FORMULA_FIRSTS) + "]")


def _export_csv_line(cells: list[Any]) -> str | None:
    """:func:`_csv_cells_line` of text cells (or None) with a few searches of the whole row
    instead of a few per cell; None when the row needs the cell-by-cell way (a control
    character, a cell that starts like a formula, a value that is not text)."""
    if len(cells) < 2 or not {*map(type, cells)} <= _TEXT_OR_NONE:
        return None
    cells = [v or "" for v in cells]  # None -> "" (neutralise_cell); text stays
    row = "\x00".join(cells)
    if (
        _csv_unsafe_search(row) is not None
        or row.count("\x00") != len(cells) - 1  # a NUL inside a cell
        or (row and row[0] in _FORMULA_FIRSTS)
        or _FORMULA_AFTER_NUL.search(row) is not None
    ):
        return None
    if '"' in row or "\n" in row or "\r" in row:
        return _csv_line(cells)
    return ",".join(['"' + c + '"' if "," in c else c for c in cells]) + "\r\n"


_TEXT_OR_NONE = frozenset({str, type(None)})


def _csv_row(record: Mapping[str, Any], fields: Sequence[str] = EXPORT_FIELDS) -> list[Any]:
    """One export record as CSV cells: a list of refs is one cell, "CPFT-10; CPFT-14"."""
    return ["; ".join(record[f]) if f == "possible_duplicates" else record[f] for f in fields]


SHOW_SCHEMA_VERSION = 1


def action_json(
    action: Mapping[str, Any],
    history: Sequence[Mapping[str, Any]],
    *,
    today: dt.date,
    window: int = DEFAULT_WINDOW_DAYS,
) -> str:
    """``show --format json``: one action as the export object (plus its line in the report)
    and its audit trail, newest first (docs/json-schemas.md)."""
    record = export_record(action, today, window)
    record["line"] = action.get("line")
    doc = {
        "schema_version": SHOW_SCHEMA_VERSION,
        "generated_at": utc_now_iso(),
        "as_of": today.isoformat(),
        "action": record,
        "history": [dict(e) for e in history],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


HISTORY_CSV_FIELDS = ("at", "by", "ref", "report", "field", "old", "new", "note", "subject")


def history_csv_lines(events: Iterable[Mapping[str, Any]], *, bom: bool = False) -> Iterator[str]:
    """``history --format csv``: one line per audit event, newest first."""
    return csv_lines(
        HISTORY_CSV_FIELDS, ([e.get(f) for f in HISTORY_CSV_FIELDS] for e in events), bom=bom
    )


PROGRESS_CSV_FIELDS = (
    "grouping",
    "name",
    "actions",
    "complete",
    "percent_complete",
    "blue",
    "green",
    "amber",
    "red",
    "overdue",
)


def progress_csv_lines(
    figures: Mapping[str, Any], groupings: Sequence[str], *, bom: bool = False
) -> Iterator[str]:
    """``progress --format csv``: the whole plan (grouping ``all``), then one line per entry of
    each table (grouping ``quality-statement``, ``owner`` or ``status``)."""

    def line(grouping: str, name: str | None, e: Mapping[str, Any]) -> list[Any]:
        return [
            grouping,
            name,
            e["total"],
            e["complete"],
            f"{e['percent_complete']:.1f}",
            *(e["rag"][n] for n in RAGS),
            e["overdue"],
        ]

    rows = [line("all", None, figures)]
    for grouping in groupings:
        rows += [line(grouping, e["name"], e) for e in figures[GROUP_KEYS[grouping]]]
    return csv_lines(PROGRESS_CSV_FIELDS, rows, bom=bom)


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


ACTION_HEADERS = ("Ref", "BRAG", "Status", "Due", "Owner", "Title")
TITLE_MIN = 36  # the narrowest title column beside the others; narrower, titles go below
OWNER_MIN = 12  # the narrowest owner column (names wrap within it)
OWNER_MAX = 24  # the widest owner column (except with --wide)


class ActionLayout(FrozenRecord):
    """How the action list fits a width: the columns' widths and what goes on lines below.

    ``widths`` are the cells of the columns drawn side by side (Ref, BRAG, Status, Due, and
    Owner and Title unless they are in ``below``); ``below`` names the fields drawn under
    each row, indented two spaces, when the terminal is too narrow for them beside it.
    """

    __slots__ = ("widths", "below")
    widths: tuple[int, ...]
    below: tuple[str, ...]

    def __init__(self, widths: tuple[int, ...], below: tuple[str, ...] = ()) -> None:
        self._set("widths", widths)
        self._set("below", below)


def action_layout(rows: Sequence[Sequence[Any]], width: int, *, wide: bool = False) -> ActionLayout:
    """The layout of these rows (ref, BRAG label, status, due, owner, title) at ``width`` cells.

    Every column is always shown and no text is cut: owner and title wrap within their
    columns; when the title column would be narrower than ``TITLE_MIN`` the title goes
    on lines below the row (and the owner too when even it does not fit). ``wide``: every
    cell on one line, the columns as wide as their widest cell.
    """
    ref_w = max([3] + [_cell_len(r[0]) for r in rows])
    owner_nat = max([5] + [_cell_len(r[4]) for r in rows])
    title_nat = max([5] + [_cell_len(r[5]) for r in rows])
    return _layout_of(ref_w, owner_nat, title_nat, width, wide=wide)


def _layout_of(
    ref_w: int, owner_nat: int, title_nat: int, width: int, *, wide: bool
) -> ActionLayout:
    """:func:`action_layout` from the widest ref, owner and title (at least 3, 5 and 5)."""
    short = (ref_w, 7, 11, 10)
    fixed = sum(short) + 2 * len(short)  # the four short columns, each with the gap after it
    if wide:
        return ActionLayout((*short, owner_nat, title_nat))
    room = width - fixed - 2  # for owner and title, with the gap between them
    owner_w = min(owner_nat, OWNER_MAX, max(OWNER_MIN, room - TITLE_MIN))
    title_w = min(title_nat, room - owner_w)
    if title_w >= min(TITLE_MIN, title_nat):
        return ActionLayout((*short, owner_w, title_w))
    owner_w = min(owner_nat, width - fixed)  # the title is below: the owner may take the rest
    if owner_w >= min(OWNER_MIN, owner_nat):
        return ActionLayout((*short, owner_w), ("Title",))
    return ActionLayout(short, ("Owner", "Title"))


def wrap_cell(text: str, width: int) -> list[str]:
    """One line of text as the lines a rich Table cell of ``width`` cells wraps it to.

    Words are kept whole where they fit and broken only when longer than the width (rich's
    own ``divide_line``, so the lines are the Table's: tests/test_bench_smoke.py).
    """
    if _cell_len(text) <= width:
        return [text]
    if _single_width(text) and "  " not in text and text == text.strip():
        words = text.split(" ")
        if max(map(len, words)) <= width:  # no word to fold: greedy, exactly as divide_line
            lines = [words[0]]
            for word in words[1:]:
                if len(lines[-1]) + 1 + len(word) <= width:
                    lines[-1] += " " + word
                else:
                    lines.append(word)
            return lines
    from rich._wrap import divide_line

    bounds = [0, *divide_line(text, max(1, width), fold=True), len(text)]
    return [text[a:b].rstrip() for a, b in zip(bounds, bounds[1:], strict=False)]


def print_actions_table(
    actions: Iterable[Mapping[str, Any]],
    *,
    today: dt.date,
    window: int = DEFAULT_WINDOW_DAYS,
    wide: bool = False,
) -> None:
    """The action list as a table that fits the terminal: nothing cut, no column left out.

    Titles and owners wrap within their columns (the layout of rich's
    ``Table(box=None, pad_edge=False)`` with those widths); on a narrow terminal the title
    goes on lines of its own under each row (see :func:`action_layout`). ``wide``: one line
    per action, however long.
    """
    out = console()
    rows: list[tuple[Any, ...]] = []
    spill: Any = None  # past ACTION_ROWS_HELD rows, batches of them wait in a temporary file
    widest = [3, 5, 5]  # ref, owner, title
    for a in actions:
        a = visible_values(a)  # people's text shown, never obeyed by the terminal
        title = a["title"]
        if a.get("retired"):
            title = f"[retired] {title}"
        elif a.get("review") == "awaiting":
            title = f"[awaiting review] {title}"
        elif not a.get("in_source", True):
            title = f"[not in latest report] {title}"
        rating = rag_of(a, today, window)
        rows.append(
            (
                a["ref"],
                RAG_LABEL.get(rating, str(rating)),
                a["status"],
                a.get("due") or "-",
                " ".join((a.get("owner") or "(unassigned)").split()),
                " ".join(title.split()),
                rating,
            )
        )
        if len(rows) >= ACTION_ROWS_HELD:
            spill = _spill_rows(rows, spill, widest)
            rows = []
    if spill is None:
        layout = action_layout(rows, out.width, wide=wide)
        _print_action_rows(out, rows, layout, wide=wide)
        return
    spill = _spill_rows(rows, spill, widest)
    del rows
    layout = _layout_of(widest[0], widest[1], widest[2], out.width, wide=wide)
    _print_action_rows(out, _spilled_rows(spill), layout, wide=wide)


# How many rows of the action list are held before they wait in a temporary file (memory,
# issue 10: at 1,000,000 actions the 218,700 overdue rows held for the layout were ~120 MB).
ACTION_ROWS_HELD = 5_000


def _spill_rows(rows: list[tuple[Any, ...]], spill: Any, widest: list[int]) -> Any:
    """Write a batch of rows to the temporary file (made on first use), noting the widest cells."""
    import pickle
    import tempfile

    if spill is None:
        spill = tempfile.TemporaryFile()
    for i, column in enumerate((0, 4, 5)):
        widest[i] = max([widest[i]] + [_cell_len(r[column]) for r in rows])
    pickle.dump(rows, spill, pickle.HIGHEST_PROTOCOL)
    return spill


def _spilled_rows(spill: Any) -> Iterator[tuple[Any, ...]]:
    """The rows written by :func:`_spill_rows`, in order, a batch at a time; the file is closed after."""
    import pickle

    with spill:
        spill.seek(0)
        while True:
            try:
                batch = pickle.load(spill)  # noqa: S301 - our own file, written above
            except EOFError:
                return
            yield from batch


# Characters one terminal cell wide (ASCII, Latin, Greek, Cyrillic, general punctuation such
# as ’ “ – …, currency, letterlike): for text made only of these, len() is the width.
# (compiled at the first text that is not ASCII: ~0.3 ms that the machine formats need not pay)
def _compile_single_width(text: str) -> re.Match[str] | None:
    global _single_width_match
    _single_width_match = re.compile(
        r"[\x20-\x7e\xa0-\u02ff\u0370-\u0482\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2100-\u214f]*\Z"
    ).match
    return _single_width_match(text)


_single_width_match: Callable[[str], re.Match[str] | None] = _compile_single_width


def _single_width(text: str) -> bool:
    """Every character one terminal cell wide: ``len`` is the width (plain str arithmetic is exact)."""
    return text.isascii() or _single_width_match(text) is not None


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


def escape_markup(text: str) -> str:
    """Text shown as written (a title with "[...]" in it is not rich markup)."""
    from rich.markup import escape

    return escape(text)


def _print_action_rows(
    out: Console, rows: Iterable[tuple[Any, ...]], layout: ActionLayout, *, wide: bool
) -> None:
    """Draw the action list line by line in ``layout``.

    Speed (issue 7, bench/RESULTS.md): rich's Table measures and wraps every cell, about
    0.6 ms a row: 2,000 overdue actions took 1.3 s to draw. Every column here has a known
    width, so each line is the cells padded to their widths and joined by two spaces (a
    wrapped cell adds lines, the other cells blank), as ``Table(box=None, pad_edge=False)``
    draws them: a few microseconds a row. Cell text is shown as written (never read as rich
    markup). On a colour terminal the lines go through rich as one Text, so the header is
    bold and BRAG coloured; on a pipe the text is written directly.
    """
    from rich.text import Span, Text

    cell = _fit_cell
    widths = layout.widths
    beside = len(widths)  # the columns drawn side by side
    below = [ACTION_HEADERS.index(name) for name in layout.below]
    indent = "  "
    below_w = max(10, out.width - len(indent))
    lines = ["  ".join(cell(h, w) for h, w in zip(ACTION_HEADERS, widths, strict=False))]
    lines += [indent + ACTION_HEADERS[i] for i in below]
    if below:
        lines[0] = lines[0].rstrip()
    styled = out.color_system is not None
    spans: list[Any] = []
    offset = 0

    def flush() -> None:
        """Write the lines drawn so far and start afresh (memory, issue 10: at 100,000
        actions one Text of every overdue line with its spans peaked at 118 MB). Each block
        ends with a newline, so the blocks together are the bytes one Text of every line
        gave."""
        nonlocal lines, spans, offset
        if not lines:
            return
        if not styled:
            write_stdout(screen_lines(lines))
        else:
            out.print(
                Text("\n".join(lines), spans=spans, no_wrap=True, overflow="ignore"),
                soft_wrap=True,
            )
        lines, spans, offset = [], [], 0

    if styled:
        for line in lines:
            spans.append(Span(offset, offset + len(line), "bold"))
            offset += len(line) + 1
    blank = "  ".join(" " * w for w in widths[:4]) + "  "
    for row in rows:
        wrapped = [
            [row[i]] if wide or i < 4 else wrap_cell(row[i], widths[i]) for i in range(beside)
        ]
        first = "  ".join(cell(wrapped[i][0], widths[i]) for i in range(beside))
        if styled:
            start = offset + len(cell(row[0], widths[0])) + 2
            spans.append(Span(start, start + widths[1], RAG_STYLE.get(row[6] or "", "dim")))
        block = [first]
        for n in range(1, max(len(w) for w in wrapped)):
            more = [w[n] if n < len(w) else "" for w in wrapped[4:]]
            block.append(
                blank + "  ".join(cell(t, w) for t, w in zip(more, widths[4:], strict=True))
            )
        if below:
            block = [line.rstrip() for line in block]
        for i in below:
            block += [indent + piece for piece in wrap_cell(row[i], below_w)]
        for line in block:
            offset += len(line) + 1
        lines += block
        if len(lines) >= ACTION_LINES_AT_ONCE:
            flush()
    flush()


# How many lines of the action list are drawn before they are written (print_actions_table).
ACTION_LINES_AT_ONCE = 2000


# One line of a screen: (text, rich style or None) pieces.
_Line = list[tuple[str, str | None]]


def print_progress(
    figures: Mapping[str, Any],
    *,
    position: str,
    groupings: Sequence[str],
    since: Mapping[str, Any] | None = None,
    wide: bool = False,
) -> None:
    """The ``progress`` screen of ``print_progress_rich``, drawn as padded lines: the same bytes.

    Speed (issue 7, bench/RESULTS.md): rich's Table measured and rendered every cell of the
    three tables, ~35 ms of ``progress`` at 10,000 actions (65 owners). Every line of this
    screen is known text and every column's width follows from its cells (as
    ``Table(box=None, pad_edge=False)`` lays them out: two spaces between columns, names
    left, numbers right), so when every line fits the width the lines ARE the screen:
    written directly on a pipe; on a terminal printed through rich once, as a Text with
    the same styles piece by piece (bold headings, BRAG colours). Names wrap within their
    column, never cut; on a narrow terminal the headings are shortened (with a key), see
    :func:`progress_layout`. When the columns cannot fit even so (under ~45 columns)
    ``print_progress_rich`` draws it with rich's Table, which squeezes them.
    ``tests/test_bench_smoke.py`` compares the two at many widths, on a pipe and in colour.
    """
    from cpft_tracker.models import RAGS

    out: Any = _pipe_screen(wide) or _console_for(wide)
    width = out.width
    pct = figures["percent_complete"]
    brag: _Line = [("BRAG      ", None)]
    for i, name in enumerate(RAGS):
        if i:
            brag.append(("  ", None))
        brag.append((f"{RAG_WORDS[name]} {figures['rag'][name]}", RAG_STYLE[name]))
    extra = (
        f"Overdue {figures['overdue']}  Unassigned {figures['unassigned']}  "
        f"{due_soon_label(figures['window_days'])} {figures['due_within_window']}"
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
        [(window_label(figures["window_days"]), "dim")],
    ]
    keyed = False
    for grouping in groupings:
        entries = figures[GROUP_KEYS[grouping]]
        lines += [[], [(GROUP_TITLES[grouping], "bold")]]
        if not entries:
            lines.append([("  (no tracked actions)", None)])
            continue
        layout = progress_layout(entries, GROUP_NONE[grouping], width, wide=wide)
        table = _progress_table(out, entries, GROUP_NONE[grouping], layout, RAGS)
        if table is None:  # the columns do not fit even with short headings
            print_progress_rich(
                figures, position=position, groupings=groupings, since=since, wide=wide
            )
            return
        keyed = keyed or layout.short
        lines += table
    if keyed:
        lines += [[], [(PROGRESS_KEY, "dim")]]
    _print_lines(out, lines)
    if since is not None:
        print_since(since, width=width, wide=wide)


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
            write_stdout(screen_lines("".join(text for text, _ in line) for line in block))
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


PROGRESS_HEADERS = ("Name", "Actions", "Done", "% done", "Blue", "Green", "Amber", "Red", "Overdue")
# on a narrow terminal: the same columns under short headings, explained by PROGRESS_KEY
PROGRESS_SHORT = ("Name", "Total", "Done", "%", "B", "G", "A", "R", "Late")
PROGRESS_KEY = "B G A R: Blue, Green, Amber, Red. Late: overdue."
NAME_MIN = 20  # the narrowest name column under the full headings
NAME_MAX = 56  # the widest name column (longer names wrap), except with --wide


class ProgressLayout(FrozenRecord):
    """The columns of one progress table: the headings, the name column's width, the cells."""

    __slots__ = ("headers", "name_w", "short", "names", "cells")
    headers: tuple[str, ...]
    name_w: int
    short: bool
    names: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]  # the numbers of each row, as text

    def __init__(
        self,
        headers: tuple[str, ...],
        name_w: int,
        short: bool,
        names: tuple[str, ...],
        cells: tuple[tuple[str, ...], ...],
    ) -> None:
        self._set("headers", headers)
        self._set("name_w", name_w)
        self._set("short", short)
        self._set("names", names)
        self._set("cells", cells)


def progress_layout(
    entries: Sequence[Mapping[str, Any]], none_label: str, width: int, *, wide: bool = False
) -> ProgressLayout:
    """How one progress table fits ``width``: names wrap in a column of at most NAME_MAX cells.

    Under the full headings when that leaves the name column at least NAME_MIN cells (or
    the widest name); otherwise under PROGRESS_SHORT, so that no column is dropped or cut.
    ``wide``: full headings, the names on one line however long.
    """
    from cpft_tracker.models import RAGS

    names = tuple(" ".join((visible(e["name"]) or none_label).split()) for e in entries)
    cells = tuple(
        (
            str(e["total"]),
            str(e["complete"]),
            f"{e['percent_complete']:.1f}",
            *(str(e["rag"][n]) for n in RAGS),
            str(e["overdue"]),
        )
        for e in entries
    )
    widest = max(4, *(_cell_len(n) for n in names))

    def others(headers: Sequence[str]) -> int:  # the number columns, each with its gap
        return sum(
            2 + max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(headers[1:])
        )

    if wide:
        return ProgressLayout(PROGRESS_HEADERS, widest, False, names, cells)
    room = width - others(PROGRESS_HEADERS)
    if room >= min(widest, NAME_MIN):
        return ProgressLayout(PROGRESS_HEADERS, min(widest, NAME_MAX, room), False, names, cells)
    room = width - others(PROGRESS_SHORT)
    return ProgressLayout(PROGRESS_SHORT, max(4, min(widest, NAME_MAX, room)), True, names, cells)


def _progress_table(
    out: Console,
    entries: Sequence[Mapping[str, Any]],
    none_label: str,
    layout: ProgressLayout,
    rags: Sequence[str],
) -> list[_Line] | None:
    """One progress table as lines, laid out as print_progress_rich's rich Table.

    Number columns as wide as their widest cell, the name column ``layout.name_w`` (names
    wrapped within it, the numbers on the first line). None when that is wider than the
    console (rich's Table would squeeze the columns: print_progress_rich draws it).
    """
    headers = layout.headers
    header_styles = ["bold"] * 4 + [f"bold {RAG_STYLE[n]}" for n in rags] + ["bold"]
    widths = [layout.name_w]
    for i, header in enumerate(headers[1:]):
        widths.append(max(len(header), *(len(row[i]) for row in layout.cells)))
    if sum(widths) + 2 * (len(widths) - 1) > out.width:
        return None
    last = len(headers) - 1
    head: _Line = []
    for i, (text, bold, w) in enumerate(zip(headers, header_styles, widths, strict=True)):
        if i:
            head.append((" ", bold))  # rich styles a heading's padding as the heading
        head.append((_fit_cell(text, w) if i == 0 else text.rjust(w), bold))
        if i < last:
            head.append((" ", bold))
    lines = [head]
    blank = "".join("  " + " " * w for w in widths[1:])
    for name, row, entry in zip(layout.names, layout.cells, entries, strict=True):
        pieces = wrap_cell(name, widths[0]) if layout.name_w < _cell_len(name) else [name]
        line: _Line = [(_fit_cell(pieces[0], widths[0]), None)]
        for i, (text, w) in enumerate(zip(row, widths[1:], strict=True)):
            style = None
            if 3 <= i < 3 + len(rags):  # a BRAG count: coloured unless it is 0
                style = RAG_STYLE[rags[i - 3]] if entry["rag"][rags[i - 3]] else None
            line += [("  ", None), (text.rjust(w), style)]
        lines.append(line)
        lines += [[(_fit_cell(more, widths[0]) + blank, None)] for more in pieces[1:]]
    return lines


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
    if state == "awaiting" and action.get("retired"):
        # merged or retired before anyone reviewed it: `review` never offers it again
        text = f"not reviewed: retired first ({action['retired']})"
    elif state == "awaiting":
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
    for other in duplicate_refs(action):
        # a duplicate is merged, not rejected: say how (review itself offers no merge), the
        # later action into the earlier one, as import says
        later, earlier = sorted([str(other), str(action["ref"])], key=_ref_order, reverse=True)
        out.print(
            f"[dim]If they are the same: skip here, then run cpft-tracker merge "
            f"{escape(later)} INTO {escape(earlier)}[/dim]",
            soft_wrap=True,
        )


def _ref_order(ref: str) -> tuple[str, int]:
    """ "CPFT-10" -> ("CPFT-", 10): refs in the order they were numbered."""
    head = ref.rstrip("0123456789")
    tail = ref[len(head) :]
    return head, int(tail) if tail else 0


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
    # Who and Ref wrap within their columns, never cut (issue 13): a long name or a report's
    # name (report-level events carry it as the ref) takes more lines, not the What column,
    # which keeps at least half of what is left of the width
    rest = out.width - 21 - (12 if happened else 0) - 2 - (2 if show_ref else 0)
    who_w = min(20, max(len(visible(e["by"])) for e in events), max(8, rest // 4))
    table.add_column("Who", width=max(3, who_w), overflow="fold")
    if show_ref:
        # the Ref column holds refs only: an event about the plan (a report imported, an
        # owner's address, a setting) names what it is about at the start of What
        refs = [visible(e.get("ref") or "") for e in events]
        ref_w = min(14, max(3, *(len(r) for r in refs)), max(7, rest // 5))
        table.add_column("Ref", width=ref_w, overflow="fold")
    table.add_column("What", overflow="fold", min_width=20)
    for e in events:
        what = describe_event(e)
        if e.get("note") and e["field"] not in ("note", "created"):
            what += f" (note: {e['note']})"
        if e.get("merged_from"):
            what = f"[from {e['merged_from']}, merged] {what}"
        if show_ref and not e.get("ref") and e.get("subject") and e["subject"] not in what:
            what = f"{e['subject']}: {what}"
        when = e["at"].replace("T", " ")[:19]
        cells = [when, *([e.get("occurred_on") or when[:10]] if happened else []), e["by"]]
        if show_ref:
            cells.append(e.get("ref") or "")
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
        ("back", "back in the report", result.back_in_source),
        ("gone", "no longer in the report (kept, flagged)", result.no_longer_in_source),
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
    wide: bool = False,
) -> None:
    """The progress screen drawn with rich's Table: overall figures with a bar, one table per
    grouping, then what moved. ``print_progress`` draws the same bytes faster and falls back to this."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    out = _console_for(wide)
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
        f"{due_soon_label(figures['window_days'])} {figures['due_within_window']}"
    )
    if figures.get("retired"):
        extra += f"  Retired {figures['retired']} (not counted)"
    out.print(Text(extra))
    out.print(Text(window_label(figures["window_days"]), style="dim"))
    keyed = False
    for grouping in groupings:
        entries = figures[GROUP_KEYS[grouping]]
        out.print()
        out.print(f"[bold]{GROUP_TITLES[grouping]}[/bold]")
        if not entries:
            out.print("  (no tracked actions)")
            continue
        layout = progress_layout(entries, GROUP_NONE[grouping], out.width, wide=wide)
        keyed = keyed or layout.short
        headers = layout.headers
        table = Table(box=None, pad_edge=False, header_style="bold")
        table.add_column(headers[0], width=layout.name_w, overflow="fold")  # names wrap
        for label in headers[1:4]:
            table.add_column(label, justify="right", no_wrap=True)
        for label, name in zip(headers[4:], RAGS, strict=False):
            table.add_column(
                label,
                justify="right",
                no_wrap=True,
                header_style=f"bold {RAG_STYLE[name]}",
            )
        table.add_column(headers[-1], justify="right", no_wrap=True)
        for e, name in zip(entries, layout.names, strict=True):
            # Text, not a str: owner names are people's text ("Director [interim]"), not rich markup
            table.add_row(
                Text(name),
                str(e["total"]),
                str(e["complete"]),
                f"{e['percent_complete']:.1f}",
                *[Text(str(e["rag"][n]), style=RAG_STYLE[n] if e["rag"][n] else "") for n in RAGS],
                str(e["overdue"]),
            )
        out.print(table)
    if keyed:
        out.print()
        out.print(Text(PROGRESS_KEY, style="dim"))
    if since is not None:
        print_since(since, width=out.width, wide=wide)


class _PipeScreen:
    """Stdout as rich's Console sees it when it is not a terminal: a width and no colour.

    Made without importing rich (~25 ms of ``progress`` on a pipe, issue 10); the rare line
    that must wrap is printed by a real console of the same width.
    """

    color_system = None

    def __init__(self, width: int, wide: bool) -> None:
        self.width = width
        self._wide = wide

    def print(self, *objects: Any, **options: Any) -> None:
        real = _console_for(self._wide)
        real.width = self.width
        real.print(*objects, **options)


def _pipe_screen(wide: bool) -> _PipeScreen | None:
    """Stdout's width as rich's Console works it out (``Console.size``: COLUMNS, else the
    first of stdin, stdout and stderr that is a terminal, else 80), when stdout is not a
    terminal and nothing asks for one (FORCE_COLOR, TTY_COMPATIBLE, Jupyter, IDLE); None
    otherwise, and rich's Console decides (``tests/test_bench_smoke.py`` compares the two)."""
    import builtins

    env = os.environ
    if sys.platform == "win32" or hasattr(builtins, "get_ipython"):
        return None
    if any(key in env for key in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")):
        return None
    if getattr(sys.stdin, "__module__", "").startswith("idlelib"):
        return None
    try:
        if sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    if wide:
        return _PipeScreen(100_000, wide)
    columns = env.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return _PipeScreen(int(columns), wide)
    width = None
    for fd in (0, 1, 2):
        try:
            width, _ = os.get_terminal_size(fd)
        except (AttributeError, ValueError, OSError):
            continue
        break
    return _PipeScreen(width or 80, wide)


def _console_for(wide: bool) -> Console:
    """The stdout console; with ``wide`` as wide as any line (nothing wraps)."""
    out = console()
    if wide:
        out.width = 100_000
    return out


def print_since(since: Mapping[str, Any], *, width: int, wide: bool = False) -> None:
    """What moved since a date, one line per item, grouped: long items wrap, nothing is cut."""
    from rich.text import Text

    out = _console_for(wide)
    day = dt.date.fromisoformat(since["since"])
    out.print()
    out.print(f"[bold]What moved since the end of {long_date(day)}[/bold]")
    blocks = [
        # new to the tracked plan: imported in the period, or accepted in review (or by a merge)
        ("New to the plan (imported or accepted)", since["added"], lambda i: i["title"]),
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
        (
            SETTLED_IN_REVIEW,
            since.get("settled_in_review", []),
            lambda i: f"{i['title']}: {settled_detail(i)}",
        ),
        ("Notes", since["notes"], lambda i: f"{i['at'][:10]} {i['by']}: {i['text']}"),
    ]
    if not any(items for _, items, _ in blocks):
        out.print("  Nothing moved.")
        return
    for label, items, describe in blocks:
        if not items:
            continue
        count = settled_counts(items) if label == SETTLED_IN_REVIEW else str(len(items))
        out.print(Text(f"{label} ({count})", style="bold"))
        for item in items:
            lead = f"  {item['ref']}  "
            text = " ".join(visible(describe(item)).split())
            pieces = [text] if wide else wrap_cell(text, max(20, width - len(lead)))
            out.print(Text(lead + pieces[0]))
            for more in pieces[1:]:
                out.print(Text(" " * len(lead) + more))
