"""export --format json|csv|markdown|html: exact output, formula neutralising, escaping, a real browser."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cpft_tracker.board import md_cell
from cpft_tracker.cli import app
from cpft_tracker.store import Store
from tests.board_helpers import FTSU, GOV, add_report, as_json, at, open_store

HOSTILE_OWNER = '<script>alert("owner")</script>'
HOSTILE_TITLE = 'Check <script>alert(1)</script> & "quotes" | pipes'
HOSTILE_NOTE = "Minutes 3 March\nItem 7 & <img src=x onerror=alert(2)>"


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
    at(monkeypatch, "2026-03-10T08:30:00Z")  # the moment the export is produced
    monkeypatch.setenv("CPFT_TRACKER_TODAY", "2026-03-10")
    return store


def export(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, ["export", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes.decode("utf-8")  # .stdout would turn CRLF into LF


EXPECTED_MARKDOWN = r"""## CQC action plan: progress

Plan as at 10 March 2026. Produced 2026-03-10 08:30 UTC. Amber warning window: 14 days.

| Measure | Number |
| --- | ---: |
| Actions tracked | 5 |
| Complete | 1 (20.0%) |
| Blue: complete | 1 |
| Green: on track | 1 |
| Amber: at risk | 2 |
| Red: off track | 1 |
| Overdue | 1 |
| Unassigned | 1 |
| Due in the next 30 days | 1 |
| Retired (not counted above) | 1 |

### Freedom to speak up

Complete: 1 of 1 (100.0%).

| Ref | BRAG | Status | Due | Owner | Action | Evidence |
| --- | --- | --- | --- | --- | --- | --- |
| E-04 | Blue | complete | 28 Feb 2026 | Bob Jones | Speak-up guardian in post | Minutes 3 March<br>Item 7 &amp; &lt;img src=x onerror=alert(2)&gt; |

### Governance, management and sustainability

Complete: 0 of 3 (0.0%).

| Ref | BRAG | Status | Due | Owner | Action | Evidence |
| --- | --- | --- | --- | --- | --- | --- |
| E-01 | Red | in-progress | 1 Mar 2026 (9 days overdue) | Alice Smith | Board assurance framework |  |
| E-03 | Amber | not-started | 20 Mar 2026 | &lt;script&gt;alert("owner")&lt;/script&gt; | Check &lt;script&gt;alert(1)&lt;/script&gt; &amp; "quotes" \| pipes |  |
| E-02 | Green | not-started | 30 Apr 2026 | Alice Smith | Risk register review |  |

### Not linked to a quality statement

Complete: 0 of 1 (0.0%).

| Ref | BRAG | Status | Due | Owner | Action | Evidence |
| --- | --- | --- | --- | --- | --- | --- |
| E-05 | Amber | not-started |  | Unassigned | Estates survey |  |

### Retired actions (no longer tracked)

| Ref | Action | Reason |
| --- | --- | --- |
| E-06 | Old duplicate | duplicate of E-01 &lt;b&gt; |
"""


def test_markdown_board_paper_exact(board: Store, runner: CliRunner) -> None:
    assert export(runner, "--format", "markdown") == EXPECTED_MARKDOWN


def test_markdown_cells_escape_pipes_newlines_and_markup() -> None:
    assert md_cell("a | b\r\nc\nd") == r"a \| b<br>c<br>d"
    assert md_cell("*bold* _it_ `code` [link](x) \\") == r"\*bold\* \_it\_ \`code\` \[link\](x) \\"
    assert md_cell(None) == ""


def test_markdown_as_of_and_filters(board: Store, runner: CliRunner) -> None:
    text = export(runner, "-f", "md", "--as-of", "2026-02-01", "--qs", "freedom")
    assert "Plan as it stood at the end of 1 February 2026 (rebuilt from the audit trail)." in text
    assert "| E-04 | Amber | not-started |  | Unassigned | Speak-up guardian in post |  |" in text
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
        "report": "Report E",
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
        "version": 18,
    }


def test_csv_export_exact(board: Store, runner: CliRunner) -> None:
    text = export(runner, "--format", "csv", "--status", "complete")
    assert text == (
        "\ufeffref,report,requirement,title,context,section,keyword,quality_statement,owner,owner_email,"
        "due,status,rag,evidence,retired,in_source,created_at,updated_at,version\r\n"
        "E-04,Report E,The trust must speak-up guardian in post (E 4).,Speak-up guardian in post,"
        "Context for Speak-up guardian in post.,Well-led,must,Freedom to speak up,Bob Jones,,2026-02-28,"
        'complete,blue,"Minutes 3 March\nItem 7 & <img src=x onerror=alert(2)>",,true,'
        "2026-02-01T09:00:00.000000Z,2026-02-02T09:00:00.000000Z,22\r\n"
    )


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
        "Error: 'pdf' is not a format here. Use one of: json, csv, markdown, md, html.\n",
    )


# -- HTML -------------------------------------------------------------------------------


def html_body(text: str) -> str:
    return text[text.index("<body>") :]


EXPECTED_HTML_BODY = """<body>
<header>
<h1>CQC action plan: progress</h1>
<p class="meta" id="position">Plan as at 10 March 2026.</p>
<p class="meta" id="produced">Produced 2026-03-10 08:30 UTC. Amber warning window: 14 days.</p>
</header>
<section id="summary">
<h2>Summary</h2>
<p><strong>1 of 5</strong> tracked actions complete (20.0%).</p>
<div class="progress" role="img" aria-label="20.0% complete"><span style="width:20.0%"></span></div>
<ul class="figures">
<li><span class="n">5</span>Actions tracked</li>
<li><span class="n">1 (20.0%)</span>Complete</li>
<li><span class="n">1</span>Blue: complete</li>
<li><span class="n">1</span>Green: on track</li>
<li><span class="n">2</span>Amber: at risk</li>
<li><span class="n">1</span>Red: off track</li>
<li><span class="n">1</span>Overdue</li>
<li><span class="n">1</span>Unassigned</li>
<li><span class="n">1</span>Due in the next 30 days</li>
<li><span class="n">1</span>Retired (not counted above)</li>
</ul>
<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="600" height="144" viewBox="0 0 600 144" role="img" aria-labelledby="brag-chart-title">
<title id="brag-chart-title">Actions by BRAG rating: Blue 1, Green 1, Amber 2, Red 1</title>
<text x="0" y="25" class="label">Blue (complete)</text>
<rect x="170" y="8" width="180" height="24" rx="3" fill="#005eb8"/>
<text x="358" y="25" class="count">1</text>
<text x="0" y="59" class="label">Green (on track)</text>
<rect x="170" y="42" width="180" height="24" rx="3" fill="#007f3b"/>
<text x="358" y="59" class="count">1</text>
<text x="0" y="93" class="label">Amber (at risk)</text>
<rect x="170" y="76" width="360" height="24" rx="3" fill="#ffb81c"/>
<text x="538" y="93" class="count">2</text>
<text x="0" y="127" class="label">Red (off track)</text>
<rect x="170" y="110" width="180" height="24" rx="3" fill="#d5281b"/>
<text x="358" y="127" class="count">1</text>
</svg>
</section>
<section class="statement">
<h2>Freedom to speak up</h2>
<p>Complete: 1 of 1 (100.0%).</p>
<table>
<thead><tr><th>Ref</th><th>BRAG</th><th>Status</th><th>Due</th><th>Owner</th><th>Action</th><th>Evidence</th></tr></thead>
<tbody>
<tr><td class="nowrap">E-04</td><td class="rag rag-blue">Blue</td><td class="nowrap">complete</td><td class="nowrap">28 Feb 2026</td><td>Bob Jones</td><td>Speak-up guardian in post</td><td>Minutes 3 March<br>Item 7 &amp; &lt;img src=x onerror=alert(2)&gt;</td></tr>
</tbody>
</table>
</section>
<section class="statement">
<h2>Governance, management and sustainability</h2>
<p>Complete: 0 of 3 (0.0%).</p>
<table>
<thead><tr><th>Ref</th><th>BRAG</th><th>Status</th><th>Due</th><th>Owner</th><th>Action</th><th>Evidence</th></tr></thead>
<tbody>
<tr><td class="nowrap">E-01</td><td class="rag rag-red">Red</td><td class="nowrap">in-progress</td><td class="late">1 Mar 2026 (9 days overdue)</td><td>Alice Smith</td><td>Board assurance framework</td><td></td></tr>
<tr><td class="nowrap">E-03</td><td class="rag rag-amber">Amber</td><td class="nowrap">not-started</td><td class="nowrap">20 Mar 2026</td><td>&lt;script&gt;alert(&quot;owner&quot;)&lt;/script&gt;</td><td>Check &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; | pipes</td><td></td></tr>
<tr><td class="nowrap">E-02</td><td class="rag rag-green">Green</td><td class="nowrap">not-started</td><td class="nowrap">30 Apr 2026</td><td>Alice Smith</td><td>Risk register review</td><td></td></tr>
</tbody>
</table>
</section>
<section class="statement">
<h2>Not linked to a quality statement</h2>
<p>Complete: 0 of 1 (0.0%).</p>
<table>
<thead><tr><th>Ref</th><th>BRAG</th><th>Status</th><th>Due</th><th>Owner</th><th>Action</th><th>Evidence</th></tr></thead>
<tbody>
<tr><td class="nowrap">E-05</td><td class="rag rag-amber">Amber</td><td class="nowrap">not-started</td><td class="nowrap"></td><td>Unassigned</td><td>Estates survey</td><td></td></tr>
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
<footer>Produced by cpft-tracker on 2026-03-10 08:30 UTC. Plan as at 10 March 2026. BRAG: Blue complete; Red past due or blocked; Amber due within the window, or no owner or due date; Green on track.</footer>
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
    assert html_body(export(runner, "--format", "html")) == EXPECTED_HTML_BODY


def test_html_overdue_first_and_dates(board: Store, runner: CliRunner) -> None:
    page = export(runner, "-f", "html", "--as-of", "2026-03-09")
    assert "Plan as it stood at the end of 9 March 2026 (rebuilt from the audit trail)." in page
    assert "Produced 2026-03-10 08:30 UTC." in page
    governance = page.split("<h2>Governance, management and sustainability</h2>")[1].split(
        "</table>"
    )[0]
    refs = re.findall(r'<td class="nowrap">(E-\d\d)</td>', governance)
    assert refs == ["E-01", "E-03", "E-02"]  # overdue first, then amber, then green


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


@pytest.mark.slow
@pytest.mark.skipif(
    find_browser() is None, reason="no Chromium on PATH (apt-get install chromium to run this)"
)
def test_html_in_a_real_browser(board: Store, runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "board.html"
    assert runner.invoke(app, ["export", "-f", "html", "-o", str(page)]).exit_code == 0
    browser = find_browser()
    assert browser is not None
    common = [browser, *BROWSER_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    env = {**os.environ, "HOME": str(tmp_path)}
    dom = subprocess.run(
        [*common, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=60, env=env
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = dom.stdout
    assert rendered.count("<table>") == 4  # three quality statements and the retired actions
    assert (
        "<svg" in rendered and "Actions by BRAG rating: Blue 1, Green 1, Amber 2, Red 1" in rendered
    )
    assert "<script" not in rendered  # the hostile text stayed text
    assert "alert(1)" in rendered and "onerror" in rendered  # ... visible as text, not run
    shot = Path(os.environ.get("CPFT_BOARD_SCREENSHOT", tmp_path / "board.png"))
    done = subprocess.run(
        [*common, f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.stat().st_size > 10_000  # a real picture, not an empty page
