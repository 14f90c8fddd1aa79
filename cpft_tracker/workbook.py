"""The board workbook (``export --format xlsx``): the board paper as an Excel file.

Sheets: **Summary** (who, which reports, the figures, progress by quality statement),
**Actions** (one row per action, whole titles, BRAG fills, the latest update, the blocked
reason; header frozen, filters on) and, with ``--since``, **Since** (what changed). A pure
function of action rows + progress figures -> bytes, written with openpyxl in its
write-only mode (rows streamed to the file, so a plan of 100,000 actions does not need
gigabytes). Text from the database is stored as text, never as a formula.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cpft_tracker.board import (
    RAG_COLOUR,
    RAG_INK,
    RAG_WORDS,
    BoardStory,
    awaiting_line,
    blocked_reason,
    board_sections,
    chain_head_label,
    event_day,
    long_date,
    position_label,
    produced_label,
    report_lines,
    since_heading,
    since_rows,
    summary_lines,
    update_text,
    window_label,
)
from cpft_tracker.models import days_overdue, is_overdue, rag_of

# Excel keeps at most this many characters in a cell.
CELL_LIMIT = 32_767
HEADER_FILL = "F0F4F5"
DATE_FORMAT = "d mmm yyyy"

# (heading, width in characters, wrapped)
ACTION_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("Ref", 10, False),
    ("Quality statement", 24, True),
    ("Action", 60, True),
    ("Owner", 20, True),
    ("Due", 12, False),
    ("Days overdue", 9, False),
    ("Status", 12, False),
    ("BRAG", 8, False),
    ("Blocked reason", 30, True),
    ("Latest update", 45, True),
    ("Update date", 12, False),
    ("Updated by", 16, True),
    ("Evidence", 40, True),
    ("Retired", 24, True),
    ("Report", 30, True),
)
SINCE_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("Change", 16, False),
    ("Ref", 10, False),
    ("Action", 60, True),
    ("Detail", 50, True),
)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


class _Sheet:
    """One write-only sheet and the few styles its cells use."""

    def __init__(self, book: Any, title: str) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.ws = book.create_sheet(title)
        self.rows = 0
        self.bold = Font(bold=True)
        self.big = Font(bold=True, size=14)
        self.header_fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        self.fills = {
            n: PatternFill("solid", fgColor=RAG_COLOUR[n].lstrip("#").upper()) for n in RAG_WORDS
        }
        self._styles: dict[tuple[tuple[str, int], ...], Any] = {}
        self.inks = {n: Font(bold=True, color=RAG_INK[n].lstrip("#").upper()) for n in RAG_WORDS}

    def cell(self, value: Any, **style: Any) -> Any:
        """A cell holding ``value``: text stays text (never a formula), dates are dates."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if len(value) > CELL_LIMIT:
                value = value[: CELL_LIMIT - 40] + " … (cut: see cpft-tracker show)"
        c = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str) and value.startswith("="):
            c.data_type = "s"  # openpyxl would store it as a formula
        if isinstance(value, dt.date):
            style["number_format"] = DATE_FORMAT
        if style:
            # Setting a style looks it up in the workbook's tables (most of the time of a
            # large workbook); each combination is looked up once and its indices reused.
            key = tuple((name, id(setting)) for name, setting in style.items())
            cached = self._styles.get(key)
            if cached is None:
                for name, setting in style.items():
                    setattr(c, name, setting)
                self._styles[key] = copy.copy(c._style)
            else:
                c._style = copy.copy(cached)
        return c

    def append(self, cells: Iterable[Any]) -> None:
        self.ws.append(list(cells))
        self.rows += 1

    def table_head(self, columns: Sequence[tuple[str, int, bool]], first: int) -> None:
        """Column widths, and the rows above ``first`` frozen: set before any row is written
        (a write-only sheet writes them first)."""
        for i, (_, width, _) in enumerate(columns, start=1):
            self.ws.column_dimensions[_letter(i)].width = width
        self.ws.freeze_panes = f"A{first}"

    def header(self, columns: Sequence[tuple[str, int, bool]]) -> None:
        self.append(
            self.cell(name, font=self.bold, fill=self.header_fill, alignment=self.wrap)
            for name, _, _ in columns
        )

    def filters(self, columns: Sequence[tuple[str, int, bool]], first: int) -> None:
        """Filters on the table whose header is the row above ``first``."""
        self.ws.auto_filter.ref = f"A{first - 1}:{_letter(len(columns))}{max(self.rows, first)}"


def _day(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None


def xlsx_report(
    rows: Sequence[Mapping[str, Any]],
    figures: Mapping[str, Any],
    *,
    today: dt.date,
    window: int,
    generated_at: str,
    as_of: dt.date | None = None,
    story: BoardStory | None = None,
    chain_head: tuple[int, str | None] | None = None,
) -> bytes:
    """The board workbook as the bytes of an .xlsx file."""
    from openpyxl import Workbook

    story = story or BoardStory()
    book = Workbook(write_only=True)
    book.properties.creator = "cpft-tracker"
    book.properties.title = f"CQC action plan progress: {long_date(as_of or today)}"
    _summary_sheet(
        _Sheet(book, "Summary"), figures, today, as_of, window, generated_at, story, chain_head
    )
    _actions_sheet(_Sheet(book, "Actions"), rows, today, window, story)
    if story.since is not None:
        _since_sheet(_Sheet(book, "Since"), story.since)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _summary_sheet(
    sheet: _Sheet,
    figures: Mapping[str, Any],
    today: dt.date,
    as_of: dt.date | None,
    window: int,
    generated_at: str,
    story: BoardStory,
    chain_head: tuple[int, str | None] | None = None,
) -> None:
    sheet.ws.column_dimensions["A"].width = 48
    for letter in "BCDEFGHI":
        sheet.ws.column_dimensions[letter].width = 11
    if story.provider:
        sheet.append([sheet.cell(story.provider, font=sheet.big)])
    sheet.append([sheet.cell("CQC action plan: progress", font=sheet.big)])
    lines = report_lines(story.reports)
    for i, line in enumerate(lines):
        label = ("Reports" if len(lines) > 1 else "Report") if i == 0 else ""
        sheet.append([sheet.cell(label, font=sheet.bold), sheet.cell(line)])
    sheet.append([sheet.cell(f"{position_label(today, as_of)}.")])
    sheet.append([sheet.cell(f"Produced {produced_label(generated_at)}. {window_label(window)}.")])
    sheet.append([])
    sheet.append(
        [sheet.cell("Measure", font=sheet.bold, fill=sheet.header_fill)]
        + [sheet.cell("Number", font=sheet.bold, fill=sheet.header_fill)]
    )
    for label, value in summary_lines(figures, story.since):
        sheet.append([sheet.cell(label), sheet.cell(int(value) if value.isdigit() else value)])
    if awaiting := awaiting_line(figures):
        sheet.append([])
        sheet.append([sheet.cell(awaiting)])
    if chain_head is not None:
        sheet.append([])
        sheet.append([sheet.cell(chain_head_label(chain_head) + ".")])
    sheet.append([])
    heads = ["By quality statement", "Actions", "Complete", "% complete", "Overdue"]
    heads += [RAG_WORDS[n] for n in RAG_WORDS]
    sheet.append(sheet.cell(h, font=sheet.bold, fill=sheet.header_fill) for h in heads)
    for g in figures.get("by_quality_statement", []):
        sheet.append(
            [
                sheet.cell(g["name"] or "Not linked to a quality statement", alignment=sheet.wrap),
                sheet.cell(g["total"]),
                sheet.cell(g["complete"]),
                sheet.cell(g["percent_complete"]),
                sheet.cell(g["overdue"]),
                *[sheet.cell(g["rag"][n]) for n in RAG_WORDS],
            ]
        )


def _actions_sheet(
    sheet: _Sheet,
    rows: Sequence[Mapping[str, Any]],
    today: dt.date,
    window: int,
    story: BoardStory,
) -> None:
    sheet.table_head(ACTION_COLUMNS, 2)
    sheet.header(ACTION_COLUMNS)

    # one pass over the rows, keeping only each row's cell values (issue 10: memory)
    def values_of(r: Mapping[str, Any]) -> tuple[str | None, list[Any]]:
        return _row_values(r, today, window, story)

    groups, retired = board_sections(rows, today, window, values_of, values_of)
    wrapped = [wrap for _, _, wrap in ACTION_COLUMNS]
    ordered = (values for _, _, items in groups for values in items)
    for rating, values in itertools.chain(ordered, retired):
        cells = [
            sheet.cell(v, alignment=sheet.wrap if wrap else sheet.top)
            for v, wrap in zip(values, wrapped, strict=True)
        ]
        if rating:  # the BRAG cell in its colour
            cells[7] = sheet.cell(
                values[7], alignment=sheet.top, fill=sheet.fills[rating], font=sheet.inks[rating]
            )
        sheet.append(cells)
    sheet.filters(ACTION_COLUMNS, 2)


def _row_values(
    r: Mapping[str, Any], today: dt.date, window: int, story: BoardStory
) -> tuple[str | None, list[Any]]:
    """One action's BRAG rating and the cell values of its row on the actions sheet."""
    rating = rag_of(r, today, window)
    events = story.updates.get(r.get("id", -1)) or {}
    latest = events.get("latest")
    return rating, [
        r["ref"],
        r.get("quality_statement") or "Not linked to a quality statement",
        r["title"],
        r.get("owner") or "Unassigned",
        _day(r.get("due")),
        days_overdue(r, today) if is_overdue(r, today) else None,
        r["status"],
        RAG_WORDS.get(rating or "", "Retired" if r.get("retired") else ""),
        blocked_reason(story, r) or None,
        update_text(latest) if latest else None,
        _day(event_day(latest)) if latest else None,
        latest["by"] if latest else None,
        r.get("evidence"),
        r.get("retired"),
        r.get("report"),
    ]


def _since_sheet(sheet: _Sheet, since: Mapping[str, Any]) -> None:
    sheet.table_head(SINCE_COLUMNS, 3)
    sheet.append([sheet.cell(since_heading(since), font=sheet.big)])
    sheet.header(SINCE_COLUMNS)
    changes = since_rows(since)
    for change in changes:
        sheet.append(sheet.cell(v, alignment=sheet.wrap) for v in change)
    if not changes:
        sheet.append([sheet.cell("Nothing changed.")])
    sheet.filters(SINCE_COLUMNS, 3)
