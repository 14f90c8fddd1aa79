"""Does the plan depend on how the report was copied? Every corpus document (tuning and seen) is
extracted as written and again after each change a copy can make to text without changing
what it says, and the documents whose requirements differ are counted.

    .venv/bin/python bench/copy_robustness.py                 # every change
    .venv/bin/python bench/copy_robustness.py wrap --show 3   # one change, 3 sentences each

The changes: Windows line ends (crlf), no-break spaces between some words (nbsp), straight or
curly apostrophes and quotes (straight, curly), list items marked "●" instead of "•"/"-"/"*"
(bullets), spaces at line ends (trailing), a tab after a bullet mark (tabs), an extra blank
line between paragraphs (blank2), "Page N of 20" lines between paragraphs (pageno), every
line indented two more spaces (indent), and every line over 80 characters hard-wrapped at 78 as
a PDF's text is (wrap). Requirements are compared as text with whitespace, no-break spaces
and quote marks made alike. tests/test_extract_copies.py holds the changes that give the
same plan on every document today; RESULTS.md records the counts.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from cpft_tracker.documents import read_document
from cpft_tracker.extract import extract_requirements

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"


def _alike(text: str) -> str:
    for a, b in (("\u00a0", " "), ("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(a, b)
    return " ".join(text.split())


def requirements(text: str) -> set[str]:
    """The requirement sentences of a text, made alike as the comparison needs."""
    return {_alike(r.text) for r in extract_requirements(text, include_should=True)}


def _nbsp(text: str) -> str:
    count = iter(range(10**9))
    return re.sub(r"(?<=\w) (?=\w)", lambda m: "\u00a0" if next(count) % 7 == 0 else " ", text)


def _wrap(text: str) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= 80:
            out.append(line)
            continue
        mark = re.match(r"^(\s*(?:[•●*-]\s+)?)", line)
        indent = " " * len(mark.group(1)) if mark and mark.group(1).strip() else ""
        out.extend(
            textwrap.wrap(
                line, 78, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
            )
            or [""]
        )
    return "\n".join(out)


def _page_numbers(text: str) -> str:
    out: list[str] = []
    page = 1
    for n, line in enumerate(text.split("\n")):
        out.append(line)
        if n % 45 == 44 and not line.strip():
            out += [f"Page {page} of 20", ""]
            page += 1
    return "\n".join(out)


CHANGES: dict[str, Callable[[str], str]] = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "nbsp": _nbsp,
    "straight": lambda t: t.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})),
    "curly": lambda t: re.sub(r"(?<=\w)'(?=\w)", "’", t),
    "bullets": lambda t: re.sub(r"(?m)^(\s*)[•*-] ", r"\1● ", t),
    "trailing": lambda t: re.sub(r"(?m)$", "  ", t),
    "tabs": lambda t: re.sub(r"(?m)^(\s*[•●*-]) ", "\\1\t", t),
    "blank2": lambda t: t.replace("\n\n", "\n\n\n"),
    "pageno": _page_numbers,
    "indent": lambda t: re.sub(r"(?m)^(?=.)", "  ", t),
    "wrap": _wrap,
}


def documents() -> list[Path]:
    """The tuning and seen documents (never the blind split)."""
    return sorted(p for p in [*CORPUS.glob("*.txt"), *(CORPUS / "seen").glob("*.txt")])


def differing(change: str, paths: list[Path]) -> list[tuple[Path, set[str], set[str]]]:
    """(document, lost, gained) for each document whose requirements the change moves."""
    out = []
    for path in paths:
        text = read_document(path).text
        before, after = requirements(text), requirements(CHANGES[change](text))
        if before != after:
            out.append((path, before - after, after - before))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("changes", nargs="*", choices=[[], *CHANGES], default=[])
    parser.add_argument("--show", type=int, default=0, help="sentences to show per document")
    args = parser.parse_args()
    paths = documents()
    for change in args.changes or list(CHANGES):
        moved = differing(change, paths)
        print(f"{change:9} {len(moved):3} of {len(paths)} documents differ")
        for path, lost, gained in moved if args.show else []:
            print(f"    {path.name}: -{len(lost)} +{len(gained)}")
            for s in sorted(lost)[: args.show]:
                print(f"        - {s[:150]}")
            for s in sorted(gained)[: args.show]:
                print(f"        + {s[:150]}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
