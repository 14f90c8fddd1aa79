"""looks_like_cqc_report: only CQC reports are taken (issue 11 item 4, the extractor's half)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cpft_tracker.documents import read_document
from cpft_tracker.extract import looks_like_cqc_report

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
REPORTS = sorted(
    [
        p
        for p in CORPUS.glob("*.*")
        if p.suffix in (".txt", ".md", ".html")
        and "not-report" not in p.name
        and p.name != "README.md"  # the corpus's notes
    ]
    + list((ROOT / "data").glob("*.txt"))
)
# Tuning documents that are CQC pages but not reports (a guidance page on a regulation):
# import refuses them, and the corpus test relies on that refusal.
NOT_REPORTS = sorted(p for p in CORPUS.glob("*not-report*.txt"))

MIT = """MIT License

Copyright (c) 2024 Example Person

Permission is hereby granted, free of charge, to any person obtaining a copy of this
software and associated documentation files (the "Software"), to deal in the Software
without restriction, including without limitation the rights to use, copy, modify, merge,
publish, distribute, sublicense, and/or sell copies of the Software. The above copyright
notice and this permission notice shall be included in all copies or substantial portions
of the Software. The Software must not be used to harm patients, and users need to read it.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
"""

GPL = """                    GNU GENERAL PUBLIC LICENSE
                       Version 3, 29 June 2007

 Copyright (C) 2007 Free Software Foundation, Inc. <https://fsf.org/>
 Everyone is permitted to copy and distribute verbatim copies of this license document.
 You must make sure that they, too, receive or can get the source code. Regulation 12 of
 nothing applies here; the provider of a covered work must give recipients these rights.
"""

GARDEN_PAGE = """<!DOCTYPE html><html><head><title>Growing tomatoes | Garden World</title></head>
<body><nav><a>Home</a> <a>Vegetables</a> <a>Sign in</a></nav>
<div class="cookie">We use cookies. Accept all cookies</div>
<h1>How to grow tomatoes</h1>
<p>Tomatoes need a sunny spot and must be watered every day. The plants needed support
once they reached 30 cm, and the gardener should pinch out side shoots.</p>
<p>Our panel rated the varieties: 'Gardener's Delight' was outstanding.</p>
</body></html>"""


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_every_report_of_the_corpus_and_data_is_taken(path: Path) -> None:
    ok, reason = looks_like_cqc_report(read_document(path).text)
    assert ok, f"{path.name}: {reason}"


@pytest.mark.parametrize("path", NOT_REPORTS, ids=lambda p: p.name)
def test_corpus_pages_that_are_not_reports_are_refused(path: Path) -> None:
    ok, reason = looks_like_cqc_report(read_document(path).text)
    assert not ok and reason


def test_the_press_release_is_taken_though_it_is_news() -> None:
    text = (ROOT / "data" / "cqc-cpft-press-release-2025.txt").read_text(encoding="utf-8")
    assert looks_like_cqc_report(text) == (
        True,
        "it names CQC and reads like an inspection report",
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (MIT, "it is a software licence, not a CQC report"),
        (GPL, "it is a software licence, not a CQC report"),
        ("", "it says little or nothing about care, patients, staff, inspection or ratings"),
    ],
    ids=["mit", "gpl", "empty"],
)
def test_licences_and_empty_text_are_refused(text: str, reason: str) -> None:
    assert looks_like_cqc_report(text) == (False, reason)


def test_a_web_page_about_something_else_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "tomatoes.html"
    page.write_text(GARDEN_PAGE, encoding="utf-8")
    ok, reason = looks_like_cqc_report(read_document(page).text)
    assert not ok
    assert reason == "it says little or nothing about care, patients, staff, inspection or ratings"
    # naming CQC once is not enough to read like a report
    ok, reason = looks_like_cqc_report("The CQC logo is green. Tomatoes grow in summer.")
    assert (ok, reason[:36]) == (False, "it mentions CQC but does not read li")


@pytest.mark.parametrize("fmt", ["html", "markdown", "json"])
def test_this_tools_own_board_report_is_refused(tmp_path: Path, fmt: str) -> None:
    """The real export, made by the real command line from the bundled report."""
    env = {**os.environ, "CPFT_TRACKER_DB": str(tmp_path / "plan.db"), "NO_COLOR": "1"}

    def run(*args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "cpft_tracker", *args],
            env=env,
            check=True,
            capture_output=True,
            cwd=tmp_path,
        )

    run("import", str(ROOT / "data" / "cqc-cpft-well-led-assessment-2025-07-17.txt"))
    target = tmp_path / f"board.{ {'markdown': 'md'}.get(fmt, fmt) }"
    run("export", "--format", fmt, "--output", str(target))
    text = read_document(target).text if fmt != "json" else target.read_text(encoding="utf-8")
    assert looks_like_cqc_report(text) == (
        False,
        "it is a board report or export made by cpft-tracker, not a CQC report",
    )
