"""Forgiveness for typos (issue 13): the nearest action reference or owner name, with difflib.

Pure functions (no database, no terminal): the store asks them when a name or reference is
not found, and says "Did you mean ...?".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import get_close_matches

# How alike two owner names must be (difflib's ratio, 0..1) for a new one to be taken as a typo
# of an existing one: "Director of Nursng" / "Director of Nursing" 0.97, "Alice Smyth" /
# "Alice Smith" 0.91, but "Deputy Director of Nursing" / "Director of Nursing" 0.84 and
# "Director of Finance" / "Director of Nursing" 0.74 are other owners.
OWNER_TYPO = 0.85
# How alike for a suggestion after a name or reference matched nothing (only a hint: nothing is refused on it).
SUGGEST = 0.6

_REF_RE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]*?)[\s_-]*0*(\d+)\s*$")


_DIGITS_RE = re.compile(r"\d+")


def likely_typo_of(name: str, owners: Iterable[str]) -> str | None:
    """The existing owner a new name is most likely a typo of, or None.

    Close by ``OWNER_TYPO``, and with the same numbers: "Ward 2 Manager" is not a typo of
    "Ward 1 Manager".
    """
    digits = _DIGITS_RE.findall(name)
    return nearest(name, (o for o in owners if _DIGITS_RE.findall(o) == digits), cutoff=OWNER_TYPO)


def nearest(word: str, candidates: Iterable[str], *, cutoff: float = SUGGEST) -> str | None:
    """The candidate most like ``word`` (compared without regard to case), or None."""
    folded: dict[str, str] = {}
    for c in candidates:
        folded.setdefault(c.casefold(), c)
    found = get_close_matches(word.casefold(), list(folded), n=1, cutoff=cutoff)
    return folded[found[0]] if found else None


def nearest_ref(wanted: str, refs: Iterable[str]) -> str | None:
    """The reference a mistyped one most likely meant: the same prefix and number written
    differently first ("CPFT-1", "cpft 01", "CPFT01" -> "CPFT-01"), else the closest by difflib."""
    refs = list(refs)
    # (a letter typed for a digit in the number: "CPFT-O1", "CPFT-l4")
    head, sep, tail = wanted.rpartition("-")
    typed = [wanted, f"{head}{sep}{tail.translate(_DIGIT_LOOKALIKES)}"] if sep else [wanted]
    for attempt in typed:
        m = _REF_RE.match(attempt)
        if not m:
            continue
        key = (m.group(1).casefold(), int(m.group(2)))
        for ref in refs:
            r = _REF_RE.match(ref)
            if r and (r.group(1).casefold(), int(r.group(2))) == key:
                return ref
    return nearest(wanted, refs, cutoff=SUGGEST)


_DIGIT_LOOKALIKES = str.maketrans("OoIl", "0011")
