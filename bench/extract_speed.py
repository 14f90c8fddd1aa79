"""CPU time of extract_requirements on 1 MB of report text (issue 11: under 2 s).

    .venv/bin/python bench/extract_speed.py

Two inputs: the bundled report repeated to 1 MB, and the tuning corpus (tests/corpus/*.txt,
read as the importer reads them) repeated to 1 MB. Best of two runs, time.process_time
(this process's CPU, not the wall clock). A benchmark, not a test: nothing is asserted
(tests/test_extract.py keeps a generous CPU bound on the bundled report).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cpft_tracker.documents import read_document  # noqa: E402
from cpft_tracker.extract import extract_requirements  # noqa: E402

MEGABYTE = 1_000_000


def to_a_megabyte(text: str) -> str:
    return (text + "\n\n") * (MEGABYTE // len(text) + 1)


def main() -> int:
    bundled = (ROOT / "data" / "cqc-cpft-well-led-assessment-2025-07-17.txt").read_text(
        encoding="utf-8"
    )
    corpus = "\n\n".join(
        read_document(p).text for p in sorted((ROOT / "tests" / "corpus").glob("*.txt"))
    )
    for name, text in (("bundled report", bundled), ("tuning corpus", corpus)):
        big = to_a_megabyte(text)
        best = float("inf")
        found = 0
        for _ in range(2):
            started = time.process_time()
            found = len(extract_requirements(big, include_should=True))
            best = min(best, time.process_time() - started)
        print(f"{name} x {len(big) / MEGABYTE:.2f} MB: {found} requirements, {best:.2f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
