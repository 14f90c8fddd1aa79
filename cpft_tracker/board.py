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
import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from cpft_tracker.models import RAGS, days_overdue, is_overdue, rag_of
from cpft_tracker.quality_statements import NAMES
from cpft_tracker.textsafe import visible

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


def summary_lines(figures: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The summary figures as (label, value) pairs, in board order."""
    rag = figures["rag"]
    lines = [
        ("Actions tracked", str(figures["total"])),
        ("Complete", f"{figures['complete']} ({figures['percent_complete']:.1f}%)"),
    ]
    lines += [(f"{RAG_WORDS[n]}: {RAG_MEANING[n]}", str(rag[n])) for n in RAGS]
    lines += [
        ("Overdue", str(figures["overdue"])),
        ("Unassigned", str(figures["unassigned"])),
        ("Due in the next 30 days", str(figures["due_next_30_days"])),
    ]
    if figures.get("retired"):
        lines.append(("Retired (not counted above)", str(figures["retired"])))
    return lines


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
    rows: Sequence[Mapping[str, Any]],
    figures: Mapping[str, Any],
    *,
    today: dt.date,
    window: int,
    generated_at: str,
    as_of: dt.date | None = None,
) -> str:
    """A board-paper section: the summary figures, then a table per quality statement."""
    out = ["## CQC action plan: progress", ""]
    out.append(
        f"{position_label(today, as_of)}. Produced {produced_label(generated_at)}. "
        f"Amber warning window: {window} days."
    )
    out += ["", "| Measure | Number |", "| --- | ---: |"]
    out += [f"| {label} | {value} |" for label, value in summary_lines(figures)]
    groups, retired = sections(rows)
    if not groups and not retired:
        out += ["", "No actions match."]
    for name, items in groups:
        done = sum(1 for r in items if r["status"] == "complete")
        pct = 100.0 * done / len(items)
        out += [
            "",
            f"### {md_cell(name)}",
            "",
            f"Complete: {done} of {len(items)} ({pct:.1f}%).",
            "",
        ]
        out += [
            "| Ref | BRAG | Status | Due | Owner | Action | Evidence |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in board_order(items, today, window):
            rating = rag_of(r, today, window)
            out.append(
                "| "
                + " | ".join(
                    [
                        md_cell(r["ref"]),
                        RAG_WORDS.get(rating or "", ""),
                        md_cell(r["status"]),
                        md_cell(due_label(r, today)),
                        md_cell(r.get("owner") or "Unassigned"),
                        md_cell(r["title"]),
                        md_cell(r.get("evidence")),
                    ]
                )
                + " |"
            )
    if retired:
        out += [
            "",
            "### Retired actions (no longer tracked)",
            "",
            "| Ref | Action | Reason |",
            "| --- | --- | --- |",
        ]
        out += [
            f"| {md_cell(r['ref'])} | {md_cell(r['title'])} | {md_cell(r['retired'])} |"
            for r in retired
        ]
    return "\n".join(out) + "\n"


# -- HTML -------------------------------------------------------------------------


def esc(value: Any) -> str:
    """Text from the database made safe for HTML (text and attribute values)."""
    # control characters and bidi overrides shown, never obeyed (issue 14, finding 5)
    return html.escape(visible("" if value is None else str(value), multiline=True), quote=True)


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
.statement table{table-layout:fixed}td{overflow-wrap:anywhere}
.statement th:nth-child(1){width:6%}.statement th:nth-child(2){width:7%}
.statement th:nth-child(3){width:9%}.statement th:nth-child(4){width:11%}
.statement th:nth-child(5){width:14%}.statement th:nth-child(7){width:20%}
#retired th:nth-child(1){width:6%}
footer{margin-top:2rem;color:#4c6272;font-size:.85rem}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
""".strip()


def html_report(
    rows: Sequence[Mapping[str, Any]],
    figures: Mapping[str, Any],
    *,
    today: dt.date,
    window: int,
    generated_at: str,
    as_of: dt.date | None = None,
) -> str:
    """One self-contained HTML page: summary, BRAG chart (inline SVG), a table per quality statement.

    No scripts, fonts or images are loaded (a Content-Security-Policy forbids them too), so
    it opens the same from an email attachment, a shared drive or a board portal.
    """
    position = position_label(today, as_of)
    pct = figures["percent_complete"]
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>CQC action plan progress: {esc(long_date(as_of or today))}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        "<h1>CQC action plan: progress</h1>",
        f'<p class="meta" id="position">{esc(position)}.</p>',
        f'<p class="meta" id="produced">Produced {esc(produced_label(generated_at))}. '
        f"Amber warning window: {window} days.</p>",
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
        for label, value in summary_lines(figures)
    ]
    out += ["</ul>", brag_svg(figures["rag"]), "</section>"]
    groups, retired = sections(rows)
    if not groups and not retired:
        out.append("<p>No actions match.</p>")
    for name, items in groups:
        done = sum(1 for r in items if r["status"] == "complete")
        out += [
            '<section class="statement">',
            f"<h2>{esc(name)}</h2>",
            f"<p>Complete: {done} of {len(items)} ({100.0 * done / len(items):.1f}%).</p>",
            "<table>",
            "<thead><tr><th>Ref</th><th>BRAG</th><th>Status</th><th>Due</th><th>Owner</th><th>Action</th>"
            "<th>Evidence</th></tr></thead>",
            "<tbody>",
        ]
        for r in board_order(items, today, window):
            rating = rag_of(r, today, window) or ""
            late = ' class="late"' if is_overdue(r, today) else ' class="nowrap"'
            out.append(
                f'<tr><td class="nowrap">{esc(r["ref"])}</td>'
                f'<td class="rag rag-{rating}">{RAG_WORDS.get(rating, "")}</td>'
                f'<td class="nowrap">{esc(r["status"])}</td>'
                f"<td{late}>{esc(due_label(r, today))}</td>"
                f"<td>{esc(r.get('owner') or 'Unassigned')}</td>"
                f"<td>{esc(r['title'])}</td>"
                f"<td>{esc_lines(r.get('evidence'))}</td></tr>"
            )
        out += ["</tbody>", "</table>", "</section>"]
    if retired:
        out += [
            '<section id="retired">',
            "<h2>Retired actions (no longer tracked)</h2>",
            "<table>",
            "<thead><tr><th>Ref</th><th>Action</th><th>Reason</th></tr></thead>",
            "<tbody>",
        ]
        out += [
            f'<tr><td class="nowrap">{esc(r["ref"])}</td><td>{esc(r["title"])}</td>'
            f"<td>{esc_lines(r['retired'])}</td></tr>"
            for r in retired
        ]
        out += ["</tbody>", "</table>", "</section>"]
    out += [
        f"<footer>Produced by cpft-tracker on {esc(produced_label(generated_at))}. {esc(position)}. "
        "BRAG: Blue complete; Red past due or blocked; Amber due within the window, or no owner or due date; "
        "Green on track.</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"
