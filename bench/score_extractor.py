"""Score the extractor against a hand-annotated split (issue 11, item 5).

    .venv/bin/python bench/score_extractor.py                 # the blind split, tests/corpus/blind
    .venv/bin/python bench/score_extractor.py --split tune    # the tuning corpus, tests/corpus
    .venv/bin/python bench/score_extractor.py --json          # the same figures as JSON
    .venv/bin/python bench/score_extractor.py --split tune --details   # and which sentences

For every document of the split it runs the extractor exactly as tests/test_extract.py does
(``extract_requirements(read_document(path).text, include_should=True)``; nothing for a
document ``import`` refuses as not a CQC report) and compares the
requirements found with the sentences annotated ``REQ``: a requirement is correct when its text
(whitespace collapsed) is an annotated REQ sentence with the same keyword. Per document and
overall it prints: requirements annotated, found, correct, recall (correct / annotated),
precision (correct / found), and, where the annotation has a ``due`` column, how many of the
annotated due dates the extractor gave too.

The blind split is scored, never looked into: ``--details`` (the missed and extra sentences) is
refused on it, so that nobody tunes the extractor on what it gets wrong there.

JSON (``--json``), version 1::

    {"version": 1, "split": "blind", "directory": "...",
     "documents": [{"document": NAME, "annotated": int, "found": int, "correct": int,
                    "recall": float|null, "precision": float|null,
                    "due_annotated": int, "due_agreed": int}, ...],
     "overall": {same fields, "document": "overall"}}

``recall`` is null when nothing is annotated, ``precision`` when nothing is found. A benchmark,
not a test: nothing asserts a score (tests/test_score_extractor.py only checks that this scorer
agrees with the exact-match corpus test on the tuning split).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SPLITS = {
    "blind": ROOT / "tests" / "corpus" / "blind",
    "tune": ROOT / "tests" / "corpus",
    "seen": ROOT / "tests" / "corpus" / "seen",  # promoted from blind on 2026-12-03
}
DATA = ROOT / "data"  # the bundled report and press release; their annotations live in tests/corpus
DOCUMENT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".text")
ANNOTATION_SUFFIX = ".annotations.tsv"
REQUIRED_COLUMNS = ("label", "keyword", "sentence", "reason")
DUE_ATTRIBUTES = ("due", "due_date", "deadline")  # whichever the extractor grows
JSON_VERSION = 1


class ScoreError(Exception):
    """A problem with the split on disk, said in one line."""


def collapse(s: str) -> str:
    return " ".join(s.split())


@dataclass(frozen=True)
class Annotation:
    label: str  # "REQ" or "NOT"
    keyword: str  # "must", "needs" or "should" for REQ; "" for NOT
    sentence: str  # whitespace collapsed
    reason: str
    due: str  # ISO date, or "" (also when the file has no due column)


@dataclass(frozen=True)
class Entry:
    name: str
    document: Path
    annotations: Path


@dataclass
class DocumentScore:
    document: str
    annotated: int
    found: int
    correct: int
    due_annotated: int = 0
    due_agreed: int = 0
    missed: list[str] = field(default_factory=list)  # annotated REQ not found (or wrong keyword)
    extra: list[str] = field(default_factory=list)  # found, not annotated REQ with that keyword

    @property
    def recall(self) -> float | None:
        return self.correct / self.annotated if self.annotated else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.found if self.found else None

    def figures(self) -> dict[str, Any]:
        d = asdict(self)
        del d["missed"], d["extra"]
        d["recall"] = self.recall
        d["precision"] = self.precision
        return d


def read_annotations(path: Path) -> list[Annotation]:
    """The rows of one annotations file; a missing ``due`` column reads as no due dates."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t")
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ScoreError(
                    f"{path.name} has no {', '.join(missing)} column: the first line must be "
                    "the tab-separated header label, keyword, sentence, reason (and optionally due)."
                )
            rows = list(reader)
    except OSError as exc:
        raise ScoreError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    return [
        Annotation(
            label=(r.get("label") or "").strip(),
            keyword=(r.get("keyword") or "").strip(),
            sentence=collapse(r.get("sentence") or ""),
            reason=r.get("reason") or "",
            due=(r.get("due") or "").strip(),
        )
        for r in rows
    ]


def _document_for(name: str, directory: Path) -> Path | None:
    for base in (directory, DATA):
        for suffix in DOCUMENT_SUFFIXES:
            candidate = base / f"{name}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def resolve_split(split: str) -> tuple[str, Path]:
    """``blind``, ``tune`` or a directory -> (label, directory)."""
    directory = SPLITS.get(split, Path(split))
    if not directory.is_dir():
        raise ScoreError(
            f"No split {split!r}: give --split blind, --split tune or a folder of "
            "*.annotations.tsv files and their documents."
        )
    return (split if split in SPLITS else str(directory)), directory


def load_split(directory: Path) -> list[Entry]:
    """Every ``NAME.annotations.tsv`` directly in ``directory`` with its document NAME.*."""
    entries = []
    for ann in sorted(directory.glob(f"*{ANNOTATION_SUFFIX}")):
        name = ann.name[: -len(ANNOTATION_SUFFIX)]
        doc = _document_for(name, directory)
        if doc is None:
            raise ScoreError(
                f"{ann.name} has no document: put {name}.txt (or .md, .html, .pdf) beside it "
                f"or in {DATA}."
            )
        entries.append(Entry(name, doc, ann))
    if not entries:
        raise ScoreError(f"No *{ANNOTATION_SUFFIX} files in {directory}.")
    return entries


def _requirements(result: Any) -> Iterable[Any]:
    """The requirements in what the extractor returned (a list today; perhaps an object later)."""
    for attr in ("requirements", "items"):
        inner = getattr(result, attr, None)
        if inner is not None and not callable(inner):
            return list(inner)
    return list(result)


def _due_of(requirement: Any) -> str:
    for attr in DUE_ATTRIBUTES:
        value = getattr(requirement, attr, None)
        if value:
            if isinstance(value, dt.date):
                return value.isoformat()
            return str(value).strip()[:10]
    return ""


def default_extract(text: str) -> Any:
    """What ``import`` would take: nothing from a document it refuses as not a CQC report."""
    from cpft_tracker.extract import extract_requirements, looks_like_cqc_report

    if not looks_like_cqc_report(text)[0]:
        return []
    return extract_requirements(text, include_should=True)


def default_read(path: Path) -> str:
    from cpft_tracker.documents import read_document
    from cpft_tracker.errors import BadDocument

    try:
        return read_document(path).text
    except BadDocument as exc:
        raise ScoreError(str(exc)) from None


def score_document(
    entry: Entry,
    *,
    extract: Callable[[str], Any] = default_extract,
    read: Callable[[Path], str] = default_read,
) -> DocumentScore:
    """Match as tests/test_extract.py does: {text: keyword} both sides, exact text and keyword."""
    rows = read_annotations(entry.annotations)
    expected = {a.sentence: a.keyword for a in rows if a.label == "REQ"}
    due = {a.sentence: a.due for a in rows if a.label == "REQ" and a.due}
    found: dict[str, str] = {}
    found_due: dict[str, str] = {}
    for r in _requirements(extract(read(entry.document))):
        text = collapse(str(getattr(r, "text", "")))
        found[text] = str(getattr(r, "keyword", ""))
        found_due[text] = _due_of(r)
    missed = [s for s, kw in expected.items() if found.get(s) != kw]
    extra = [s for s, kw in found.items() if expected.get(s) != kw]
    correct = sum(1 for s, kw in expected.items() if found.get(s) == kw)
    agreed = sum(1 for s, d in due.items() if found.get(s) == expected[s] and found_due.get(s) == d)
    return DocumentScore(
        document=entry.name,
        annotated=len(expected),
        found=len(found),
        correct=correct,
        due_annotated=len(due),
        due_agreed=agreed,
        missed=missed,
        extra=extra,
    )


def overall(scores: Sequence[DocumentScore]) -> DocumentScore:
    """Summed over documents (micro-averaged: every requirement counts once)."""
    return DocumentScore(
        document="overall",
        annotated=sum(s.annotated for s in scores),
        found=sum(s.found for s in scores),
        correct=sum(s.correct for s in scores),
        due_annotated=sum(s.due_annotated for s in scores),
        due_agreed=sum(s.due_agreed for s in scores),
    )


def score_split(
    split: str,
    *,
    extract: Callable[[str], Any] = default_extract,
    read: Callable[[Path], str] = default_read,
) -> tuple[str, Path, list[DocumentScore]]:
    label, directory = resolve_split(split)
    scores = [score_document(e, extract=extract, read=read) for e in load_split(directory)]
    return label, directory, scores


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def render_table(scores: Sequence[DocumentScore]) -> str:
    total = overall(scores)
    head = ("document", "annotated", "found", "correct", "recall", "precision", "due agreed")
    body = [
        (
            s.document,
            str(s.annotated),
            str(s.found),
            str(s.correct),
            _ratio(s.recall),
            _ratio(s.precision),
            f"{s.due_agreed}/{s.due_annotated}" if s.due_annotated else "—",
        )
        for s in [*scores, total]
    ]
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]

    def line(row: Sequence[str]) -> str:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(head), rule, *map(line, body[:-1]), rule, line(body[-1])])


def render_json(label: str, directory: Path, scores: Sequence[DocumentScore]) -> str:
    return json.dumps(
        {
            "version": JSON_VERSION,
            "split": label,
            "directory": str(directory),
            "documents": [s.figures() for s in scores],
            "overall": overall(scores).figures(),
        },
        indent=2,
        ensure_ascii=False,
    )


def render_details(scores: Sequence[DocumentScore]) -> str:
    out = []
    for s in scores:
        for sentence in s.missed:
            out.append(f"{s.document}\tmissed\t{sentence}")
        for sentence in s.extra:
            out.append(f"{s.document}\textra\t{sentence}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Recall and precision of the extractor on a hand-annotated split."
    )
    parser.add_argument(
        "--split",
        default="blind",
        help="blind (tests/corpus/blind, the default), tune (tests/corpus), seen (tests/corpus/seen) or a folder",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--details",
        action="store_true",
        help="also list the missed and extra sentences (not on the blind split)",
    )
    args = parser.parse_args(argv)
    if args.details and args.split == "blind":
        print(
            "Error: --details is refused on the blind split: it is scored, never looked into. "
            "Use --split tune for details.",
            file=sys.stderr,
        )
        return 2
    try:
        label, directory, scores = score_split(args.split)
    except ScoreError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(render_json(label, directory, scores))
    else:
        print(f"Split: {label} ({directory})")
        print(render_table(scores))
    if args.details:
        details = render_details(scores)
        if details:
            print(details)
    return 0


if __name__ == "__main__":
    sys.exit(main())
