"""The CQC well-led quality statements, as data.

NAMES is the list a user may choose from (``cpft-tracker qs``, ``retitle``/``classify``);
the extractor classifies each requirement into one of them or None.
"""

from __future__ import annotations

NAMES: tuple[str, ...] = (
    "Shared direction and culture",
    "Capable, compassionate and inclusive leaders",
    "Freedom to speak up",
    "Workforce equality, diversity and inclusion",
    "Governance, management and sustainability",
    "Partnerships and communities",
    "Learning, improvement and innovation",
    "Environmental sustainability – sustainable development",
)


def match_name(text: str) -> str | None:
    """The quality statement a user meant, matched case-insensitively on a unique prefix/substring."""
    wanted = " ".join(text.lower().replace("-", " ").replace("–", " ").split())
    if not wanted:
        return None
    norm = {n: " ".join(n.lower().replace("-", " ").replace("–", " ").split()) for n in NAMES}
    exact = [n for n, v in norm.items() if v == wanted]
    if exact:
        return exact[0]
    hits = [n for n, v in norm.items() if v.startswith(wanted)] or [
        n for n, v in norm.items() if wanted in v
    ]
    return hits[0] if len(hits) == 1 else None
