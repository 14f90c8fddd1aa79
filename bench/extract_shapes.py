"""How the extractor's time grows with the length of one "sentence".

    .venv/bin/python bench/extract_shapes.py                 # sizes 2000 and 8000 parts
    .venv/bin/python bench/extract_shapes.py --parts 500 2000 8000

A PDF table or a page copied without full stops reaches the extractor as one sentence of
tens or hundreds of kilobytes. Each shape below repeats one English structure that a rule
reads (commas, "which" asides, "and that" clauses, shortfalls after a rule, semicolons, no
punctuation at all) so that a regex which backtracks shows up as time growing with the square
of the length. A benchmark, not a test: it prints CPU time per shape and size; when the time
of 4x the parts is much more than 4x, a rule has gone quadratic.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from cpft_tracker.extract import extract_requirements

SHAPES: dict[str, Callable[[int], str]] = {
    "commas": lambda n: (
        "The trust must ensure " + ", ".join(f"ward a{i} is clean" for i in range(n)) + "."
    ),
    "which asides": lambda n: (
        "Staff did not meet the policy"
        + "".join(f", which says x{i}" for i in range(n))
        + " should be done."
    ),
    "and that": lambda n: (
        "The trust must ensure staff are trained, and that "
        + ", and that ".join(f"the ward a{i} is clean" for i in range(n))
        + "."
    ),
    "needs": lambda n: " ".join(f"the ward a{i} needs" for i in range(n)) + ".",
    "shortfalls": lambda n: (
        "The policy says staff must record it"
        + "".join(f", and the team a{i} did not" for i in range(n))
        + "."
    ),
    "semicolons": lambda n: "The provider must " + "; ".join(f"check x{i}" for i in range(n)) + ".",
    "no punctuation": lambda n: (
        "The provider must ensure " + " ".join(f"word{i}" for i in range(n))
    ),
    "buts": lambda n: (
        "Staff should record it" + "".join(f" but ward {i} was" for i in range(n)) + "."
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", type=int, nargs="+", default=[2000, 8000])
    args = parser.parse_args()
    print(f"{'shape':<16} {'parts':>6} {'characters':>11} {'CPU s':>7}")
    for name, make in SHAPES.items():
        for n in args.parts:
            sentence = make(n)
            start = time.process_time()
            extract_requirements("Is the service safe?\n\n" + sentence + "\n", include_should=True)
            took = time.process_time() - start
            print(f"{name:<16} {n:>6} {len(sentence):>11,} {took:>7.2f}", flush=True)


if __name__ == "__main__":
    main()
