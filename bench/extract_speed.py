"""How long the extractor takes on a 1 MB report (issue 11: "Extraction of a 1 MB report stays
under 2 s").

    .venv/bin/python bench/extract_speed.py            # 5 runs, the bundled report repeated to 1 MB
    .venv/bin/python bench/extract_speed.py --runs 9 --size 2000000

Two inputs: the bundled report repeated to the size, and the tuning corpus (tests/corpus/*.txt,
read as the importer reads them) repeated to the size: many styles, lists and tables. A benchmark, not a test: it prints CPU time (this process's user + system time, steadier than the
wall clock on a shared machine) and wall time, min / median / max, and the requirements found. The
tests only check that the same 1 MB text gives the right number of requirements.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from cpft_tracker.extract import extract_requirements

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "cqc-cpft-well-led-assessment-2025-07-17.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=1_000_000, help="characters of report text")
    args = parser.parse_args()

    from cpft_tracker.documents import read_document

    corpus = "\n\n".join(
        read_document(p).text for p in sorted((ROOT / "tests" / "corpus").glob("*.txt"))
    )
    for name, text in (
        ("the bundled report", BUNDLED.read_text(encoding="utf-8")),
        ("the tuning corpus", corpus),
    ):
        measure(
            name, _to_size((text + "\n\n") * (args.size // len(text) + 1), args.size), args.runs
        )


def _to_size(text: str, size: int) -> str:
    """The text cut to ``size`` characters at the last paragraph break before it (whole copies
    of a 590 KB corpus made 1.18 MB, which was not the 1 MB the target is about)."""
    cut = text.rfind("\n\n", 0, size)
    return text[: cut if cut > 0 else size]


def measure(name: str, big: str, runs: int) -> None:
    extract_requirements(big)  # warm-up: imports, compiled patterns
    cpu: list[float] = []
    wall: list[float] = []
    found = 0
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        found = len(extract_requirements(big))
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    print(f"{name}: {len(big):,} characters ({found:,} requirements), {runs} runs")
    for name, values in (("CPU", cpu), ("wall", wall)):
        print(
            f"  {name:>4}: min {min(values):.2f} s  median {statistics.median(values):.2f} s"
            f"  max {max(values):.2f} s"
        )
    print(
        f"  target: under 2 s -> {'met' if statistics.median(cpu) < 2.0 else 'NOT met'} (median CPU)"
    )


if __name__ == "__main__":
    main()
