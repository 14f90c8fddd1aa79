"""export --format json|csv|markdown|html: exact output, formula neutralising, escaping, a real browser."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cpft_tracker.board import md_cell
from cpft_tracker.cli import app
from cpft_tracker.store import Store
from tests.board_helpers import FTSU, GOV, add_report, as_json, at, open_store

HOSTILE_OWNER = '<script>alert("owner")</script>'
HOSTILE_TITLE = 'Check <script>alert(1)</script> & "quotes" | pipes'
HOSTILE_NOTE = "Minutes 3 March\nItem 7 & <img src=x onerror=alert(2)>"
TRUST = "Cambridgeshire and Peterborough NHS Foundation Trust"
TRUST_REPORT = f"{TRUST} — Report from 17 July 2025 assessment"


@pytest.fixture
def board(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A small plan on 10 March 2026 with hostile text in names, titles and evidence."""
    store = open_store(db_path)
    at(monkeypatch, "2026-02-01T09:00:00Z")
    add_report(
        store,
        "E",
        [
            ("Board assurance framework", GOV),
            ("Risk register review", GOV),
            (HOSTILE_TITLE, GOV),
            ("Speak-up guardian in post", FTSU),
            ("Estates survey", None),
            ("Old duplicate", GOV),
        ],
        name=TRUST_REPORT,
    )
    at(monkeypatch, "2026-02-02T09:00:00Z")
    store.assign(["E-01", "E-02"], "Alice Smith", email="alice@nhs.net", by="Gov Lead")
    store.assign(["E-03"], HOSTILE_OWNER, by="Gov Lead")
    store.assign(["E-04"], "Bob Jones", by="Gov Lead")
    store.set_due(["E-01"], "2026-03-01", by="Gov Lead")
    store.set_due(["E-02"], "2026-04-30", by="Gov Lead")
    store.set_due(["E-03"], "2026-03-20", by="Gov Lead")
    store.set_due(["E-04"], "2026-02-28", by="Gov Lead")
    store.set_status(["E-01"], "in-progress", by="Gov Lead")
    store.set_status(["E-04"], "complete", evidence=HOSTILE_NOTE, by="Bob Jones")
    store.retire(["E-06"], "duplicate of E-01 <b>", by="Gov Lead")
    at(monkeypatch, "2026-03-05T10:00:00Z")
    store.add_note("E-01", "Draft framework to committee on 9 March", by="Alice Smith")
    store.set_status(["E-02"], "blocked", note="Waiting for the new risk system", by="Alice Smith")
    at(monkeypatch, "2026-03-10T08:30:00Z")  # the moment the export is produced
    monkeypatch.setenv("CPFT_TRACKER_TODAY", "2026-03-10")
    return store


def export(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, ["export", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes.decode("utf-8")  # .stdout would turn CRLF into LF


EXPECTED_MARKDOWN = r"""## CQC action plan: progress

**Cambridgeshire and Peterborough NHS Foundation Trust**

Report: Cambridgeshire and Peterborough NHS Foundation Trust — Report from 17 July 2025 assessment (imported 1 Feb 2026).

Plan as at 10 March 2026. Produced 2026-03-10 08:30 UTC. Look-ahead window: 14 days (amber: due within it).

| Measure | Number |
| --- | ---: |
| Actions tracked | 5 |
| Complete | 1 (20.0%) |
| Blue: complete | 1 |
| Green: on track | 0 |
| Amber: at risk | 2 |
| Red: off track | 2 |
| Overdue | 1 |
| Blocked | 1 |
| Unassigned | 1 |
| Due in the next 14 days | 1 |
| Retired (not counted above) | 1 |

### Freedom to speak up

Complete: 1 of 1 (100.0%).

| Ref | BRAG | Status | Due | Owner | Action | Latest update | Evidence |
| --- | --- | --- | --- | --- | --- | --- | --- |
| E-04 | Blue | complete | 28 Feb 2026 | Bob Jones | Speak-up guardian in post | 2 Feb 2026, Bob Jones: Status changed to complete. | Minutes 3 March<br>Item 7 &amp; &lt;img src=x onerror=alert(2)&gt; |

### Governance, management and sustainability

Complete: 0 of 3 (0.0%).

| Ref | BRAG | Status | Due | Owner | Action | Latest update | Evidence |
| --- | --- | --- | --- | --- | --- | --- | --- |
| E-01 | Red | in-progress | 1 Mar 2026 (9 days overdue) | Alice Smith | Board assurance framework | 5 Mar 2026, Alice Smith: Draft framework to committee on 9 March |  |
| E-02 | Red | blocked<br>Reason: Waiting for the new risk system | 30 Apr 2026 | Alice Smith | Risk register review | 5 Mar 2026, Alice Smith: Status changed to blocked: Waiting for the new risk system |  |
| E-03 | Amber | not-started | 20 Mar 2026 | &lt;script&gt;alert("owner")&lt;/script&gt; | Check &lt;script&gt;alert(1)&lt;/script&gt; &amp; "quotes" \| pipes |  |  |

### Not linked to a quality statement

Complete: 0 of 1 (0.0%).

| Ref | BRAG | Status | Due | Owner | Action | Latest update | Evidence |
| --- | --- | --- | --- | --- | --- | --- | --- |
| E-05 | Amber | not-started |  | Unassigned | Estates survey |  |  |

### Retired actions (no longer tracked)

| Ref | Action | Reason |
| --- | --- | --- |
| E-06 | Old duplicate | duplicate of E-01 &lt;b&gt; |
"""


CHAIN_HEAD = r"Audit chain head: [0-9a-f]{64} \(event \d+\)\."


def without_chain_head(text: str) -> str:
    """The output less its one chain-head line (a hash: tests/test_audit_chain.py checks it)."""
    md = re.subn(rf"\n\n{CHAIN_HEAD}\n", "\n", text)
    html = re.subn(rf'\n<p class="meta" id="chain">{CHAIN_HEAD}</p>', "", md[0])
    assert md[1] + html[1] == 1, text[:400]
    return html[0]


def test_markdown_board_paper_exact(board: Store, runner: CliRunner) -> None:
    assert without_chain_head(export(runner, "--format", "markdown")) == EXPECTED_MARKDOWN


def test_markdown_cells_escape_pipes_newlines_and_markup() -> None:
    assert md_cell("a | b\r\nc\nd") == r"a \| b<br>c<br>d"
    assert md_cell("*bold* _it_ `code` [link](x) \\") == r"\*bold\* \_it\_ \`code\` \[link\](x) \\"
    assert md_cell(None) == ""


def test_markdown_as_of_and_filters(board: Store, runner: CliRunner) -> None:
    text = export(runner, "-f", "md", "--as-of", "2026-02-01", "--qs", "freedom")
    assert "Plan as it stood at the end of 1 February 2026 (rebuilt from the audit trail)." in text
    assert (
        "| E-04 | Amber | not-started |  | Unassigned | Speak-up guardian in post |  |  |" in text
    )
    assert "Draft framework" not in text  # a later note is not the latest update then
    assert "### Governance" not in text


EXPECTED_JSON_HEAD = {
    "schema_version": 1,
    "generated_at": "2026-03-10T08:30:00Z",
    "as_of": "2026-03-10",
}


def test_json_export_exact_record(board: Store, runner: CliRunner) -> None:
    doc = as_json(export(runner))
    assert {k: doc[k] for k in EXPECTED_JSON_HEAD} == EXPECTED_JSON_HEAD
    assert doc["actions"][2] == {
        "ref": "E-03",
        "report": TRUST_REPORT,
        "requirement": 'The trust must check <script>alert(1)</script> & "quotes" | pipes (E 3).',
        "title": HOSTILE_TITLE,
        "context": f"Context for {HOSTILE_TITLE}.",
        "section": "Well-led",
        "keyword": "must",
        "quality_statement": GOV,
        "owner": HOSTILE_OWNER,
        "owner_email": None,
        "due": "2026-03-20",
        "status": "not-started",
        "rag": "amber",
        "evidence": None,
        "retired": None,
        "in_source": True,
        "created_at": "2026-02-01T09:00:00.000000Z",
        "updated_at": "2026-02-02T09:00:00.000000Z",
        "matched": "must",
        "rule": "must",
        "confidence": "high",
        "review": "accepted",
        "review_reason": None,
        "possible_duplicates": [],
        "version": 18,
        "latest_update": None,
        "latest_update_on": None,
        "latest_update_by": None,
        "blocked_reason": None,
    }


def test_csv_export_exact(board: Store, runner: CliRunner) -> None:
    text = export(runner, "--format", "csv", "--status", "complete")
    assert text == (
        "ref,report,requirement,title,context,section,keyword,quality_statement,owner,owner_email,"
        "due,status,rag,evidence,retired,in_source,created_at,updated_at,"
        "matched,rule,confidence,review,review_reason,possible_duplicates,version,"
        "latest_update,latest_update_on,latest_update_by,blocked_reason\r\n"
        f"E-04,{TRUST_REPORT},The trust must speak-up guardian in post (E 4).,Speak-up guardian in post,"
        "Context for Speak-up guardian in post.,Well-led,must,Freedom to speak up,Bob Jones,,2026-02-28,"
        'complete,blue,"Minutes 3 March\nItem 7 & <img src=x onerror=alert(2)>",,true,'
        "2026-02-01T09:00:00.000000Z,2026-02-02T09:00:00.000000Z,must,must,high,accepted,,,22,"
        "Status changed to complete.,2026-02-02,Bob Jones,\r\n"
    )


def test_json_and_csv_exports_carry_the_latest_update_and_blocked_reason(
    board: Store, runner: CliRunner
) -> None:
    story = ("latest_update", "latest_update_on", "latest_update_by", "blocked_reason")
    actions = {a["ref"]: a for a in as_json(export(runner))["actions"]}
    assert {k: actions["E-02"][k] for k in story} == {
        "latest_update": "Status changed to blocked: Waiting for the new risk system",
        "latest_update_on": "2026-03-05",
        "latest_update_by": "Alice Smith",
        "blocked_reason": "Waiting for the new risk system",
    }
    assert {k: actions["E-01"][k] for k in story} == {
        "latest_update": "Draft framework to committee on 9 March",
        "latest_update_on": "2026-03-05",
        "latest_update_by": "Alice Smith",
        "blocked_reason": None,
    }
    rows = {r["ref"]: r for r in csv.DictReader(io.StringIO(export(runner, "--format", "csv")))}
    assert rows["E-02"]["blocked_reason"] == "Waiting for the new risk system"
    assert rows["E-01"]["latest_update_on"] == "2026-03-05"
    # as the plan stood on 4 March: not blocked yet, and the note not written
    early = {a["ref"]: a for a in as_json(export(runner, "--as-of", "04/03/2026"))["actions"]}
    assert early["E-02"]["blocked_reason"] is None
    assert early["E-01"]["latest_update"] == "Status changed to in-progress."


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralises_formula_starts(
    db_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, start: str
) -> None:
    store = open_store(db_path)
    at(monkeypatch, "2026-02-01T09:00:00Z")
    add_report(store, "F", [(f'{start}HYPERLINK("http://evil")', None), ("Plain", None)])
    store.add_note("F-01", "x", by="Gov Lead")
    text = export(runner, "--format", "csv")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    title = rows[0].index("title")
    assert rows[1][title] == f'\'{start}HYPERLINK("http://evil")'
    assert rows[2][title] == "Plain"


def test_export_to_file_says_where(board: Store, runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "board.html"
    result = runner.invoke(app, ["export", "-f", "html", "-o", str(target)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"Wrote {target}.\n")
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_unknown_format_is_a_usage_error(board: Store, runner: CliRunner) -> None:
    result = runner.invoke(app, ["export", "-f", "pdf"])
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: 'pdf' is not a format here. Use one of: json, csv, markdown, md, html, xlsx.\n",
    )


# -- HTML -------------------------------------------------------------------------------


def html_body(text: str) -> str:
    return text[text.index("<body>") :]


EXPECTED_HTML_BODY = """<body>
<header>
<p class="provider" id="provider">Cambridgeshire and Peterborough NHS Foundation Trust</p>
<h1>CQC action plan: progress</h1>
<p class="meta" id="reports">Report: Cambridgeshire and Peterborough NHS Foundation Trust — Report from 17 July 2025 assessment (imported 1 Feb 2026).</p>
<p class="meta" id="position">Plan as at 10 March 2026.</p>
<p class="meta" id="produced">Produced 2026-03-10 08:30 UTC. Look-ahead window: 14 days (amber: due within it).</p>
</header>
<section id="summary">
<h2>Summary</h2>
<p><strong>1 of 5</strong> tracked actions complete (20.0%).</p>
<div class="progress" role="img" aria-label="20.0% complete"><span style="width:20.0%"></span></div>
<ul class="figures">
<li><span class="n">5</span>Actions tracked</li>
<li><span class="n">1 (20.0%)</span>Complete</li>
<li><span class="n">1</span>Blue: complete</li>
<li><span class="n">0</span>Green: on track</li>
<li><span class="n">2</span>Amber: at risk</li>
<li><span class="n">2</span>Red: off track</li>
<li><span class="n">1</span>Overdue</li>
<li><span class="n">1</span>Blocked</li>
<li><span class="n">1</span>Unassigned</li>
<li><span class="n">1</span>Due in the next 14 days</li>
<li><span class="n">1</span>Retired (not counted above)</li>
</ul>
<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="600" height="144" viewBox="0 0 600 144" role="img" aria-labelledby="brag-chart-title">
<title id="brag-chart-title">Actions by BRAG rating: Blue 1, Green 0, Amber 2, Red 2</title>
<text x="0" y="25" class="label">Blue (complete)</text>
<rect x="170" y="8" width="180" height="24" rx="3" fill="#005eb8"/>
<text x="358" y="25" class="count">1</text>
<text x="0" y="59" class="label">Green (on track)</text>
<rect x="170" y="42" width="0" height="24" rx="3" fill="#007f3b"/>
<text x="178" y="59" class="count">0</text>
<text x="0" y="93" class="label">Amber (at risk)</text>
<rect x="170" y="76" width="360" height="24" rx="3" fill="#ffb81c"/>
<text x="538" y="93" class="count">2</text>
<text x="0" y="127" class="label">Red (off track)</text>
<rect x="170" y="110" width="360" height="24" rx="3" fill="#d5281b"/>
<text x="538" y="127" class="count">2</text>
</svg>
</section>
<section class="statement">
<h2>Freedom to speak up</h2>
<p>Complete: 1 of 1 (100.0%).</p>
<table>
<thead><tr><th>Ref</th><th>BRAG</th><th>Status</th><th>Due</th><th>Owner</th><th>Action</th><th>Latest update</th><th>Evidence</th></tr></thead>
<tbody>
<tr><td class="nowrap">E-04</td><td class="rag rag-blue">Blue</td><td class="nowrap">complete</td><td class="nowrap">28 Feb 2026</td><td>Bob Jones</td><td>Speak-up guardian in post</td><td><span class="when">2 Feb 2026, Bob Jones</span>Status changed to complete.</td><td>Minutes 3 March<br>Item 7 &amp; &lt;img src=x onerror=alert(2)&gt;</td></tr>
</tbody>
</table>
</section>
<section class="statement">
<h2>Governance, management and sustainability</h2>
<p>Complete: 0 of 3 (0.0%).</p>
<table>
<thead><tr><th>Ref</th><th>BRAG</th><th>Status</th><th>Due</th><th>Owner</th><th>Action</th><th>Latest update</th><th>Evidence</th></tr></thead>
<tbody>
<tr><td class="nowrap">E-01</td><td class="rag rag-red">Red</td><td class="nowrap">in-progress</td><td class="late">1 Mar 2026 (9 days overdue)</td><td>Alice Smith</td><td>Board assurance framework</td><td><span class="when">5 Mar 2026, Alice Smith</span>Draft framework to committee on 9 March</td><td></td></tr>
<tr><td class="nowrap">E-02</td><td class="rag rag-red">Red</td><td>blocked<span class="why">Reason: Waiting for the new risk system</span></td><td class="nowrap">30 Apr 2026</td><td>Alice Smith</td><td>Risk register review</td><td><span class="when">5 Mar 2026, Alice Smith</span>Status changed to blocked: Waiting for the new risk system</td><td></td></tr>
<tr><td class="nowrap">E-03</td><td class="rag rag-amber">Amber</td><td class="nowrap">not-started</td><td class="nowrap">20 Mar 2026</td><td>&lt;script&gt;alert(&quot;owner&quot;)&lt;/script&gt;</td><td>Check &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; | pipes</td><td></td><td></td></tr>
</tbody>
</table>
</section>
<section class="statement">
<h2>Not linked to a quality statement</h2>
<p>Complete: 0 of 1 (0.0%).</p>
<table>
<thead><tr><th>Ref</th><th>BRAG</th><th>Status</th><th>Due</th><th>Owner</th><th>Action</th><th>Latest update</th><th>Evidence</th></tr></thead>
<tbody>
<tr><td class="nowrap">E-05</td><td class="rag rag-amber">Amber</td><td class="nowrap">not-started</td><td class="nowrap"></td><td>Unassigned</td><td>Estates survey</td><td></td><td></td></tr>
</tbody>
</table>
</section>
<section id="retired">
<h2>Retired actions (no longer tracked)</h2>
<table>
<thead><tr><th>Ref</th><th>Action</th><th>Reason</th></tr></thead>
<tbody>
<tr><td class="nowrap">E-06</td><td>Old duplicate</td><td>duplicate of E-01 &lt;b&gt;</td></tr>
</tbody>
</table>
</section>
<footer>Produced by cpft-tracker on 2026-03-10 08:30 UTC. Plan as at 10 March 2026. BRAG: Blue complete; Red past due or blocked; Amber due within the look-ahead window (14 days), or no owner or due date; Green on track.</footer>
</body>
</html>
"""


def test_html_is_self_contained_and_escaped(board: Store, runner: CliRunner) -> None:
    page = export(runner, "--format", "html")
    assert not re.search(
        r"<(script|link|img|iframe|object|embed)\b|@import|url\(|\b(src|href)\s*=\s*[\"']"
        r"|https?://(?!www\.w3\.org/2000/svg)",
        page,
        re.IGNORECASE,
    )
    assert "&lt;script&gt;alert(&quot;owner&quot;)&lt;/script&gt;" in page
    assert "Check &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; | pipes" in page
    assert "Minutes 3 March<br>Item 7 &amp; &lt;img src=x onerror=alert(2)&gt;" in page
    assert "duplicate of E-01 &lt;b&gt;" in page
    assert "Content-Security-Policy" in page


def test_html_exact_body(board: Store, runner: CliRunner) -> None:
    assert html_body(without_chain_head(export(runner, "--format", "html"))) == EXPECTED_HTML_BODY


def test_html_overdue_first_and_dates(board: Store, runner: CliRunner) -> None:
    page = export(runner, "-f", "html", "--as-of", "2026-03-09")
    assert "Plan as it stood at the end of 9 March 2026 (rebuilt from the audit trail)." in page
    assert "Produced 2026-03-10 08:30 UTC." in page
    governance = page.split("<h2>Governance, management and sustainability</h2>")[1].split(
        "</table>"
    )[0]
    refs = re.findall(r'<td class="nowrap">(E-\d\d)</td>', governance)
    assert refs == ["E-01", "E-02", "E-03"]  # overdue first, then red (blocked), then amber
    assert (
        '<td>blocked<span class="why">Reason: Waiting for the new risk system</span></td>' in page
    )
    early = export(runner, "-f", "html", "--as-of", "2026-03-04")
    assert "Waiting for the new risk system" not in early  # blocked on 5 March: not yet
    assert "Draft framework" not in early
    assert "2 Feb 2026, Bob Jones</span>Status changed to complete." in page


# -- in a real browser ----------------------------------------------------------------------


def find_browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


BROWSER_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# Added to a copy of the page (the real one forbids scripts): which elements are cut or
# stick out at this width. Written into the DOM, which --dump-dom then shows.
OVERFLOW_PROBE = """<script>
const bad = [];
const page = document.documentElement;
if (page.scrollWidth > page.clientWidth + 1) bad.push("page " + page.scrollWidth + ">" + page.clientWidth);
for (const el of document.querySelectorAll("td, th, h1, h2, p, li, table")) {
  if (el.scrollWidth > el.clientWidth + 1) bad.push(el.tagName + ": " + el.textContent.slice(0, 60));
}
document.body.setAttribute("data-overflow", JSON.stringify(bad));
</script>"""


def run_browser(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    browser = find_browser()
    assert browser is not None
    done = subprocess.run(
        [browser, *BROWSER_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=90,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.mark.slow
@pytest.mark.skipif(
    find_browser() is None, reason="no Chromium on PATH (apt-get install chromium to run this)"
)
def test_html_in_a_real_browser(
    board: Store, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_title = (
        "Make sure every ward has a named lead for restrictive practice, that the lead reviews each "
        "use of restraint within 72 hours, and that the reviews are reported to the quality committee"
    )
    monkeypatch.setenv("CPFT_TRACKER_NOW", "2026-03-06T09:00:00Z")
    board.set_text_field(["E-05"], "title", long_title, by="Gov Lead")
    monkeypatch.setenv("CPFT_TRACKER_NOW", "2026-03-10T08:30:00Z")
    page = tmp_path / "board.html"
    made = runner.invoke(app, ["export", "-f", "html", "--since", "2026-03-01", "-o", str(page)])
    assert made.exit_code == 0, made.stderr
    rendered = run_browser(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert rendered.count("<table>") == 5  # since, three quality statements, the retired actions
    assert (
        "<svg" in rendered and "Actions by BRAG rating: Blue 1, Green 0, Amber 2, Red 2" in rendered
    )
    assert "<script" not in rendered  # the hostile text stayed text
    assert "alert(1)" in rendered and "onerror" in rendered  # ... visible as text, not run
    for text in (
        TRUST,
        long_title,
        "Reason: Waiting for the new risk system",
        "What changed since the end of 1 March 2026",
    ):
        assert text in rendered

    # Nothing is cut or sticks out, on a laptop and in a narrow window.
    probe = tmp_path / "probe.html"
    html_text = page.read_text(encoding="utf-8")
    probe.write_text(
        re.sub(r"<meta http-equiv=\"Content-Security-Policy\"[^>]*>", "", html_text).replace(
            "</body>", OVERFLOW_PROBE + "</body>"
        ),
        encoding="utf-8",
    )
    for width in (1280, 800):
        dom = run_browser(tmp_path, f"--window-size={width},1400", "--dump-dom", probe.as_uri())
        found = re.search(r'data-overflow="([^"]*)"', dom.stdout)
        assert found is not None, dom.stdout[-500:]
        assert html.unescape(found.group(1)) == "[]", (width, html.unescape(found.group(1)))

    # Printed to PDF (how board packs are made), the words are all there.
    pdf = tmp_path / "board.pdf"
    run_browser(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    from pypdf import PdfReader

    printed = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(str(pdf)).pages
    )
    for text in (TRUST, long_title, "Waiting for the new risk system", "Latest update"):
        assert text in printed, text

    shot = Path(os.environ.get("CPFT_BOARD_SCREENSHOT", tmp_path / "board.png"))
    run_browser(tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri())
    assert shot.stat().st_size > 10_000  # a real picture, not an empty page


# -- the story: provider, reports, latest update, blocked reason -----------------------------


def test_provider_is_named_only_when_every_report_names_the_same_one() -> None:
    from cpft_tracker.board import provider_name

    assert provider_name([TRUST_REPORT]) == TRUST
    assert provider_name([TRUST_REPORT, f"{TRUST} - Report from 2 May 2026 focused visit"]) == TRUST
    assert provider_name(["Report E"]) is None
    assert provider_name([TRUST_REPORT, "Other Trust — Report from 1 May 2026"]) is None
    assert provider_name([]) is None


def test_two_reports_are_listed_and_blocked_reason_falls_back_to_the_latest_note(
    board: Store, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, "2026-03-06T09:00:00Z")
    add_report(board, "G", [("Gardens made safe", None)], name=f"{TRUST} — Report from 1 Mar 2026")
    board.add_note("G-01", "Contractor has gone bust", by="Estates Lead")
    board.set_status(["G-01"], "blocked", by="Estates Lead")  # no note with the status
    board.set_status(["E-05"], "blocked", by="Estates Lead")  # no note at all
    at(monkeypatch, "2026-03-10T08:30:00Z")
    text = export(runner, "-f", "md")
    assert text.startswith(
        "## CQC action plan: progress\n\n"
        f"**{TRUST}**\n\n"
        "Reports:\n\n"
        f"- {TRUST_REPORT} (imported 1 Feb 2026)\n"
        f"- {TRUST} — Report from 1 Mar 2026 (imported 6 Mar 2026)\n\n"
    )
    assert (
        "| G-01 | Red | blocked<br>Reason: Contractor has gone bust |  | Unassigned | Gardens made safe "
        "| 6 Mar 2026, Estates Lead: Status changed to blocked. |  |"
    ) in text
    assert "| E-05 | Red | blocked<br>Reason: no reason recorded |" in text
    only_e = export(runner, "-f", "html", "--report", "E")
    assert "Report from 1 Mar 2026" not in only_e and "Reports:" not in only_e
    assert (
        f'<p class="meta" id="reports">Report: {TRUST_REPORT} (imported 1 Feb 2026).</p>' in only_e
    )


# -- what changed since ------------------------------------------------------------------------


@pytest.fixture
def moved(board: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The board plan, with more happening after 1 March: a merge, a retirement, a moved date."""
    at(monkeypatch, "2026-03-07T09:00:00Z")
    board.set_due(["E-03"], "2026-03-27", note="committee moved", by="Gov Lead")
    board.retire(["E-05"], "merged into E-01", by="Gov Lead")
    add_report(board, "H", [("Hand hygiene audit", None)], name=f"{TRUST} — Report from 1 Mar 2026")
    board.retire(["H-01"], "Done by the ward already", by="Gov Lead")
    at(monkeypatch, "2026-03-10T08:30:00Z")
    return board


EXPECTED_SINCE_MD = r"""### What changed since the end of 1 March 2026

| Change | Ref | Action | Detail |
| --- | --- | --- | --- |
| New to the plan | H-01 | Hand hygiene audit | No owner yet |
| Newly blocked | E-02 | Risk register review | Reason: Waiting for the new risk system |
| Newly overdue | E-01 | Board assurance framework | Due 1 Mar 2026; Owner: Alice Smith |
| Due date moved | E-03 | Check &lt;script&gt;alert(1)&lt;/script&gt; &amp; "quotes" \| pipes | 20 Mar 2026 → 27 Mar 2026 |
| Retired | H-01 | Hand hygiene audit | Reason: Done by the ward already |
| Merged | E-05 | Estates survey | Merged into E-01 |
"""


def test_export_since_section_in_markdown(moved: Store, runner: CliRunner) -> None:
    text = export(runner, "-f", "md", "--since", "01/03/2026")
    assert "| Completed since 1 March 2026 | 0 |\n" in text
    section = text.split("\n\n### What changed")[1].split("\n\n### ")[0]
    assert "### What changed" + section + "\n" == EXPECTED_SINCE_MD
    # the section comes after the summary and before the statements
    assert text.index("| Retired (not counted above) |") < text.index("### What changed")
    assert text.index("### What changed") < text.index("### Freedom to speak up")
    nothing = export(runner, "-f", "md", "--since", "2026-03-09")
    assert "### What changed since the end of 9 March 2026\n\nNothing changed.\n" in nothing


def test_export_since_in_html_and_json(moved: Store, runner: CliRunner) -> None:
    page = export(runner, "-f", "html", "--since", "2026-03-01")
    since = page.split('<section id="since">')[1].split("</section>")[0]
    assert "<h2>What changed since the end of 1 March 2026</h2>" in since
    assert (
        '<tr><td>Merged</td><td class="nowrap">E-05</td><td>Estates survey</td>'
        "<td>Merged into E-01</td></tr>"
    ) in since
    assert '<li><span class="n">0</span>Completed since 1 March 2026</li>' in page
    assert '<section id="since">' not in export(runner, "-f", "html")

    raw = export(runner, "--since", "2026-03-01")
    doc = as_json(raw)
    assert raw == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"  # as the rest is written
    assert list(doc)[-2:] == ["actions", "since"]
    assert doc["since"]["since"] == "2026-03-01"
    assert doc["since"]["merged"] == [
        {
            "ref": "E-05",
            "title": "Estates survey",
            "owner": None,
            "reason": "merged into E-01",
            "into": "E-01",
        }
    ]
    assert [i["ref"] for i in doc["since"]["newly_blocked"]] == ["E-02"]
    assert "since" not in as_json(export(runner))


def test_export_since_refused_for_csv_and_after_the_as_of_date(
    moved: Store, runner: CliRunner
) -> None:
    csv_out = runner.invoke(app, ["export", "-f", "csv", "--since", "2026-03-01"])
    assert (csv_out.exit_code, csv_out.stdout) == (2, "")
    assert csv_out.stderr == (
        "Error: --since does not fit a CSV file (one row per action). "
        "Use --format json, markdown, html or xlsx for what changed.\n"
    )
    late = runner.invoke(
        app, ["export", "-f", "md", "--as-of", "2026-03-04", "--since", "2026-03-05"]
    )
    assert late.exit_code == 2
    assert late.stderr.startswith("Error: --since 2026-03-05 must be a date before 2026-03-04")


# -- the Excel workbook ------------------------------------------------------------------------


def workbook(runner: CliRunner, tmp_path: Path, *args: str) -> Any:
    """Export to board.xlsx (the format from the extension) and open it with openpyxl."""
    import openpyxl

    target = tmp_path / "board.xlsx"
    result = runner.invoke(app, ["export", "-o", str(target), *args])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"Wrote {target}.\n")
    return openpyxl.load_workbook(target)


def test_xlsx_one_row_per_action_with_brag_fills_frozen_header_and_filters(
    board: Store, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_title = "Make sure every ward has a named lead for restrictive practice " * 4
    at(monkeypatch, "2026-03-06T09:00:00Z")
    board.set_text_field(["E-05"], "title", long_title.strip(), by="Gov Lead")
    at(monkeypatch, "2026-03-10T08:30:00Z")
    book = workbook(runner, tmp_path)
    assert book.sheetnames == ["Summary", "Actions"]
    summary_text = [c for r in book["Summary"].iter_rows(values_only=True) for c in r if c]
    assert any(str(c).startswith("Audit chain head: ") for c in summary_text)
    sheet = book["Actions"]
    rows = list(sheet.iter_rows(values_only=True))
    head = rows[0]
    assert head[:9] == (
        "Ref",
        "Quality statement",
        "Action",
        "Owner",
        "Due",
        "Days overdue",
        "Status",
        "BRAG",
        "Blocked reason",
    )
    by_ref = {r[0]: dict(zip(head, r, strict=True)) for r in rows[1:]}
    assert list(by_ref) == ["E-04", "E-01", "E-02", "E-03", "E-05", "E-06"]  # one row each
    assert by_ref["E-03"]["Action"] == HOSTILE_TITLE  # whole, as typed
    assert by_ref["E-05"]["Action"] == long_title.strip()
    assert by_ref["E-01"]["Days overdue"] == 9
    assert by_ref["E-01"]["Due"] == dt.datetime(2026, 3, 1)  # a real date, sortable
    assert by_ref["E-02"]["Blocked reason"] == "Waiting for the new risk system"
    assert by_ref["E-01"]["Latest update"] == "Draft framework to committee on 9 March"
    assert by_ref["E-01"]["Update date"] == dt.datetime(2026, 3, 5)
    assert by_ref["E-06"]["BRAG"] == "Retired"
    assert by_ref["E-06"]["Retired"] == "duplicate of E-01 <b>"
    fills = {row[0].value: row[7].fill.fgColor.rgb for row in sheet.iter_rows(min_row=2)}
    assert fills == {
        "E-04": "00005EB8",  # blue
        "E-01": "00D5281B",  # red
        "E-02": "00D5281B",
        "E-03": "00FFB81C",  # amber
        "E-05": "00FFB81C",
        "E-06": "00000000",  # retired: no fill
    }
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:O7"
    assert sheet.column_dimensions["C"].width == 60
    assert sheet["C2"].alignment.wrap_text
    assert sheet["E3"].number_format == "d mmm yyyy"  # E-01's due date, shown as 1 Mar 2026
    assert sheet["H3"].font.color.rgb == "00FFFFFF" and sheet["H3"].font.b  # white on red

    summary = [r for r in book["Summary"].iter_rows(values_only=True)]
    assert summary[0][0] == TRUST
    assert summary[2][:2] == ("Report", f"{TRUST_REPORT} (imported 1 Feb 2026)")
    figures = {r[0]: r[1] for r in summary if r[0]}
    assert (figures["Actions tracked"], figures["Overdue"], figures["Blocked"]) == (5, 1, 1)


def test_xlsx_keeps_formula_like_text_as_text(
    db_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store = open_store(db_path)
    at(monkeypatch, "2026-02-01T09:00:00Z")
    add_report(store, "F", [('=HYPERLINK("http://evil")', None), ("Bell\x07 rings", None)])
    sheet = workbook(runner, tmp_path, "--format", "xlsx")["Actions"]
    assert sheet["C2"].value == '=HYPERLINK("http://evil")'
    assert sheet["C2"].data_type == "s"  # a string, not a formula
    assert sheet["C3"].value == "Bell rings"  # a control character Excel refuses, dropped


def test_xlsx_since_sheet(moved: Store, runner: CliRunner, tmp_path: Path) -> None:
    book = workbook(runner, tmp_path, "--since", "2026-03-01")
    assert book.sheetnames == ["Summary", "Actions", "Since"]
    since = book["Since"]
    rows = list(since.iter_rows(values_only=True))
    assert rows[0][0] == "What changed since the end of 1 March 2026"
    assert rows[1] == ("Change", "Ref", "Action", "Detail")
    assert rows[2:] == [
        ("New to the plan", "H-01", "Hand hygiene audit", "No owner yet"),
        (
            "Newly blocked",
            "E-02",
            "Risk register review",
            "Reason: Waiting for the new risk system",
        ),
        (
            "Newly overdue",
            "E-01",
            "Board assurance framework",
            "Due 1 Mar 2026; Owner: Alice Smith",
        ),
        ("Due date moved", "E-03", HOSTILE_TITLE, "20 Mar 2026 → 27 Mar 2026"),
        ("Retired", "H-01", "Hand hygiene audit", "Reason: Done by the ward already"),
        ("Merged", "E-05", "Estates survey", "Merged into E-01"),
    ]
    assert (since.freeze_panes, since.auto_filter.ref) == ("A3", "A2:D8")


def test_xlsx_to_a_pipe_is_the_file_and_to_a_terminal_is_refused(
    board: Store, runner: CliRunner, db_path: Path
) -> None:
    piped = runner.invoke(app, ["export", "-f", "xlsx"])
    assert piped.exit_code == 0 and piped.stdout_bytes.startswith(b"PK\x03\x04")  # a zip

    import pty

    main, other = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "cpft_tracker", "export", "-f", "xlsx"],
            stdin=subprocess.DEVNULL,
            stdout=other,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            env={**os.environ},
        )
    finally:
        os.close(other)
        os.set_blocking(main, False)
        try:
            shown = os.read(main, 65536)
        except OSError:
            shown = b""
        os.close(main)
    assert (done.returncode, shown) == (2, b"")
    assert done.stderr == (
        "Error: An Excel workbook is a binary file and cannot be shown in the terminal. "
        "Write it to a file: cpft-tracker export --format xlsx -o board.xlsx.\n"
    )


@pytest.mark.parametrize("spill_after", [None, 0, 7])
def test_one_pass_sections_keep_the_order_of_sections_and_board_order(
    spill_after: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The streamed board (issue 10) reads each row once and keeps only its drawing: the
    sections, their counts and the row order are those of ``sections`` + ``board_order``,
    whether the drawings are held or wait in a temporary file (``SPILL_AFTER``), and each
    section can be read more than once."""
    import random

    from cpft_tracker import board as b
    from cpft_tracker.board import board_order, board_sections, sections

    if spill_after is not None:
        monkeypatch.setattr(b, "SPILL_AFTER", spill_after)
    from cpft_tracker.quality_statements import NAMES

    rng = random.Random(10)
    today = dt.date(2026, 3, 10)
    rows = []
    for i in range(600):
        due = rng.choice([None, *(str(today + dt.timedelta(days=d)) for d in range(-40, 60, 7))])
        rows.append(
            {
                "id": i,
                "ref": f"R-{i:03d}",
                "quality_statement": rng.choice([None, "", "Not a CQC name", "Zoë", *NAMES[:6]]),
                "status": rng.choice(["open", "in-progress", "blocked", "complete"]),
                "due": due,
                "owner": rng.choice([None, "Alice", "Bob"]),
                "retired": "duplicate" if rng.random() < 0.05 else None,
            }
        )
    groups, retired = sections(rows)
    expected = [
        (
            name,
            sum(1 for r in items if r["status"] == "complete"),
            [r["ref"] for r in board_order(items, today, 14)],
        )
        for name, items in groups
    ]

    def ref(r: Any) -> str:
        return str(r["ref"])

    got, got_retired = board_sections(iter(rows), today, 14, ref, ref)
    assert [(name, done, list(items)) for name, done, items in got] == expected
    assert [len(items) for _, _, items in got] == [len(refs) for _, _, refs in expected]
    assert [list(items) for _, _, items in got] == [refs for _, _, refs in expected]  # again
    assert got_retired == [r["ref"] for r in retired]


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_board_pages_are_the_same_from_a_one_shot_stream(
    board: Store, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page drawn from rows read once (a generator, as from the cursor) is byte for byte
    the page drawn from a list, and the chunks joined are the whole page; the same again
    when the drawn rows wait in a temporary file (as past ``SPILL_AFTER`` rows)."""
    from cpft_tracker import board as b
    from cpft_tracker.asof import plan_actions
    from cpft_tracker.progress import summarise
    from cpft_tracker.store.views import Filters

    today = dt.date(2026, 3, 10)
    rows = list(plan_actions(board, Filters(), None))
    figures = summarise(rows, today=today, window=14, generated_at="2026-03-10T09:00:00Z")
    story = b.BoardStory(reports=board.reports(), updates=board.latest_updates())
    make = b.html_report if fmt == "html" else b.markdown_report
    chunks = b.html_report_chunks if fmt == "html" else b.markdown_report_chunks
    kw: dict[str, Any] = {
        "today": today,
        "window": 14,
        "generated_at": "2026-03-10T09:00:00Z",
        "story": story,
    }
    whole = make(rows, figures, **kw)
    assert "".join(chunks(iter(rows), figures, **kw)) == whole
    assert make(iter(rows), figures, **kw) == whole
    assert rows and all(r["ref"] in whole for r in rows if not r.get("retired"))
    monkeypatch.setattr(b, "SPILL_AFTER", 1)
    assert "".join(chunks(iter(rows), figures, **kw)) == whole
