"""bench/score_extractor.py (issue 11 item 5) cannot drift from the exact-match corpus test, and
the blind split's files are well formed.

Nothing here runs the extractor on the blind split or asks for any score on it: the blind split
is only scored by hand (`python bench/score_extractor.py`), see tests/corpus/blind/README.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cpft_tracker.documents import read_document
from tests import test_extract

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "tests" / "corpus" / "blind"
SCORER = ROOT / "bench" / "score_extractor.py"


def load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_extractor", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["score_extractor"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    return load_scorer()


# --- The tuning split: the scorer agrees with tests/test_extract.py ------------------------


def test_tune_split_is_the_corpus_tests_documents(scorer) -> None:
    entries = scorer.load_split(scorer.SPLITS["tune"])
    assert {e.name: e.document for e in entries} == test_extract.DOCUMENTS


def test_scorer_agrees_with_the_exact_match_corpus_test_on_the_tune_split(scorer) -> None:
    """The same missed and extra sentences as test_precision_and_recall_are_100_percent computes."""
    label, _, scores = scorer.score_split("tune")
    assert label == "tune"
    by_name = {s.document: s for s in scores}
    assert set(by_name) == set(test_extract.DOCUMENTS)
    for name, path in test_extract.DOCUMENTS.items():
        rows = test_extract.annotations(name)
        expected = {s: kw for label, kw, s in rows if label == "REQ"}
        text = read_document(path).text
        found = {r.text: r.keyword for r in test_extract.imported(text, include_should=True)}
        missed = {s for s, kw in expected.items() if found.get(s) != kw}
        extra = {s for s, kw in found.items() if expected.get(s) != kw}
        score = by_name[name]
        assert (score.annotated, score.found) == (len(expected), len(found)), name
        assert set(score.missed) == missed, name
        assert set(score.extra) == extra, name
        assert score.correct == len(expected) - len(missed) == len(found) - len(extra), name
    total = scorer.overall(scores)
    assert total.annotated == sum(s.annotated for s in scores) > 150
    assert total.correct == sum(s.correct for s in scores)


def test_cli_json_on_the_tune_split_gives_the_same_figures(scorer) -> None:
    done = subprocess.run(
        [sys.executable, str(SCORER), "--split", "tune", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["version"] == 1 and report["split"] == "tune"
    _, _, scores = scorer.score_split("tune")
    assert report["documents"] == [s.figures() for s in scores]
    assert report["overall"]["annotated"] == scorer.overall(scores).annotated
    assert set(report["overall"]) == {
        "document",
        "annotated",
        "found",
        "correct",
        "recall",
        "precision",
        "due_annotated",
        "due_agreed",
    }


def test_details_are_refused_on_the_blind_split() -> None:
    done = subprocess.run(
        [sys.executable, str(SCORER), "--details"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "blind split" in done.stderr


# --- The scorer counts misses, extras, wrong keywords and due dates --------------------------


@dataclass
class GrownRequirement:
    """What a later extractor might return: today's fields and some new ones."""

    text: str
    keyword: str
    due: dt.date | None = None
    confidence: float = 0.5
    rule: str = "test"


def _write_split(tmp_path: Path, *, with_due: bool) -> Path:
    (tmp_path / "doc.txt").write_text(
        "The trust must improve in the following areas by 31 May 2022:\n"
        "Staffing\n"
        "Medicines\n\n"
        "The trust must  ensure records\nare kept.\n"
        "Leaders should meet monthly.\n",
        encoding="utf-8",
    )
    header = ["label", "keyword", "sentence", "reason"] + (["due"] if with_due else [])
    rows = [
        ["NOT", "", "The trust must improve in the following areas by 31 May 2022:", "lead-in"],
        ["REQ", "must", "Staffing", "listed area"],
        ["REQ", "must", "Medicines", "listed area"],
        ["REQ", "must", "The trust must ensure records are kept.", "must"],
        ["REQ", "should", "Leaders should meet monthly.", "should"],
    ]
    if with_due:
        for row in rows:
            row.append("2022-05-31" if row[2] in ("Staffing", "Medicines") else "")
    with (tmp_path / "doc.annotations.tsv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return tmp_path


def _fake_extract(text: str) -> list[Any]:
    assert "Staffing" in text  # the scorer passes the document's text
    return [
        GrownRequirement("Staffing", "must", dt.date(2022, 5, 31)),  # right, due agrees
        GrownRequirement("Medicines", "must", dt.date(2022, 6, 30)),  # right, due disagrees
        GrownRequirement("The trust must ensure records are kept.", "needs"),  # wrong keyword
        GrownRequirement("The trust must improve in the following areas by 31 May 2022:", "must"),
    ]  # and "Leaders should meet monthly." is missed


def test_scorer_counts_misses_extras_wrong_keywords_and_due_dates(scorer, tmp_path) -> None:
    split = _write_split(tmp_path, with_due=True)
    _, _, scores = scorer.score_split(str(split), extract=_fake_extract)
    (s,) = scores
    assert (s.annotated, s.found, s.correct) == (4, 4, 2)
    assert (s.recall, s.precision) == (0.5, 0.5)
    assert (s.due_annotated, s.due_agreed) == (2, 1)
    assert set(s.missed) == {
        "The trust must ensure records are kept.",
        "Leaders should meet monthly.",
    }
    assert set(s.extra) == {
        "The trust must ensure records are kept.",
        "The trust must improve in the following areas by 31 May 2022:",
    }
    table = scorer.render_table(scores)
    assert table.splitlines()[-1].split() == ["overall", "4", "4", "2", "0.50", "0.50", "1/2"]


def test_annotations_without_a_due_column_still_score(scorer, tmp_path) -> None:
    split = _write_split(tmp_path, with_due=False)
    _, _, scores = scorer.score_split(str(split), extract=_fake_extract)
    (s,) = scores
    assert (s.annotated, s.correct, s.due_annotated, s.due_agreed) == (4, 2, 0, 0)


def test_a_folder_without_annotations_is_one_plain_error(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCORER), "--split", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("Error: No *.annotations.tsv files in")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


# --- The blind split parses (without running the extractor on it) ----------------------------


def _blind_annotation_files() -> list[Path]:
    return sorted(BLIND.glob("*.annotations.tsv"))


def test_blind_split_has_a_document_for_every_annotation_and_the_reverse() -> None:
    names = {p.name.removesuffix(".annotations.tsv") for p in _blind_annotation_files()}
    documents = {
        p.stem
        for p in BLIND.iterdir()
        if p.suffix in (".txt", ".md", ".html", ".pdf") and p.name != "README.md"
    }
    assert names == documents
    assert len(names) >= 16


@pytest.mark.parametrize("path", _blind_annotation_files(), ids=lambda p: p.name)
def test_blind_annotations_parse_and_every_sentence_is_in_its_document(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        assert reader.fieldnames == ["label", "keyword", "sentence", "reason", "due"]
        rows = list(reader)
    assert rows
    name = path.name.removesuffix(".annotations.tsv")
    document = next(p for p in BLIND.iterdir() if p.stem == name and p.suffix != ".tsv")
    text = test_extract.collapse(read_document(document).text)
    for row in rows:
        assert None not in row and None not in row.values(), f"wrong number of columns: {row}"
        sentence = test_extract.collapse(row["sentence"])
        assert sentence and sentence in text, f"not in {document.name}: {sentence!r}"
        assert row["reason"].strip(), f"no reason: {sentence!r}"
        if row["label"] == "REQ":
            assert row["keyword"] in ("must", "needs", "should"), sentence
        else:
            assert (row["label"], row["keyword"]) == ("NOT", ""), sentence
            assert not row["due"], sentence
        if row["due"]:
            assert dt.date.fromisoformat(row["due"]).isoformat() == row["due"], sentence
