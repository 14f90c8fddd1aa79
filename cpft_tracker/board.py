"""Board products: the Markdown board-paper section and the self-contained HTML report.
Pure functions of action rows + progress figures -> text; no terminal, no rich. (The
``progress`` screen is output for people: ``render.py``, which may import from here; this
module never imports ``render``.)

Everything that comes from the database is escaped: ``html.escape`` for HTML; for Markdown,
``&``, ``<`` and ``>`` become entities (a Markdown viewer would otherwise run raw HTML),
``\\ | * _ ` [ ]`` get a backslash, and line breaks become ``<br>``. In both, control
characters and bidi overrides are shown as text (``textsafe.visible``), never obeyed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from operator import itemgetter

from cpft_tracker.models import RAGS, days_overdue, is_overdue, rag_of
from cpft_tracker.quality_statements import NAMES
from cpft_tracker.records import Record
from cpft_tracker.textsafe import visible

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")
    R = TypeVar("R")

RAG_WORDS = {"blue": "Blue", "green": "Green", "amber": "Amber", "red": "Red"}
RAG_MEANING = {"blue": "complete", "green": "on track", "amber": "at risk", "red": "off track"}
RAG_COLOUR = {"blue": "#005eb8", "green": "#007f3b", "amber": "#ffb81c", "red": "#d5281b"}
RAG_INK = {"blue": "#ffffff", "green": "#ffffff", "amber": "#212b32", "red": "#ffffff"}
NO_STATEMENT = "Not linked to a quality statement"
RAG_RANK = {"red": 0, "amber": 1, "green": 2, "blue": 3}

# -- shared ---------------------------------------------------------------------


def long_date(day: dt.date) -> str:
    """31 March 2026."""
    return f"{day.day} {day:%B %Y}"


def short_date(iso: str | None) -> str:
    """'2026-03-31' -> '31 Mar 2026'; '' for no date."""
    if not iso:
        return ""
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%b %Y}"


def produced_label(generated_at: str) -> str:
    """'2026-04-01T09:30:00Z' -> '2026-04-01 09:30 UTC'."""
    return generated_at.replace("T", " ")[:16] + " UTC"


def chain_head_label(head: tuple[int, str | None]) -> str:
    """The audit trail's chain head as published in a board paper (see docs/faults.md)."""
    return f"Audit chain head: {head[1] or '(no hash)'} (event {head[0]})"


def position_label(today: dt.date, as_of: dt.date | None) -> str:
    """The sentence that says which state of the plan this is."""
    if as_of is not None:
        return f"Plan as it stood at the end of {long_date(as_of)} (rebuilt from the audit trail)"
    return f"Plan as at {long_date(today)}"


def due_label(action: Mapping[str, Any], today: dt.date) -> str:
    """'31 Mar 2026', with '(N days overdue)' when it is."""
    text = short_date(action.get("due"))
    if is_overdue(action, today):
        late = days_overdue(action, today) or 0
        text += f" ({late} day{'s' if late != 1 else ''} overdue)"
    return text


def due_soon_label(days: int) -> str:
    """'Due in the next 14 days': the look-ahead window's count, named the same everywhere."""
    if days == 0:
        return "Due today"
    return f"Due in the next {days} day{'s' if days != 1 else ''}"


def window_label(days: int) -> str:
    """'Look-ahead window: 14 days': the one window (the ``window`` setting) that makes an
    action amber, that the 'due in the next' count and ``remind`` look ahead by."""
    return f"Look-ahead window: {days} day{'s' if days != 1 else ''} (amber: due within it)"


def board_order(
    rows: Sequence[Mapping[str, Any]], today: dt.date, window: int
) -> list[Mapping[str, Any]]:
    """Overdue first (longest overdue first), then red, amber, green, blue; plan order within."""

    def key(item: tuple[int, Mapping[str, Any]]) -> tuple[int, int, str, int]:
        index, r = item
        late = is_overdue(r, today)
        return (
            0 if late else 1,
            RAG_RANK.get(rag_of(r, today, window) or "", 4),
            (r.get("due") or "9999-12-31") if late else "",
            index,
        )

    return [r for _, r in sorted(enumerate(rows), key=key)]


def sections(
    rows: Sequence[Mapping[str, Any]],
) -> tuple[list[tuple[str, list[Mapping[str, Any]]]], list[Mapping[str, Any]]]:
    """Tracked actions grouped by quality statement (CQC order, unlinked last) and the retired ones."""
    groups: dict[str | None, list[Mapping[str, Any]]] = {}
    retired = []
    for r in rows:
        if r.get("retired"):
            retired.append(r)
        else:
            groups.setdefault(r.get("quality_statement"), []).append(r)
    order = {name: i for i, name in enumerate(NAMES)}
    names = sorted(groups, key=lambda n: (n is None, order.get(n or "", len(order)), n or ""))
    return [(n or NO_STATEMENT, groups[n]) for n in names], retired


# How many drawn rows a board page holds in memory; past that they go to a temporary file
# (``_DrawnRows``) and are read back in board order: at 100,000 actions the drawn HTML rows
# alone were ~60 MB (bench/NOTES.md, issue 10).
SPILL_AFTER = 5_000


def _section_key(name: str | None, order: Mapping[str, int]) -> tuple[int, int, str]:
    """Where a quality statement's section goes: CQC order, other names after, unlinked last."""
    return (int(name is None), order.get(name or "", len(order)), name or "")


class _DrawnRows:
    """Drawn rows with their board-order keys, in a private temporary SQLite file.

    SQLite keeps a small page cache and sorts on disk, so the page holds a few MB however
    many rows there are. Its text order is Python's (UTF-8 bytes compare as code points do),
    so the rows come back in exactly the order ``sorted`` gives them.
    """

    def __init__(self) -> None:
        import sqlite3

        # "" = a temporary database in a file of its own, deleted when it is closed
        self.conn = sqlite3.connect("", isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = OFF")
        self.conn.execute("PRAGMA synchronous = OFF")
        self.conn.execute(
            "CREATE TABLE drawn (none INTEGER, ord INTEGER, name TEXT, late INTEGER,"
            " rank INTEGER, due TEXT, idx INTEGER, item BLOB)"
        )
        self.conn.execute("BEGIN")

    def add(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Rows of (section key, board-order key, drawn item), the item pickled."""
        import pickle

        self.conn.executemany(
            "INSERT INTO drawn VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (*section, *key, pickle.dumps(item, pickle.HIGHEST_PROTOCOL))
                for section, key, item in rows
            ),
        )

    def done(self) -> None:
        """Everything is in: index it in board order."""
        self.conn.execute("COMMIT")
        self.conn.execute(
            "CREATE INDEX board_order ON drawn (none, ord, name, late, rank, due, idx)"
        )

    def items(self, section: tuple[int, int, str]) -> Iterator[Any]:
        """The drawn items of one section, in board order."""
        import pickle

        cur = self.conn.execute(
            "SELECT item FROM drawn WHERE none = ? AND ord = ? AND name = ?"
            " ORDER BY late, rank, due, idx",
            section,
        )
        for (item,) in cur:
            yield pickle.loads(item)  # noqa: S301 - our own pickles, written above


class _SpilledSection(Collection["T"]):
    """One section's drawn rows, read from ``_DrawnRows`` each time it is iterated."""

    def __init__(self, drawn: _DrawnRows, section: tuple[int, int, str], count: int) -> None:
        self._drawn, self._section, self._count = drawn, section, count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[T]:
        return self._drawn.items(self._section)

    def __contains__(self, item: object) -> bool:
        return any(item == mine for mine in self)


def board_sections(
    rows: Iterable[Mapping[str, Any]],
    today: dt.date,
    window: int,
    draw: Callable[[Mapping[str, Any]], T],
    draw_retired: Callable[[Mapping[str, Any]], R],
) -> tuple[list[tuple[str, int, Collection[T]]], list[R]]:
    """:func:`sections` and :func:`board_order` in one pass, keeping only what the page needs.

    Each row is drawn as it comes from the cursor (``draw``: a tracked action's table row,
    ``draw_retired``: a retired one's) and only the drawing is kept, with its place in board
    order; returns (name, complete, drawn rows in board order) per section in CQC order,
    and the retired rows in plan order. Memory (issue 10): the page no longer holds every
    action row (468 MB at 100,000 actions for the HTML report), and past ``SPILL_AFTER``
    rows the drawings wait in a temporary file, read back section by section. Same order
    as ``sections`` + ``board_order`` (tested, held and spilled).
    """
    order = {name: i for i, name in enumerate(NAMES)}
    held: list[tuple[tuple[int, int, str], tuple[int, int, str, int], T]] = []
    drawn: _DrawnRows | None = None
    counts: dict[tuple[int, int, str], int] = {}
    names: dict[tuple[int, int, str], str | None] = {}
    done: dict[tuple[int, int, str], int] = {}
    retired: list[R] = []
    for index, r in enumerate(rows):
        if r.get("retired"):
            retired.append(draw_retired(r))
            continue
        name = r.get("quality_statement")
        section = _section_key(name, order)
        late = is_overdue(r, today)
        key = (
            0 if late else 1,
            RAG_RANK.get(rag_of(r, today, window) or "", 4),
            (r.get("due") or "9999-12-31") if late else "",
            index,
        )
        held.append((section, key, draw(r)))
        names.setdefault(section, name)
        counts[section] = counts.get(section, 0) + 1
        if r["status"] == "complete":
            done[section] = done.get(section, 0) + 1
        if len(held) > SPILL_AFTER:
            if drawn is None:
                drawn = _DrawnRows()
            drawn.add(held)
            held = []
    out: list[tuple[str, int, Collection[T]]] = []
    if drawn is not None:
        drawn.add(held)
        del held
        drawn.done()
        for section in sorted(counts):
            items: Collection[T] = _SpilledSection(drawn, section, counts[section])
            out.append((names[section] or NO_STATEMENT, done.get(section, 0), items))
        return out, retired
    held.sort(key=itemgetter(0, 1))
    at = 0
    for section in sorted(counts):
        end = at + counts[section]
        kept = [item for _, _, item in held[at:end]]
        out.append((names[section] or NO_STATEMENT, done.get(section, 0), kept))
        at = end
    return out, retired


def summary_lines(
    figures: Mapping[str, Any], since: Mapping[str, Any] | None = None
) -> list[tuple[str, str]]:
    """The summary figures as (label, value) pairs, in board order."""
    rag = figures["rag"]
    lines = [
        ("Actions tracked", str(figures["total"])),
        ("Complete", f"{figures['complete']} ({figures['percent_complete']:.1f}%)"),
    ]
    if since is not None:
        day = long_date(dt.date.fromisoformat(since["since"]))
        lines.append((f"Completed since {day}", str(len(since["completed"]))))
    lines += [(f"{RAG_WORDS[n]}: {RAG_MEANING[n]}", str(rag[n])) for n in RAGS]
    blocked = sum(g["total"] for g in figures.get("by_status", []) if g["name"] == "blocked")
    lines += [
        ("Overdue", str(figures["overdue"])),
        ("Blocked", str(blocked)),
        ("Unassigned", str(figures["unassigned"])),
        (
            due_soon_label(figures["window_days"]),
            str(figures.get("due_within_window", figures["due_next_30_days"])),
        ),
    ]
    if figures.get("retired"):
        lines.append(("Retired (not counted above)", str(figures["retired"])))
    return lines


def awaiting_line(figures: Mapping[str, Any]) -> str | None:
    """ "3 actions awaiting review: run cpft-tracker review." (None when there are none)."""
    n = figures.get("awaiting_review") or 0
    if not n:
        return None
    return (
        f"{n} action{'s' if n != 1 else ''} awaiting review (not counted above): "
        "run cpft-tracker review."
    )


def since_heading(since: Mapping[str, Any]) -> str:
    """'What changed since the end of 1 March 2026'."""
    return f"What changed since the end of {long_date(dt.date.fromisoformat(since['since']))}"


# Candidates that were awaiting review and were rejected, merged or retired in the period:
# never on the plan, so under no other heading of "what changed" (progress.changes_since).
SETTLED_IN_REVIEW = "Settled in review, not added to the plan"


def settled_detail(item: Mapping[str, Any]) -> str:
    """How a candidate was settled: 'Rejected in review: describes …', 'Merged into CPFT-10
    while awaiting review', 'Retired while awaiting review: …'."""
    if item.get("outcome") == "merged":
        return f"Merged into {item['into']} while awaiting review"
    reason = str(item.get("reason") or "")
    if item.get("outcome") == "rejected":
        why = re.sub(r"^\s*not a requirement\s*:?\s*", "", reason, flags=re.IGNORECASE)
        return f"Rejected in review: {why}" if why else "Rejected in review"
    return f"Retired while awaiting review: {reason}"


def settled_counts(items: Sequence[Mapping[str, Any]]) -> str:
    """'2: 1 rejected, 1 merged' (each outcome that occurs, in that order)."""
    counts = [
        f"{n} {outcome}"
        for outcome in ("rejected", "merged", "retired")
        if (n := sum(1 for i in items if i.get("outcome") == outcome))
    ]
    return f"{len(items)}: {', '.join(counts)}"


def since_rows(since: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """The "what changed since" section as (change, ref, whole title, detail) rows, by kind."""

    def owner(i: Mapping[str, Any]) -> str:
        return f"Owner: {i['owner']}" if i.get("owner") else "No owner yet"

    kinds: list[tuple[str, str, Any]] = [
        ("New to the plan", "added", owner),  # imported, or accepted in review, in the period
        ("Completed", "completed", owner),
        (
            "Newly blocked",
            "newly_blocked",
            lambda i: f"Reason: {i.get('reason') or 'no reason recorded'}",
        ),
        ("Newly overdue", "newly_overdue", lambda i: f"Due {short_date(i['due'])}; {owner(i)}"),
        (
            "Due date moved",
            "due_changes",
            lambda i: f"{short_date(i['old']) or 'no date'} → {short_date(i['new']) or 'no date'}",
        ),
        ("New owner", "new_owners", lambda i: f"{i['old'] or 'Unassigned'} → {i['new']}"),
        ("Retired", "retired", lambda i: f"Reason: {i['reason']}"),
        (
            "Merged",
            "merged",
            lambda i: f"Merged into {i['into']}" if i.get("into") else i["reason"],
        ),
        (SETTLED_IN_REVIEW, "settled_in_review", settled_detail),
    ]
    return [
        (label, str(item["ref"]), str(item["title"]), describe(item))
        for label, key, describe in kinds
        for item in since.get(key) or []
    ]


# -- the story: who, which reports, the latest word on each action ------------------


class BoardStory(Record):
    """What a board paper says beyond the figures (all optional; ``export`` fills them in).

    ``reports``: the reports the plan comes from (dicts with ``name`` and ``imported_at``);
    ``updates``: per action id, ``Store.latest_updates`` (the events the latest update and
    the blocked reason come from); ``since``: ``progress.changes_since`` (the "what changed
    since" section) or None; ``provider_setting``: the ``provider`` setting, when set.
    """

    __slots__ = ("reports", "updates", "since", "provider_setting")

    def __init__(
        self,
        reports: Sequence[Mapping[str, Any]] = (),
        updates: Mapping[int, Mapping[str, Any]] | None = None,
        since: Mapping[str, Any] | None = None,
        provider_setting: str | None = None,
    ) -> None:
        self.reports = reports
        self.updates: Mapping[int, Mapping[str, Any]] = {} if updates is None else updates
        self.since = since
        self.provider_setting = provider_setting

    @property
    def provider(self) -> str | None:
        """The trust or provider: the ``provider`` setting, else as every report names it."""
        if self.provider_setting:
            return self.provider_setting
        return provider_name([r["name"] for r in self.reports])


# (used through re.split / re.search: compiled at the first board paper, not at every start)
_TITLE_SPLIT = r"\s+[—–]\s+|\s+-\s+"


def provider_name(report_names: Sequence[str]) -> str | None:
    """The provider the reports are about: their title before " — " (as ``import`` names a
    report from its first lines: "<Trust> — Report from 17 July 2025 assessment"); None
    when a title has no such part or the reports name different providers."""
    names = {re.split(_TITLE_SPLIT, n, maxsplit=1)[0].strip() for n in report_names if n}
    if len(names) != 1:
        return None
    (name,) = names
    if not any(re.search(_TITLE_SPLIT, n) for n in report_names):
        return None
    return name


def report_lines(reports: Sequence[Mapping[str, Any]]) -> list[str]:
    """One line per report: its whole title and the date it was imported."""
    return [
        f"{r['name']} (imported {short_date(str(r['imported_at'])[:10])})"
        if r.get("imported_at")
        else str(r["name"])
        for r in reports
    ]


def local_day(at: str) -> str:
    """An audit timestamp (UTC) as the local ISO date it fell on."""
    moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    return moment.astimezone().date().isoformat()


def update_text(event: Mapping[str, Any]) -> str:
    """What one note or status event says, for the board."""
    if event["field"] == "note":
        return str(event.get("new") or "")
    text = f"Status changed to {event.get('new')}"
    return f"{text}: {event['note']}" if event.get("note") else f"{text}."


def event_day(event: Mapping[str, Any]) -> str:
    """The ISO date an event happened: its ``--on`` date, else the local day it was recorded."""
    return str(event.get("occurred_on") or local_day(event["at"]))


def latest_update(story: BoardStory | None, action: Mapping[str, Any]) -> str:
    """'6 Mar 2026, Alice Smith: Draft to committee on 9 March', or '' when there is none."""
    events = story.updates.get(action.get("id", -1)) if story else None
    event = events.get("latest") if events else None
    if not event:
        return ""
    return f"{short_date(event_day(event))}, {event['by']}: {update_text(event)}"


STORY_FIELDS: tuple[str, ...] = (
    "latest_update",
    "latest_update_on",
    "latest_update_by",
    "blocked_reason",
)


def story_fields(story: BoardStory | None, action: Mapping[str, Any]) -> dict[str, Any]:
    """The story of one action for the JSON and CSV exports (docs/json-schemas.md): its latest
    update's text, the date it happened and who recorded it, and why it is blocked (null
    for each that does not apply)."""
    events = story.updates.get(action.get("id", -1)) if story else None
    event = events.get("latest") if events else None
    return {
        "latest_update": update_text(event) if event else None,
        "latest_update_on": event_day(event) if event else None,
        "latest_update_by": event["by"] if event else None,
        "blocked_reason": blocked_reason(story, action) or None,
    }


def blocked_reason(story: BoardStory | None, action: Mapping[str, Any]) -> str:
    """Why a blocked action is blocked: the note given when it was blocked, else its latest
    note; '' for an action that is not blocked."""
    if action.get("status") != "blocked" or action.get("retired"):
        return ""
    events = story.updates.get(action.get("id", -1), {}) if story else {}
    blocked = events.get("blocked")
    if blocked and blocked.get("note"):
        return str(blocked["note"])
    noted = events.get("noted")
    if noted:
        return str(noted["new"] if noted["field"] == "note" else noted.get("note") or "")
    return "no reason recorded"


# -- Markdown -------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\|*_`\[\]])")


def md_cell(value: Any) -> str:
    """Text from the database made safe for a Markdown table cell."""
    if value is None:
        return ""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # control characters and bidi overrides shown, never obeyed (issue 14, finding 5)
    return "<br>".join(visible(part.strip()) for part in re.split(r"\r\n|\r|\n", text.strip()))


def markdown_report(
    rows: Iterable[Mapping[str, Any]],
    figures: Mapping[str, Any],
    *,
    today: dt.date,
    window: int,
    generated_at: str,
    as_of: dt.date | None = None,
    story: BoardStory | None = None,
    chain_head: tuple[int, str | None] | None = None,
) -> str:
    """A board-paper section: who and which reports, the summary figures, what changed since
    the last paper (with ``--since``), then a table per quality statement."""
    return "".join(
        markdown_report_chunks(
            rows,
            figures,
            today=today,
            window=window,
            generated_at=generated_at,
            as_of=as_of,
            story=story,
            chain_head=chain_head,
        )
    )


def markdown_report_chunks(
    rows: Iterable[Mapping[str, Any]],
    figures: Mapping[str, Any],
    *,
    today: dt.date,
    window: int,
    generated_at: str,
    as_of: dt.date | None = None,
    story: BoardStory | None = None,
    chain_head: tuple[int, str | None] | None = None,
) -> Iterator[str]:
    """:func:`markdown_report` line by line, the rows read once from the cursor (the same
    bytes; nothing is produced until every row has been read)."""
    story = story or BoardStory()
    since = story.since

    def row_line(r: Mapping[str, Any]) -> str:
        rating = rag_of(r, today, window)
        reason = blocked_reason(story, r)
        status = f"{r['status']}\nReason: {reason}" if reason else r["status"]
        return (
            "| "
            + " | ".join(
                [
                    md_cell(r["ref"]),
                    RAG_WORDS.get(rating or "", ""),
                    md_cell(status),
                    md_cell(due_label(r, today)),
                    md_cell(r.get("owner") or "Unassigned"),
                    md_cell(r["title"]),
                    md_cell(latest_update(story, r)),
                    md_cell(r.get("evidence")),
                ]
            )
            + " |\n"
        )

    def retired_line(r: Mapping[str, Any]) -> str:
        return f"| {md_cell(r['ref'])} | {md_cell(r['title'])} | {md_cell(r['retired'])} |\n"

    groups, retired = board_sections(rows, today, window, row_line, retired_line)
    out = ["## CQC action plan: progress", ""]
    if story.provider:
        out += [f"**{md_cell(story.provider)}**", ""]
    reports = report_lines(story.reports)
    if len(reports) == 1:
        out += [f"Report: {md_cell(reports[0])}.", ""]
    elif reports:
        out += ["Reports:", "", *[f"- {md_cell(line)}" for line in reports], ""]
    out.append(
        f"{position_label(today, as_of)}. Produced {produced_label(generated_at)}. "
        f"{window_label(window)}."
    )
    if chain_head is not None:
        out += ["", chain_head_label(chain_head) + "."]
    out += ["", "| Measure | Number |", "| --- | ---: |"]
    out += [f"| {label} | {value} |" for label, value in summary_lines(figures, since)]
    if awaiting := awaiting_line(figures):
        out += ["", md_cell(awaiting)]
    if since is not None:
        out += ["", f"### {since_heading(since)}", ""]
        changes = since_rows(since)
        if changes:
            out += ["| Change | Ref | Action | Detail |", "| --- | --- | --- | --- |"]
            out += [f"| {' | '.join(md_cell(c) for c in change)} |" for change in changes]
        else:
            out.append("Nothing changed.")
    if not groups and not retired:
        out += ["", "No actions match."]
    yield "".join(f"{line}\n" for line in out)
    for name, done, items in groups:
        pct = 100.0 * done / len(items)
        yield (
            f"\n### {md_cell(name)}\n\nComplete: {done} of {len(items)} ({pct:.1f}%).\n\n"
            "| Ref | BRAG | Status | Due | Owner | Action | Latest update | Evidence |\n"
            "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
        )
        yield from items
    if retired:
        yield (
            "\n### Retired actions (no longer tracked)\n\n"
            "| Ref | Action | Reason |\n| --- | --- | --- |\n"
        )
        yield from retired


# -- HTML -------------------------------------------------------------------------


def esc(value: Any) -> str:
    """Text from the database made safe for HTML (text and attribute values)."""
    from html import escape  # here: ~3 ms of every start, and only HTML needs it

    # control characters and bidi overrides shown, never obeyed (issue 14, finding 5)
    return escape(visible("" if value is None else str(value), multiline=True), quote=True)


def esc_lines(value: Any) -> str:
    """Escaped text with its line breaks kept as <br>."""
    return "<br>".join(esc(line) for line in str(value or "").splitlines())


def brag_svg(rag: Mapping[str, int]) -> str:
    """A horizontal bar chart of the BRAG counts, as inline SVG (labels in words, not colour alone)."""
    bar_x, bar_max, row_h = 170, 360, 34
    biggest = max([1, *rag.values()])
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="600" height="{row_h * 4 + 8}" '
        f'viewBox="0 0 600 {row_h * 4 + 8}" role="img" aria-labelledby="brag-chart-title">',
        '<title id="brag-chart-title">Actions by BRAG rating: '
        + ", ".join(f"{RAG_WORDS[n]} {rag[n]}" for n in RAGS)
        + "</title>",
    ]
    for i, name in enumerate(RAGS):
        y = 4 + i * row_h
        width = round(bar_max * rag[name] / biggest)
        parts.append(
            f'<text x="0" y="{y + 21}" class="label">{RAG_WORDS[name]} ({RAG_MEANING[name]})</text>'
        )
        parts.append(
            f'<rect x="{bar_x}" y="{y + 4}" width="{width}" height="24" rx="3" '
            f'fill="{RAG_COLOUR[name]}"/>'
        )
        parts.append(f'<text x="{bar_x + width + 8}" y="{y + 21}" class="count">{rag[name]}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


_CSS = """
body{font-family:Arial,Helvetica,sans-serif;color:#212b32;margin:2rem auto;max-width:75rem;padding:0 1rem;line-height:1.4}
h1{font-size:1.8rem;margin:0 0 .3rem}h2{font-size:1.35rem;margin:2rem 0 .4rem;border-bottom:2px solid #005eb8}
.meta{color:#4c6272;margin:.2rem 0}
.figures{display:flex;flex-wrap:wrap;gap:.6rem;margin:1rem 0;padding:0;list-style:none}
.figures li{border:1px solid #d8dde0;border-radius:4px;padding:.5rem .8rem;min-width:8.5rem}
.figures .n{display:block;font-size:1.6rem;font-weight:bold}
.progress{background:#e8edee;border-radius:4px;height:1.1rem;max-width:36rem;margin:.3rem 0 1rem}
.progress span{display:block;height:100%;background:#005eb8;border-radius:4px}
.chart text{font-family:Arial,Helvetica,sans-serif;font-size:15px;fill:#212b32}
.chart .count{font-weight:bold}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.92rem}
th,td{border:1px solid #d8dde0;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f4f5}
td.rag{font-weight:bold;white-space:nowrap}
.rag-blue{background:#005eb8;color:#fff}.rag-green{background:#007f3b;color:#fff}
.rag-amber{background:#ffb81c;color:#212b32}.rag-red{background:#d5281b;color:#fff}
td.late{color:#d5281b;font-weight:bold}td.nowrap{white-space:nowrap}
.provider{font-size:1.15rem;font-weight:bold;margin:0 0 .2rem;color:#005eb8}
.reports{margin:.2rem 0;padding-left:1.2rem}
th,td{box-sizing:border-box}td{overflow-wrap:anywhere}
.statement th:nth-child(1){width:7%}.statement th:nth-child(2){width:7%}
.statement th:nth-child(3){width:10%}.statement th:nth-child(4){width:10%}
.statement th:nth-child(5){width:11%}.statement th:nth-child(6){width:25%}
.statement th:nth-child(7){width:18%}.statement th:nth-child(8){width:12%}
#since th:nth-child(1){width:15%}#since th:nth-child(2){width:8%}
#since th:nth-child(3){width:45%}#since th:nth-child(4){width:32%}
.why{display:block;font-weight:normal;color:#d5281b}
.when{display:block;color:#4c6272;font-size:.85rem}
#retired th:nth-child(1){width:6%}
footer{margin-top:2rem;color:#4c6272;font-size:.85rem}
@page{margin:12mm}
@media print{body{margin:0;max-width:none;font-size:10pt}h2,h2+p{break-after:avoid}tr{break-inside:avoid}}
""".strip()


def html_report(
    rows: Iterable[Mapping[str, Any]],
    figures: Mapping[str, Any],
    *,
    today: dt.date,
    window: int,
    generated_at: str,
    as_of: dt.date | None = None,
    story: BoardStory | None = None,
    chain_head: tuple[int, str | None] | None = None,
) -> str:
    """One self-contained HTML page: who and which reports, the summary, BRAG chart (inline
    SVG), what changed since the last paper (with ``--since``), a table per quality statement.

    No scripts, fonts or images are loaded (a Content-Security-Policy forbids them too), so
    it opens the same from an email attachment, a shared drive or a board portal.
    """
    return "".join(
        html_report_chunks(
            rows,
            figures,
            today=today,
            window=window,
            generated_at=generated_at,
            as_of=as_of,
            story=story,
            chain_head=chain_head,
        )
    )


def html_report_chunks(
    rows: Iterable[Mapping[str, Any]],
    figures: Mapping[str, Any],
    *,
    today: dt.date,
    window: int,
    generated_at: str,
    as_of: dt.date | None = None,
    story: BoardStory | None = None,
    chain_head: tuple[int, str | None] | None = None,
) -> Iterator[str]:
    """:func:`html_report` piece by piece, the rows read once from the cursor (the same
    bytes; nothing is produced until every row has been read)."""
    story = story or BoardStory()

    def row_html(r: Mapping[str, Any]) -> str:
        rating = rag_of(r, today, window) or ""
        late = ' class="late"' if is_overdue(r, today) else ' class="nowrap"'
        reason = blocked_reason(story, r)
        status = (
            f'<td>{esc(r["status"])}<span class="why">Reason: {esc_lines(reason)}</span></td>'
            if reason
            else f'<td class="nowrap">{esc(r["status"])}</td>'
        )
        return (
            f'<tr><td class="nowrap">{esc(r["ref"])}</td>'
            f'<td class="rag rag-{rating}">{RAG_WORDS.get(rating, "")}</td>'
            f"{status}"
            f"<td{late}>{esc(due_label(r, today))}</td>"
            f"<td>{esc(r.get('owner') or 'Unassigned')}</td>"
            f"<td>{esc(r['title'])}</td>"
            f"<td>{_update_cell(story, r)}</td>"
            f"<td>{esc_lines(r.get('evidence'))}</td></tr>\n"
        )

    def retired_html(r: Mapping[str, Any]) -> str:
        return (
            f'<tr><td class="nowrap">{esc(r["ref"])}</td><td>{esc(r["title"])}</td>'
            f"<td>{esc_lines(r['retired'])}</td></tr>\n"
        )

    groups, retired = board_sections(rows, today, window, row_html, retired_html)
    since = story.since
    position = position_label(today, as_of)
    pct = figures["percent_complete"]
    provider = story.provider
    who = f"{provider}: " if provider else ""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(who)}CQC action plan progress: {esc(long_date(as_of or today))}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
    ]
    if provider:
        out.append(f'<p class="provider" id="provider">{esc(provider)}</p>')
    out.append("<h1>CQC action plan: progress</h1>")
    reports = report_lines(story.reports)
    if len(reports) == 1:
        out.append(f'<p class="meta" id="reports">Report: {esc(reports[0])}.</p>')
    elif reports:
        out.append('<p class="meta">Reports:</p>')
        out.append(
            '<ul class="meta reports" id="reports">'
            + "".join(f"<li>{esc(line)}</li>" for line in reports)
            + "</ul>"
        )
    out += [
        f'<p class="meta" id="position">{esc(position)}.</p>',
        f'<p class="meta" id="produced">Produced {esc(produced_label(generated_at))}. '
        f"{esc(window_label(window))}.</p>",
        *(
            [f'<p class="meta" id="chain">{esc(chain_head_label(chain_head))}.</p>']
            if chain_head is not None
            else []
        ),
        "</header>",
        '<section id="summary">',
        "<h2>Summary</h2>",
        f"<p><strong>{figures['complete']} of {figures['total']}</strong> tracked actions complete "
        f"({pct:.1f}%).</p>",
        f'<div class="progress" role="img" aria-label="{pct:.1f}% complete"><span style="width:{pct:.1f}%">'
        "</span></div>",
        '<ul class="figures">',
    ]
    out += [
        f'<li><span class="n">{esc(value)}</span>{esc(label)}</li>'
        for label, value in summary_lines(figures, since)
    ]
    out.append("</ul>")
    if awaiting := awaiting_line(figures):
        out.append(f'<p id="awaiting">{esc(awaiting)}</p>')
    out += [brag_svg(figures["rag"]), "</section>"]
    if since is not None:
        out += ['<section id="since">', f"<h2>{esc(since_heading(since))}</h2>"]
        changes = since_rows(since)
        if changes:
            out += [
                "<table>",
                "<thead><tr><th>Change</th><th>Ref</th><th>Action</th><th>Detail</th></tr></thead>",
                "<tbody>",
            ]
            out += [
                f'<tr><td>{esc(kind)}</td><td class="nowrap">{esc(ref)}</td><td>{esc(title)}</td>'
                f"<td>{esc_lines(detail)}</td></tr>"
                for kind, ref, title, detail in changes
            ]
            out += ["</tbody>", "</table>"]
        else:
            out.append("<p>Nothing changed.</p>")
        out.append("</section>")
    if not groups and not retired:
        out.append("<p>No actions match.</p>")
    yield "".join(f"{line}\n" for line in out)
    for name, done, items in groups:
        yield (
            '<section class="statement">\n'
            f"<h2>{esc(name)}</h2>\n"
            f"<p>Complete: {done} of {len(items)} ({100.0 * done / len(items):.1f}%).</p>\n"
            "<table>\n"
            "<thead><tr><th>Ref</th><th>BRAG</th><th>Status</th><th>Due</th><th>Owner</th><th>Action</th>"
            "<th>Latest update</th><th>Evidence</th></tr></thead>\n"
            "<tbody>\n"
        )
        yield from items
        yield "</tbody>\n</table>\n</section>\n"
    if retired:
        yield (
            '<section id="retired">\n'
            "<h2>Retired actions (no longer tracked)</h2>\n"
            "<table>\n"
            "<thead><tr><th>Ref</th><th>Action</th><th>Reason</th></tr></thead>\n"
            "<tbody>\n"
        )
        yield from retired
        yield "</tbody>\n</table>\n</section>\n"
    out = []
    out += [
        f"<footer>Produced by cpft-tracker on {esc(produced_label(generated_at))}. {esc(position)}. "
        "BRAG: Blue complete; Red past due or blocked; "
        f"Amber due within the look-ahead window ({window} day{'s' if window != 1 else ''}), "
        "or no owner or due date; Green on track.</footer>",
        "</body>",
        "</html>",
    ]
    yield "".join(f"{line}\n" for line in out)


def _update_cell(story: BoardStory, action: Mapping[str, Any]) -> str:
    """The latest update as HTML: its date and author on a line of their own, then the text."""
    events = story.updates.get(action.get("id", -1))
    event = events.get("latest") if events else None
    if not event:
        return ""
    when = f"{short_date(event_day(event))}, {event['by']}"
    return f'<span class="when">{esc(when)}</span>{esc_lines(update_text(event))}'
