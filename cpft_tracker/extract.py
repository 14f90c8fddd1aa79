"""Report text -> requirements. Pure functions: no database, no terminal.

INTERFACE CONTRACT (used by store.py / cli.py; keep these names and fields):

    extract_requirements(text: str, *, include_should: bool = False) -> list[Requirement]
    document_title(text: str) -> str | None
    fingerprint(requirement_text: str) -> str

How it works (issue 3):

1. ``split_units`` turns the text into *units*: headings, and sentences of paragraphs
   and bullets. Hard-wrapped lines (PDF copies) are joined, page numbers and repeated
   running headers are dropped, bullets start new blocks, and sentences are split on
   full stops (also "assessed.These") but not after "e.g.", "Dr.", "No. 3", decimals...
   A bullet under a must/should lead-in ("Action the trust MUST take to improve",
   "The provider must:") is one unit, flagged with the lead-in's keyword.
2. ``_find_trigger`` decides, with the word tables below, whether a unit states
   something the provider must do / needs to do (or, advisory, should do).
3. ``_make_title`` turns the unit into a short action title; quality_statements.classify
   picks the quality statement.

All linguistic rules live in the commented tables below: extend those rather than code.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from cpft_tracker.quality_statements import classify


@dataclass(frozen=True)
class Requirement:
    """One must/needs requirement found in a report."""

    text: str  # the requirement sentence exactly as the report words it (whitespace collapsed)
    context: str  # the paragraph or bullet it sits in (whitespace collapsed)
    section: str | None  # the nearest heading above it
    line: int  # 1-based line of the source text where the sentence starts
    position: int  # 1-based order of this requirement among those found in the document
    keyword: str  # "must", "needs" or "should"
    matched: str  # the exact words that made it a requirement, e.g. "must ensure", "needed to"
    title: str  # short title for tables, at most 80 characters, reads as an action
    quality_statement: str | None  # one of quality_statements.NAMES, or None


def fingerprint(requirement_text: str) -> str:
    """A stable identity for a requirement: survives re-wrapping, case and quote style."""
    norm = requirement_text.replace("\u2019", "'").replace("\u2018", "'")
    norm = norm.replace("\u201c", '"').replace("\u201d", '"')
    norm = re.sub(r"\s+", " ", norm).strip().lower()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


# ===========================================================================
# Word tables. All entries are lower case.
# ===========================================================================

# --- Who is speaking / who needs ------------------------------------------

# The regulator's own plans are never requirements: "we need to carry out an inspection",
# "CQC needs to see", "we must".
REGULATOR_SUBJECTS = frozenset(
    "we us our ourselves cqc commission inspector inspectors inspectorate regulator we'll we’ll"
    " we'd we’d".split()
)

# What people using the service needed is not a requirement on the provider:
# "patients needed…", "people who needed support", "when they needed it".
# Note: "staff" and "leaders" are deliberately absent ("Staff needed more training" is one).
PEOPLE_SUBJECTS = frozenset(
    """people person persons patient patients resident residents client clients user users
    relative relatives carer carers family families child children baby babies mother mothers
    woman women man men adult adults individual individuals tenant tenants visitor visitors
    public population those anyone everyone someone somebody anybody who whom whoever
    he she i you they them he'd she'd they'd i'd""".split()
)

# Words skipped when looking back from "need(s)"/"must" for its subject:
# "this approach still needs", "we will need", "leaders also needed".
SKIP_BEFORE_KEYWORD = frozenset(
    """will would shall may might could can also still further urgently really clearly now
    therefore then only just already previously both all did does do had has have often
    always sometimes even particularly especially definitely certainly probably possibly
    perhaps likely immediately currently ultimately genuinely equally again ever""".split()
)

# A "need" in a clause opened by one of these is circumstance, not a requirement:
# "where needed", "if needed", "when they needed it", "what was needed",
# "so they know where improvements are needed", "more than was needed".
SUBORDINATORS = frozenset(
    "where wherever when whenever if unless until what whatever whether how why than".split()
)
# "as" only counts when it is close to the keyword ("as needed", "as they needed");
# "such as" / "as well as" never count.
AS_WINDOW = 3

# "needing"/"in need of" is about people when a people word is this close before it:
# "people with complex needs needing two staff", "children in need of protection".
NEEDING_WINDOW = 5

# After a people word, these show it heads the subject: "People who stayed in their rooms
# needed…", "Patients on the ward needed…" (but "Patient records needed…" is not people).
PEOPLE_POSTMODIFIERS = frozenset(
    "who whose with using living at in on receiving from awaiting waiting".split()
)

# Clause boundaries when looking back for a subject.
BOUNDARY_WORDS = frozenset(
    """and but or nor so because whilst while although though however yet""".split()
)

# Negation right before the keyword: "did not need to", "there was no need".
NEGATIONS = frozenset("not never no n't didn't don't doesn't didn’t don’t doesn’t".split())

# --- Noun "needs" vs verb "needs" ---------------------------------------------

# Determiners and possessives: after these, "need(s)" is a noun ("their needs",
# "the needs of the population", "a need to improve", "people's needs").
# Words ending in 's / ’s / s’ are treated the same way.
NOUN_DETERMINERS = frozenset(
    """a an the their his her its our your my whose any every each no these those
    such own""".split()
)

# Modifiers that make "needs" a noun: "support needs", "care needs", "complex needs",
# "communication needs". (Words ending in -ing/-ed before "needs" are treated as
# adjectives too: "changing needs", "assessed needs".)
NOUN_MODIFIERS = frozenset(
    """support care health healthcare medical clinical nursing mental physical emotional
    psychological behavioural behavioral communication sensory dietary nutrition nutritional
    hydration cultural religious spiritual social learning educational language access
    accessibility mobility personal continence pain wellbeing well-being development
    training individual specific particular specialist special additional extra different
    diverse varied complex multiple high higher low basic daily ongoing current future
    immediate unmet identified assessed changing holistic practical financial housing
    equality protected disability cognitive sexual end-of-life palliative safety security
    many various all some""".split()
)

# After "need(s)/needed" (not followed by "to"), these show that it is NOT a verb with an
# object: "needs of the population", "needs were met", "as needed by", "needs and wishes".
NOUN_FOLLOWERS = frozenset(
    """of and or were are was is had have has could would will can may might should must
    been being met assessment assessments analysis led based related arising including
    such within in at on for by from with through across throughout which that who when
    where as than effectively appropriately safely well""".split()
)

# "needs/needed X" is a verb with an object when X starts like one of these:
# "The trust needs an engagement plan", "leaders needed the capacity",
# "Staff needed more training". Any word ending in -ing also counts ("needs reviewing").
OBJECT_STARTERS = frozenset(
    """a an the more further additional extra better greater improved clear clearer
    stronger strengthened robust sufficient enough urgent some its their his her this these
    appropriate dedicated specific specialist consistent effective regular formal timely
    proper new continued increased focused targeted full wider much significant considerable
    closer tailored ongoing specialised specialized refresher""".split()
)
# Nouns that can start an object directly: "needs improvement", "needed training".
OBJECT_NOUNS = frozenset(
    """improvement improvements attention work investment refurbishment redecoration repair
    repairs action oversight support training supervision assurance time resources capacity
    leadership staff staffing guidance review development input help clarity funding
    strengthening""".split()
)

# For titles: an object noun that names an action, as the verb to lead the title with.
# "Governance arrangements needed strengthening" -> "Strengthen governance arrangements";
# "Improvements were needed in how staff were deployed" -> "Improve how staff were deployed".
ACTION_NOUN_VERBS = {
    "development": "develop",
    "improvement": "improve",
    "improvements": "improve",
    "strengthening": "strengthen",
    "review": "review",
    "reviewing": "review",
    "refurbishment": "refurbish",
    "redecoration": "redecorate",
    "repair": "repair",
    "repairs": "repair",
    "updating": "update",
    "embedding": "embed",
    "clarification": "clarify",
    "investment": "invest in",
    "work": "work on",
}

# "X needed to <verb>" where X is one of these and the verb is not "be" is a participle
# ("the support needed to improve care", "the skills needed to do the job"): not a
# requirement. "Support needed to be given" still is.
RESOURCE_NOUNS = frozenset(
    """support help resources resource skills skill information equipment time tools
    knowledge clarity capacity funding care treatment guidance confidence training staff
    experience competence""".split()
)

# Tokens after which a resource noun starts a clause as its subject ("…, but staff needed
# to record…"). "and"/"or" are left out: "the time and support needed to do the job".
CLAUSE_OPENERS = frozenset(", ; : but whilst while although though however so".split())

# After "need(ed) to", these show "to" is a preposition, not the start of a verb:
# "Improvements are needed to the environment", "changes needed to its policies". The
# sentence is then read without the "to" ("are needed" still makes it a requirement).
NOT_INFINITIVE = frozenset(
    """the a an its their his her our this these that those some all any each every
    both several many""".split()
)

# "the information it needed to challenge performance", "the resources they need to…": a
# relative clause with its "that" left out (determiner, up to 2 words, pronoun, need)
# describes a thing, not a requirement. These are the pronouns it applies to.
CONTACT_PRONOUNS = frozenset("it they he she".split())

# Verbs of saying and knowing. Two uses:
# - "We told the trust it needed to…", "The trust said it needed to…": after one of these
#   the pronoun starts a reported clause, not a "that"-less relative clause;
# - "The provider told us they need to recruit…", "The registered manager said she needed
#   to…", "The registered manager was aware they needed to review…": the pronoun is whoever
#   reported, so the requirement stands, unless the reporter is the people using the
#   service or the regulator ("People told us they needed…").
REPORTING_VERBS = frozenset(
    """told tells tell said says say explained explains stated states confirmed confirms
    acknowledged acknowledges recognised recognises recognized recognizes agreed agrees
    accepted accepts felt feels knew knows understood understands realised realized
    believed believes thought decided identified advised informed reminded warned asked
    reported reports aware""".split()
)

# --- Descriptions of a rule, not a finding ----------------------------------------

# A "must" inside a clause that reports what someone said or knew describes a rule or an
# experience, not something CQC found the provider must do: "The trust's policy stated that
# staff must…", "National guidance says patients must…", "Staff told us they must often
# work through their breaks", "Staff knew they must report incidents and did so", "The
# manager told us all staff must complete training before they start". Not when the
# regulator is the one reporting ("We told the trust that it must…"). Recognising or
# accepting ("Leaders recognised they must…") is an admission of a gap and still counts.
DESCRIBING_VERBS = frozenset(
    """told tells tell said says say stated states explained explains knew know knows
    understood understand understands required requires specified specifies set sets
    outlined outlines""".split()
)

# The provider as the subject of a reported must: "The chief executive told us the trust must
# improve…" is still a requirement on the trust (unlike "Staff told us they must often…").
PROVIDER_SUBJECTS = frozenset(
    """trust provider practice service home hospital organisation board leaders leadership
    it""".split()
)

# Sources of rules. A must/need attributed to one of these describes what the rule says:
# "Under the Mental Capacity Act, staff must…", "…, according to the trust's training
# policy", "The policy stated that staff needed to…" (for need, only these sources count).
RULE_SOURCES = frozenset(
    """policy policies procedure procedures guidance guideline guidelines law laws legislation
    act regulation regulations standard standards protocol protocols contract contracts
    code sop sops framework""".split()
)
# Openers that attribute the clause that follows to a rule source ("Under the Mental Health
# Act, patients must…", "According to national guidance, …"). Not "in line with" or "in
# accordance with": "In line with national guidance, the trust must ensure…" is a finding.
RULE_FRAMES = ("under", "according to")
# A must followed by these is addressed to the provider even under a frame: "Under the
# Mental Health Act, the trust must ensure that…".
FRAME_EXEMPT_AFTER = frozenset("ensure make".split())
# How far (characters) either side of the keyword a frame is looked for.
RULE_FRAME_WINDOW = 400

# --- Boilerplate -------------------------------------------------------------

# Sentences CQC prints in (almost) every report that are procedure, not an improvement
# action. Case-insensitive regexes searched in the sentence.
BOILERPLATE = (
    # "The provider must send CQC a report that says what action they are going to take…"
    r"\bmust\s+send\s+(?:cqc|us|the\s+commission)\b",
    # "We told the trust that it must take action to bring services into line with legal
    # requirements." (a summary: the actual requirements are listed after it)
    r"\bmust\s+take\s+(?:action|steps)\s+to\s+(?:bring|comply|meet)\b.*\b(?:legal\s+requirements?|"
    r"regulations?|requirement\s+notices?)\b",
    # Counts in a summary: "We found areas for improvement including 10 breaches of legal
    # requirements that the trust must put right", "We found 14 things that the trust
    # should improve to comply with a minimum legal requirement" (listed further on).
    r"\bbreach(?:es)?\s+of\s+(?:the\s+)?legal\s+requirements?\b.*\bmust\s+put\s+right\b",
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many)"
    r"\s+(?:things|areas|breaches|actions)\s+(?:that|which)\s+the\s+\w+\s+(?:must|should)\b",
    # The words of the regulations themselves, quoted in requirement notices: the statute,
    # not a finding about this provider (HSCA 2008 (Regulated Activities) Regulations 2014).
    r"\bensure\s+compliance\s+with\s+the\s+requirements\s+(?:in|of)\s+this\s+part\b",
    # Regulation 17(1), also when paraphrased at its end ("…of the regulation").
    r"^systems\s+(?:or|and)\s+processes\s+must\s+be\s+established\s+and\s+operated\s+effectively\b",
    r"\bin\s+order\s+to\s+meet\s+the\s+requirements\s+of\s+this\s+part\b",
    r"^care\s+and\s+treatment\s+(?:of\s+service\s+users\s+)?must\s+(?:only\s+)?be\s+provided\b",
    r"^service\s+users\s+must\s+be\s+(?:treated|protected)\b",
    r"^the\s+nutritional\s+and\s+hydration\s+needs\s+of\s+service\s+users\s+must\b",
    r"^all\s+premises\s+and\s+equipment\s+used\s+by\s+the\s+service\s+provider\s+must\b",
    r"^any\s+complaint\s+received\s+must\s+be\s+investigated\b",
    r"^persons\s+employed\s+for\s+the\s+purposes\s+of\s+carrying\s+on\s+a\s+regulated\s+activity"
    r"\s+must\b",
    # The definitions printed before the lists in 2019+ reports: "Action the trust MUST take
    # is necessary to comply with its legal obligations. Action a trust SHOULD take is to…"
    r"^action\s+(?:the|a|an)\s+(?:\w+\s+){1,3}?(?:must|should)\s+take\s+is\b",
)
_BOILERPLATE_RE = re.compile("|".join(BOILERPLATE), re.I)

# --- Lead-ins ------------------------------------------------------------------
# A heading containing MUST / SHOULD ("Action the trust MUST take to improve",
# "Areas where the provider should make improvements") or a paragraph ending in ":"
# ("We found that the provider must:", "The trust should:") opens a list whose bullets
# are each one requirement. The scope runs across service sub-headings and ends as
# described at MAJOR_HEADINGS below.
_LEADIN_MUST = re.compile(r"\bmust\b", re.I)
_LEADIN_SHOULD = re.compile(r"\bshould\b", re.I)
_LEADIN_NEEDS = re.compile(r"\bneeds?\s+to\b", re.I)

# A lead-in's list runs on across service sub-headings ("Acute wards for adults of working
# age", "Maternity", "Trust-wide") until one of these ends it: another lead-in, a major
# section heading below, a heading ending in "?" ("Is the service safe?"), an all-capitals
# heading, a markdown heading as high as the lead-in's own, or ordinary prose after the
# list has started. Full-line, case-insensitive regexes.
MAJOR_HEADINGS = (
    r"outstanding practice.*",
    r"(?:notable|good|innovative) practice.*",
    r"areas? for improvement.*",
    r"background(?: to .*)?",
    r"(?:our|detailed|key|overall) findings.*",
    r"summary of (?:findings|this inspection|the inspection).*",
    r"overall summary.*",
    r"requirement notices?.*",
    r"enforcement actions?.*",
    r"regulatory action.*",
    r"this section is primarily information for the provider.*",
    r"action we have (?:told the provider to take|taken).*",
    r"what happens next.*",
    r"our inspection team.*",
    r"(?:why|how) we (?:carried out|have taken|took|undertook) this (?:inspection|action|assessment).*",
    r"information about (?:the|this) (?:service|provider|trust|location|practice).*",
    r"(?:our view of|people'?s experience of|people’s experience of) (?:the|this) service.*",
    r"the (?:five|5) questions we ask.*",
    r"the (?:six|6) population groups.*",
    r"letter from the chief inspector.*",
    r"(?:our )?ratings?(?: for .*)?",
    r"regulated activit(?:y|ies).*",
    r"(?:facts|key facts) and (?:data|figures).*",
    r"(?:safe|effective|caring|responsive|well-led)",
)
_MAJOR_HEADING_RE = re.compile(r"^(?:" + "|".join(MAJOR_HEADINGS) + r")$", re.I)

# Verbs that open a list item written as an instruction ("Ensure that…", "Review…").
# Under a lead-in, a paragraph opening with one of these is a list item whose bullet mark
# was lost in copying (PDF text often drops "•").
IMPERATIVE_VERBS = frozenset(
    """ensure review introduce implement continue consider improve undertake make take
    develop monitor provide complete establish maintain record assess carry put embed
    strengthen increase reduce address audit check update train recruit identify seek
    share support act follow use keep display store""".split()
)

# --- Sentence splitting ----------------------------------------------------------

# A full stop after these is not the end of a sentence ("Dr. Patel", "No. 3", "e.g. The").
ABBREVIATIONS = frozenset(
    """dr mr mrs ms mx prof st no nos vs cllr rev sr jr fig figs ref para paras vol approx
    dept est inc jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e eg ie a.m p.m
    cf al op mt""".split()
)

# Function words that a title should not end on after being cut.
TITLE_TRAILING = frozenset(
    """and or the a an of to for in on at by with must be that which is are was were their
    its this these from as but so than""".split()
)

# Subjects that say nothing on their own in a title ("Improve this"): the finding before
# them is used instead.
TITLE_PRONOUNS = frozenset("this it that these those they".split())

# Participles -> base verbs, for turning "X needed to be reviewed and strengthened" into
# "Review and strengthen X". Irregular or ambiguous forms are listed; regular ones are
# handled by PARTICIPLE_SUFFIXES. An unknown participle falls back to the report wording.
IRREGULAR_PARTICIPLES = {
    "done": "do",
    "made": "make",
    "taken": "take",
    "undertaken": "undertake",
    "given": "give",
    "put": "put",
    "kept": "keep",
    "met": "meet",
    "set": "set",
    "reset": "reset",
    "shown": "show",
    "seen": "see",
    "written": "write",
    "rewritten": "rewrite",
    "brought": "bring",
    "built": "build",
    "rebuilt": "rebuild",
    "held": "hold",
    "led": "lead",
    "sought": "seek",
    "understood": "understand",
    "embedded": "embed",
    "added": "add",
    "planned": "plan",
    "monitored": "monitor",
    "controlled": "control",
    "tailored": "tailor",
    "explored": "explore",
    "restored": "restore",
    "stored": "store",
    "used": "use",
    "focused": "focus",
    "focussed": "focus",
    "included": "include",
    "provided": "provide",
    "recorded": "record",
    "communicated": "communicate",
    "prioritised": "prioritise",
    "prioritized": "prioritize",
    "addressed": "address",
    "shared": "share",
    "prepared": "prepare",
    "compared": "compare",
    "stopped": "stop",
    "developed": "develop",
    "enabled": "enable",
    "scheduled": "schedule",
    "handled": "handle",
    "tackled": "tackle",
    "resolved": "resolve",
    "revised": "revise",
    "raised": "raise",
    "increased": "increase",
    "released": "release",
    "closed": "close",
    "agreed": "agree",
    "freed": "free",
    "sustained": "sustain",
    "refreshed": "refresh",
    "escalated": "escalate",
    "updated": "update",
    "completed": "complete",
    "deleted": "delete",
    "reviewed": "review",
    "followed": "follow",
    "renewed": "renew",
    "checked": "check",
    "tracked": "track",
    "linked": "link",
    "embraced": "embrace",
    "extended": "extend",
    "strengthened": "strengthen",
    "widened": "widen",
    "learned": "learn",
    "learnt": "learn",
    "informed": "inform",
    "performed": "perform",
    "reformed": "reform",
    "transformed": "transform",
    "implemented": "implement",
    "documented": "document",
    "adopted": "adopt",
    "supported": "support",
    "reported": "report",
    "protected": "protect",
    "collected": "collect",
    "conducted": "conduct",
    "adjusted": "adjust",
    "tested": "test",
    "established": "establish",
    "published": "publish",
    "finished": "finish",
    "delivered": "deliver",
    "considered": "consider",
    "registered": "register",
    "maintained": "maintain",
    "trained": "train",
    "aligned": "align",
    "designed": "design",
    "redesigned": "redesign",
    "defined": "define",
    "refined": "refine",
    "determined": "determine",
    "examined": "examine",
    "combined": "combine",
    "ensured": "ensure",
    "measured": "measure",
    "captured": "capture",
    "secured": "secure",
    "structured": "structure",
    "assured": "assure",
    "reduced": "reduce",
    "introduced": "introduce",
    "enforced": "enforce",
    "managed": "manage",
    "changed": "change",
    "engaged": "engage",
    "improved": "improve",
    "involved": "involve",
    "moved": "move",
    "approved": "approve",
    "removed": "remove",
    "achieved": "achieve",
    "received": "receive",
    "evaluated": "evaluate",
    "integrated": "integrate",
    "investigated": "investigate",
    "mitigated": "mitigate",
    "identified": "identify",
    "clarified": "clarify",
    "simplified": "simplify",
    "carried": "carry",
    "audited": "audit",
    "expanded": "expand",
    "rolled": "roll",
    "filled": "fill",
    "recruited": "recruit",
    "accessed": "access",
    "discussed": "discuss",
    "progressed": "progress",
    "assessed": "assess",
    "refurbished": "refurbish",
    "replaced": "replace",
    "repaired": "repair",
    "cleaned": "clean",
    "redecorated": "redecorate",
    "signed": "sign",
    "acted": "act",
}
PARTICIPLE_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ised", "ise"),
    ("ized", "ize"),
    ("ated", "ate"),
    ("ied", "y"),
    ("ssed", "ss"),
    ("ened", "en"),
    ("ured", "ure"),
    ("nted", "nt"),
    ("cted", "ct"),
    ("ained", "ain"),
    ("ored", "or"),
)

# ===========================================================================
# Text units
# ===========================================================================


@dataclass(frozen=True)
class Unit:
    """A heading, or a sentence (or lead-in bullet) with where it sits in the document."""

    text: str  # whitespace collapsed
    context: str  # the block (paragraph / bullet) it belongs to, whitespace collapsed
    section: str | None  # nearest heading above
    line: int  # 1-based source line of the first character
    kind: str  # "heading", "sentence", "leadin" (the lead-in itself) or "bullet" (under one)
    scope: str | None = None  # for kind "bullet": the lead-in's keyword, "must"/"needs"/"should"


_BULLET_RE = re.compile(
    r"^(?:[-•*–·▪◦●○■□►‣⁃]|\d{1,3}[.)]|\(\d{1,3}\)|[a-z][.)]|\([a-z]\)|"
    r"\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)\)|(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)[.)])\s+",
)
_PAGE_NUMBER_RE = re.compile(
    r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$", re.I
)
_TERMINAL_RE = re.compile(r"[.!?:;…][\"'”’)\]]*$")
_MARKDOWN_HEADING_RE = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")
_KEYWORD_WORD_RE = re.compile(r"\b(?:must|should|needs?|needed|needing)\b", re.I)
_HEADING_END_WORDS = frozenset(
    "and or the of to a an in for with by that which on at from as is are was were".split()
)


def _collapse(s: str) -> str:
    """Whitespace collapsed to single spaces, stripped."""
    return " ".join(s.split())


def _is_terminal(line: str) -> bool:
    return bool(_TERMINAL_RE.search(line))


def _starts_lower(line: str) -> bool:
    for ch in line:
        if ch.isalpha():
            return ch.islower()
        if not (ch in "\"'“‘(" or ch.isspace()):
            return False
    return False


def _heading_candidate(line: str) -> bool:
    """A short line without a final full stop, starting with a capital: a heading shape."""
    if len(line) > 100 or _TERMINAL_RE.search(line) and not line.endswith("?"):
        return False
    if line.endswith(","):
        return False
    words = line.split()
    if not words or len(words) > 14:
        return False
    if line.endswith("?") and len(words) > 10:
        return False
    first = next((c for c in line if c.isalnum()), "")
    if not first or (first.isalpha() and not first.isupper()):
        return False
    if words[-1].lower().strip("\"'“”‘’") in _HEADING_END_WORDS:
        return False
    return any(c.isalpha() for c in line)


def _furniture_lines(lines: list[str]) -> set[int]:
    """Indexes of page numbers and repeated running headers/footers (PDF copies)."""
    drop: set[int] = set()
    for i, s in enumerate(lines):
        if s and _PAGE_NUMBER_RE.match(s):
            drop.add(i)
    keys: dict[int, str] = {}
    counts: Counter[str] = Counter()
    for i, s in enumerate(lines):
        if s and i not in drop and len(s) <= 120 and not _KEYWORD_WORD_RE.search(s):
            if s.endswith("?") or _BULLET_RE.match(s):
                continue
            key = re.sub(r"\d+", "#", s.lower())
            keys[i] = key
            counts[key] += 1
    repeated = {k for k, n in counts.items() if n >= 2}
    if not repeated:
        return drop

    def neighbour(i: int, step: int) -> int | None:
        j = i + step
        while 0 <= j < len(lines):
            if lines[j] and j not in drop and keys.get(j) not in repeated:
                return j
            j += step
        return None

    evidence: Counter[str] = Counter()
    for i, key in keys.items():
        if key not in repeated:
            continue
        prev, nxt = neighbour(i, -1), neighbour(i, 1)
        interrupts = (
            prev is not None
            and nxt is not None
            and not _is_terminal(lines[prev])
            and _starts_lower(lines[nxt])
        )
        near_page = any(
            0 <= j < len(lines) and j in drop and _PAGE_NUMBER_RE.match(lines[j] or "x")
            for j in (i - 2, i - 1, i + 1, i + 2)
        ) or any(
            # a running header next to a page footer ("12 X NHS Trust Inspection report
            # 02/03/2018" / "Summary of findings")
            0 <= j < len(lines) and keys.get(j) in repeated and "#" in keys[j] and j != i
            for j in (i - 2, i - 1, i + 1, i + 2)
        )
        if interrupts or near_page or "#" in key:
            evidence[key] += 1
    for i, key in keys.items():
        if key in repeated and (evidence[key] >= 1 and counts[key] >= 3 or evidence[key] >= 2):
            drop.add(i)
    return drop


@dataclass
class _Block:
    kind: str  # "heading", "para", "bullet"
    parts: list[tuple[int, str]]  # (0-based line index, collapsed line text)
    level: int = 0  # markdown heading level ("## X" -> 2); 0 when unknown


# A row of a table flattened to text ("Regulated activity | Regulation"): a block of its own.
_TABLE_ROW_RE = re.compile(r"\s\|(?:\s|$)|^\|")
# A closing parenthetical after a sentence end ("… incidents. (Regulation 12)"): the line
# still ends the sentence.
_TRAILING_PAREN_RE = re.compile(r"(?:^|[.!?:;…][\"'”’]*\s*)\([^()]{1,80}\)$")


def _ends_block(prev_line: str, block: _Block) -> bool:
    """True when the block's text so far ends a sentence (also "…. (Regulation 12)")."""
    if _is_terminal(prev_line):
        return True
    if prev_line.endswith(")"):
        tail = " ".join(p for _, p in block.parts[-2:])
        m = _TRAILING_PAREN_RE.search(tail)
        if m and (m.start() > 0 or len(block.parts) < 2 or _is_terminal(block.parts[-2][1])):
            return True
    return False


def _blocks(text: str) -> list[_Block]:
    """Group lines into headings, paragraphs and bullets (joining hard-wrapped lines)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    raw = text.split("\n")
    lines = [_collapse(line) for line in raw]
    drop = _furniture_lines(lines)
    kept = [s for i, s in enumerate(lines) if s and i not in drop]
    lengths = sorted(len(s) for s in kept)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    long_lines = [i for i, s in enumerate(lines) if len(s) >= 40 and i not in drop]
    breaks = sum(1 for i in long_lines if not _is_terminal(lines[i]))
    wrapped = width <= 130 and breaks >= max(2, len(long_lines) // 4)

    blocks: list[_Block] = []
    cur: _Block | None = None
    prev_line = ""
    for i, s in enumerate(lines):
        if i in drop:
            continue
        if not s:
            cur = None
            continue
        bullet = _BULLET_RE.match(s)
        md = _MARKDOWN_HEADING_RE.match(s)
        table_row = bool(_TABLE_ROW_RE.search(s))
        continuing = False
        if cur is not None and cur.kind != "heading" and not table_row:
            open_end = not _ends_block(prev_line, cur)
            last = prev_line.rsplit(" ", 1)[-1].lower()
            if wrapped:
                # a hard-wrapped copy: a line continues the block unless the block's last
                # line ended a sentence well short of the margin
                continuing = (open_end or (len(prev_line) >= 0.8 * width and not bullet)) and not (
                    open_end and len(prev_line) < 0.5 * width and _heading_candidate(s)
                )
                # a short heading-shaped line after a sentence end is a (sub-)heading, even
                # when the sentence happened to reach the margin: "…department." / "Maternity"
                if (
                    continuing
                    and not open_end
                    and len(s) < 0.6 * width
                    and _heading_candidate(s)
                    and not _next_starts_lower(lines, drop, i)
                ):
                    continuing = False
            else:
                # one paragraph per line: only an obviously broken line continues
                continuing = open_end and (_starts_lower(s) or last in _HEADING_END_WORDS)
        if md:
            level = len(s) - len(s.lstrip("#"))
            blocks.append(_Block("heading", [(i, md.group(1))], level))
            cur = None
        elif table_row:
            blocks.append(_Block("para", [(i, s)]))
            cur = None
        elif bullet and not (continuing and s[: bullet.end()].strip()[:1].isdigit()):
            body = s[bullet.end() :].strip()
            cur = _Block("bullet", [(i, body)] if body else [])
            blocks.append(cur)
        elif continuing and cur is not None:
            cur.parts.append((i, s))
        elif _heading_candidate(s) and not _next_starts_lower(lines, drop, i):
            blocks.append(_Block("heading", [(i, s)]))
            cur = None
        else:
            cur = _Block("para", [(i, s)])
            blocks.append(cur)
        prev_line = s
    return [b for b in blocks if b.parts]


def _next_starts_lower(lines: list[str], drop: set[int], i: int) -> bool:
    for j in range(i + 1, min(len(lines), i + 6)):
        if j in drop:
            continue
        if not lines[j]:
            return False
        return _starts_lower(lines[j])
    return False


# A run of terminators (taken whole, so a line of 20,000 dots is linear) before a space,
# or a lone full stop glued to the next sentence ("we assessed.These areas").
_SENTENCE_END_RE = re.compile(r"(?<![.!?])[.!?]++[\"'”’)\]]*+(?= )|(?<=[a-z]{2})\.(?=[A-Z][a-z])")


def _sentence_spans(s: str) -> list[tuple[int, int]]:
    """Start/end offsets of the sentences in a whitespace-collapsed block."""
    cuts: list[int] = []
    for m in _SENTENCE_END_RE.finditer(s):
        end = m.end()
        if m.group(0)[0] == "." and len(m.group(0)) == 1:
            # the word before the full stop
            j = m.start()
            k = j
            while k > 0 and not s[k - 1].isspace() and s[k - 1] not in '("“‘':
                k -= 1
            word = s[k:j].lower()
            if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
                continue
            if len(word) == 1 and word.isalpha() and s[k].isupper():
                continue  # an initial: "J. Smith"
            if "." in word and len(word) <= 5 and s[end : end + 1] == " ":
                continue  # "U.K. " / "a.m. " abbreviations with inner dots
        if end < len(s) and s[end] == " ":
            nxt = s[end + 1 : end + 2]
            if not nxt or nxt.islower() or nxt in ",;:)":
                continue
            cuts.append(end)
        else:
            cuts.append(end)
    spans = []
    start = 0
    for c in cuts:
        if c > start:
            spans.append((start, c))
        start = c
    spans.append((start, len(s)))
    out = []
    for a, b in spans:
        while a < b and s[a] == " ":
            a += 1
        while b > a and s[b - 1] == " ":
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _leadin_keyword(text: str, heading: bool) -> str | None:
    """The keyword a lead-in opens a list with, or None if the block is not a lead-in."""
    if not heading:
        if not text.endswith(":"):
            return None
        spans = _sentence_spans(text)
        text = text[spans[-1][0] :] if spans else text
    if _LEADIN_MUST.search(text):
        return "must"
    if _LEADIN_NEEDS.search(text):
        return "needs"
    if _LEADIN_SHOULD.search(text):
        return "should"
    return None


def _ends_scope(heading: str, level: int, scope_level: int) -> bool:
    """Does this (non-lead-in) heading end a lead-in's list, or is it a service sub-heading?"""
    if _MAJOR_HEADING_RE.match(heading.strip(" :")) or heading.endswith("?"):
        return True
    letters = [c for c in heading if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return True  # "AREAS FOR IMPROVEMENT"
    return bool(level and scope_level and level <= scope_level)


def _first_word(text: str) -> str:
    m = re.match(r"[\W_]*([A-Za-z]+)", text)
    return m.group(1).lower() if m else ""


def split_units(text: str) -> list[Unit]:
    """The document as headings, sentences and lead-in bullets, in order."""
    units: list[Unit] = []
    section: str | None = None
    scope: str | None = None
    scope_level = 0  # markdown level of the lead-in heading (0: not markdown / a paragraph)
    items = 0  # list items seen under the current lead-in
    for block in _blocks(text):
        starts: list[int] = []
        pieces: list[str] = []
        pos = 0
        for _, part in block.parts:
            starts.append(pos)
            pieces.append(part)
            pos += len(part) + 1
        joined = " ".join(pieces)
        line_of = [idx + 1 for idx, _ in block.parts]
        if block.kind == "heading":
            section = joined
            keyword = _leadin_keyword(joined, heading=True)
            if keyword:
                scope, scope_level, items = keyword, block.level, 0
            elif scope and _ends_scope(joined, block.level, scope_level):
                scope = None
            units.append(Unit(joined, joined, section, line_of[0], "heading"))
            continue
        if block.kind == "para":
            keyword = _leadin_keyword(joined, heading=False)
            if keyword:
                scope, scope_level, items = keyword, 0, 0
                units.append(Unit(joined, joined, section, line_of[0], "leadin"))
                continue
            if scope and not joined.endswith(":") and _first_word(joined) in IMPERATIVE_VERBS:
                # a list item whose bullet mark was lost in copying
                items += 1
                units.append(Unit(joined, joined, section, line_of[0], "bullet", scope))
                continue
            if scope and items:
                trig = _find_trigger(joined[:CLASSIFY_CHARS])
                if trig is not None and trig.keyword in (scope, "must"):
                    items += 1  # "The trust must ensure…" written without a bullet mark
                else:
                    scope = None  # ordinary prose after the list: the list has ended
        elif scope and not joined.endswith(":"):
            items += 1
            units.append(Unit(joined, joined, section, line_of[0], "bullet", scope))
            continue
        for a, b in _sentence_spans(joined):
            line = line_of[bisect_right(starts, a) - 1]
            units.append(Unit(joined[a:b], joined, section, line, "sentence"))
    return units


# ===========================================================================
# Requirement detection
# ===========================================================================

_TOKEN_RE = re.compile(r"[\w’'\-]+|[^\w\s]")
_TRIGGER_RE = re.compile(
    r"\b(?:(?P<must>must)|(?P<should>should)|(?P<need>needs|needed|need|needing))\b", re.I
)
_THERE_NEED_RE = re.compile(
    r"\bthere\s+(?:is|was|are|were|remains|remained|will\s+be|continues\s+to\s+be)\s+"
    r"(?:still\s+)?(?:an?\s+)?(?!no\b|little\b)(?:\w+\s+)?need\s+(?:for|to)\b",
    re.I,
)
# Keyword words looked at per sentence (guards against pathological input).
MAX_TRIGGERS_PER_SENTENCE = 40

# When a sentence has several "need" triggers, the one that makes the clearest title wins.
NEED_KIND_RANK = (
    "to_active",
    "to_passive",
    "verb_object",
    "be_needed",
    "needing",
    "in_need_of",
    "there",
)
_BE_WORDS = frozenset("is are was were be been being remains remained".split())
_ADVERBISH = frozenset("still also further urgently clearly now therefore really".split())


@dataclass(frozen=True)
class _Trigger:
    keyword: str  # must / needs / should
    kind: str  # must, should, to_active, to_passive, be_needed, verb_object, needing, there
    start: int  # span of matched in the sentence
    end: int
    key_start: int  # where the keyword word itself starts
    key_end: int


def _tokens_before(s: str, end: int, limit: int = 30) -> list[tuple[str, int, int]]:
    """Up to ``limit`` tokens (lower-cased text, start, end) before offset ``end``."""
    lo = max(0, end - 300)
    toks = [
        (m.group(0).lower(), m.start() + lo, m.end() + lo) for m in _TOKEN_RE.finditer(s, lo, end)
    ]
    if lo > 0 and toks:
        toks = toks[1:]
    return toks[-limit:]


def _tokens_after(s: str, start: int, limit: int = 6) -> list[tuple[str, int, int]]:
    out = []
    for m in _TOKEN_RE.finditer(s, start, min(len(s), start + 200)):
        out.append((m.group(0).lower(), m.start(), m.end()))
        if len(out) >= limit:
            break
    return out


def _norm_tok(t: str) -> str:
    return t.replace("’", "'")


def _is_possessive(t: str) -> bool:
    t = _norm_tok(t)
    return t.endswith("'s") or t.endswith("s'")


def _clause_before(toks: list[tuple[str, int, int]]) -> list[str]:
    """Tokens of the clause before the keyword (back to punctuation or a conjunction)."""
    out: list[str] = []
    for t, _, _ in reversed(toks):
        if not (t[0].isalnum() or t[0] == "'" or t[0] == "’") or t in BOUNDARY_WORDS:
            break
        out.append(t)
    out.reverse()
    return out


def _head(clause: list[str]) -> str | None:
    """The word right before the keyword, skipping auxiliaries and adverbs."""
    for t in reversed(clause):
        if t in SKIP_BEFORE_KEYWORD:
            continue
        return _norm_tok(t)
    return None


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


_QUOTE_CHARS_RE = re.compile(r"[“”\"‘’()]")


def _quoted_spans(s: str) -> list[tuple[int, int]]:
    """Spans of quoted speech and parentheses ("requirements (actions … must comply with)")."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    straight: int | None = None
    single: int | None = None
    depth_start: int | None = None
    depth = 0
    for qm in _QUOTE_CHARS_RE.finditer(s):
        i, ch = qm.start(), qm.group(0)
        if ch == "“" and open_at is None:
            open_at = i
        elif ch == "”" and open_at is not None:
            spans.append((open_at, i + 1))
            open_at = None
        elif ch == '"':
            if straight is None:
                straight = i
            else:
                spans.append((straight, i + 1))
                straight = None
        elif ch == "‘" and (i == 0 or not s[i - 1].isalnum()) and single is None:
            single = i
        elif ch == "’" and single is not None and (i + 1 == len(s) or not s[i + 1].isalnum()):
            if not (s[i - 1 : i] == "s" and i + 1 < len(s) and s[i + 1] == " " and i - single < 4):
                spans.append((single, i + 1))
                single = None
        elif ch == "(":
            if depth == 0:
                depth_start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0 and depth_start is not None:
                spans.append((depth_start, i + 1))
    if open_at is not None:
        spans.append((open_at, len(s)))  # a quote running to the end of the paragraph
    return spans


def _people_head_of(clause: list[str]) -> bool:
    """The clause opens with a people noun phrase: "(Some) people who …", "Patients on …"."""
    i = 0
    while i < len(clause) and (clause[i] in NOUN_DETERMINERS or clause[i] in NOUN_MODIFIERS):
        i += 1
    if i >= len(clause) or clause[i] not in PEOPLE_SUBJECTS or clause[i] in ("who", "whom"):
        return False
    return i + 1 < len(clause) and clause[i + 1] in PEOPLE_POSTMODIFIERS


def _reporter(clause: list[str]) -> str | None:
    """For "<reporter> told us (that) they need…", the reporter's head word, else None.

    None too when the reporter's words include the people using the service or the
    regulator ("People we spoke with told us they needed…"): the pronoun stays theirs.
    """
    if not clause or clause[-1] not in CONTACT_PRONOUNS:
        return None
    i = len(clause) - 2
    if i >= 0 and clause[i] == "that":
        i -= 1
    if i >= 0 and clause[i] in ("us", "me", "inspectors"):
        i -= 1
    if i < 1 or clause[i] not in REPORTING_VERBS:
        return None
    lead = clause[:i]
    while lead and lead[-1] in SKIP_BEFORE_KEYWORD:
        lead = lead[:-1]
    if not lead or any(t in PEOPLE_SUBJECTS or t in REGULATOR_SUBJECTS for t in lead):
        return None
    return _norm_tok(lead[-1])


def _contact_relative(clause: list[str]) -> bool:
    """ "the information it needed", "the support they need": a "that"-less relative clause."""
    toks = list(clause)
    while toks and toks[-1] in SKIP_BEFORE_KEYWORD:
        toks.pop()
    if len(toks) < 3 or toks[-1] not in CONTACT_PRONOUNS:
        return False
    for n in (1, 2):
        if len(toks) < n + 2:
            break
        det = toks[-2 - n]
        words = toks[-1 - n : -1]
        if det not in NOUN_DETERMINERS or det in ("no",):
            continue
        if any(w in REPORTING_VERBS or w in _BE_WORDS or not w[0].isalpha() for w in words):
            continue
        if len(toks) > n + 2 and toks[-3 - n] in REPORTING_VERBS:
            continue  # "We told the trust it needed to…"
        return True
    return False


def _subject_blocked(clause: list[str], head: str | None, *, people: bool) -> bool:
    """True when the subject is the regulator (or, for need, the people using services)."""
    if head in REGULATOR_SUBJECTS:
        return True
    if people and head in CONTACT_PRONOUNS:
        if _contact_relative(clause):
            return True
        head = _reporter(clause) or head
    if people and head in PEOPLE_SUBJECTS:
        return True
    if people and _people_head_of(clause):
        return True
    if people:
        for idx, t in enumerate(clause):
            if t in SUBORDINATORS:
                return True
            if t == "as" and len(clause) - idx <= AS_WINDOW:
                before = clause[idx - 1] if idx else ""
                if before not in ("such", "well"):
                    return True
    if head is not None and (head in NEGATIONS or head.endswith("n't")):
        return True
    return False


def _classify_need(s: str, m: re.Match[str]) -> _Trigger | None:
    """Is this need/needs/needed/needing a requirement? Returns the trigger or None."""
    word = m.group("need").lower()
    ks, ke = m.start(), m.end()
    before = _tokens_before(s, ks)
    after = _tokens_after(s, ke)
    clause = _clause_before(before)
    head = _head(clause)
    prev = clause[-1] if clause else None
    nxt = after[0][0] if after else None
    if nxt == "-" or (before and before[-1][0] == "-"):
        return None  # "needs-led", "high-needs"

    if word == "needing":
        # "people with complex needs needing two staff": who is needing is nearby
        if any(t in PEOPLE_SUBJECTS for t in clause[-NEEDING_WINDOW:]):
            return None
        if len(clause) == len(before) and not any(
            t in _BE_WORDS or t in ("had", "has", "have") for t in clause
        ):
            return None  # in the opening noun phrase: "Managers needing advice did not…"
        if _subject_blocked(clause, head, people=True):
            return None
        return _Trigger("needs", "needing", ks, ke, ks, ke)

    if word == "need" and prev == "in" and nxt == "of":
        # "the laundry room was in need of repair" (but not "children in need of protection")
        if any(t in PEOPLE_SUBJECTS for t in clause[-NEEDING_WINDOW:]):
            return None
        if _subject_blocked(clause[:-1], _head(clause[:-1]), people=True):
            return None
        return _Trigger("needs", "in_need_of", before[-1][1], after[0][2], ks, ke)

    verb = after[1][0] if nxt == "to" and len(after) > 1 else None
    if nxt == "to" and (verb is None or not verb[0].isalpha()):
        return None
    if nxt == "to" and verb not in NOT_INFINITIVE:
        if (
            word != "needed"
            and prev is not None
            and (prev in NOUN_DETERMINERS or _is_possessive(prev))
        ):
            return None  # "the need to improve", "their need to" (but "these needed to be…")
        if word == "needed" and prev in RESOURCE_NOUNS and verb != "be":
            # "the support needed to improve care"; but a resource noun opening a sentence or
            # a clause is the subject: "…, but staff needed to record observations"
            opener = len(before) < 2 or before[-2][0] in CLAUSE_OPENERS
            if not opener:
                return None
        if _subject_blocked(clause, head, people=True):
            return None
        kind = "to_passive" if verb == "be" else "to_active"
        return _Trigger("needs", kind, ks, after[0][2], ks, ke)

    if (
        word == "needed"
        and prev in _BE_WORDS
        or (word == "needed" and prev in _ADVERBISH and len(clause) > 1 and clause[-2] in _BE_WORDS)
    ):
        if _subject_blocked(clause, None, people=True):
            return None
        be_at = len(clause) - 1 if prev in _BE_WORDS else len(clause) - 2
        be_tok = before[len(before) - (len(clause) - be_at)]
        return _Trigger("needs", "be_needed", be_tok[1], ke, ks, ke)

    # bare verb with an object: "The trust needs an engagement plan"
    if nxt is None or nxt in NOUN_FOLLOWERS:
        return None
    if not (nxt in OBJECT_STARTERS or nxt in OBJECT_NOUNS or nxt.endswith("ing")):
        return None
    if prev is None:
        # "The arrangements were new and needed further development": the subject is
        # shared with the clause before "and"/"but", which must have a verb of its own
        # (so "people's wishes and needs more…" stays a noun).
        if not before or before[-1][0] not in ("and", "but"):
            return None  # sentence-initial "Needs …" is a noun
        earlier = _clause_before(before[:-1])
        if not any(t in _BE_WORDS or t in ("had", "has", "have") for t in earlier):
            return None
        lead = [t for t in earlier if t not in NOUN_DETERMINERS and t not in NOUN_MODIFIERS]
        if _subject_blocked(earlier, None, people=True) or (lead and lead[0] in PEOPLE_SUBJECTS):
            return None  # "The patients we spoke with were positive and needed more time"
        return _Trigger("needs", "verb_object", ks, ke, ks, ke)
    if prev in NOUN_DETERMINERS or _is_possessive(prev) or prev in NOUN_MODIFIERS:
        return None
    if word in ("need", "needs") and (prev.endswith("ing") or prev.endswith("ed")):
        return None  # "changing needs", "assessed needs"
    if word == "needed" and prev in NOUN_DETERMINERS:
        return None
    if _subject_blocked(clause, head, people=True):
        return None
    return _Trigger("needs", "verb_object", ks, ke, ks, ke)


_RULE_SOURCES_ALT = "|".join(sorted(RULE_SOURCES))
_FRAME_RE = re.compile(
    r"(?:^|[.;:,]\s*)(?:" + "|".join(f.replace(" ", r"\s+") for f in RULE_FRAMES) + r")\b"
    r"[^,;:.]*\b(?:" + _RULE_SOURCES_ALT + r")\b[^,;:.]*,\s*[^,;:]*$",
    re.I,
)
_TRAILING_FRAME_RE = re.compile(
    r"^[^;:]*,\s*according\s+to\b[^,;:]*\b(?:" + _RULE_SOURCES_ALT + r")\b[^,;:]*(?:[.;:]|$)",
    re.I,
)


def _describes_rule(s: str, m: re.Match[str], clause: list[str], *, must: bool) -> bool:
    """The must/need at ``m`` describes a rule (a policy, guidance, the law) or what someone
    said or knew, rather than a finding. See DESCRIBING_VERBS and RULE_SOURCES."""
    for i, t in enumerate(clause):
        if t not in DESCRIBING_VERBS:
            continue
        lead = [w for w in clause[:i] if w not in SKIP_BEFORE_KEYWORD]
        reporter = _norm_tok(lead[-1]) if lead else None
        if reporter in _BE_WORDS:
            continue  # passive: "The trust was told it must improve…" (by the regulator)
        if any(w in RULE_SOURCES for w in lead):
            return True  # "The trust's policy stated that…", "National guidance says…"
        said = [w for w in clause[i + 1 :] if w not in ("us", "me", "that")]
        if said and _norm_tok(said[-1]) in PROVIDER_SUBJECTS:
            continue  # "The chief executive told us the trust must improve…"
        if must and reporter not in REGULATOR_SUBJECTS and (lead or i):
            return True  # "Staff told us they must…", "Staff knew they must…"
    lo = max(0, m.start() - RULE_FRAME_WINDOW)
    prefix = s[lo : m.start()]
    if lo:
        prefix = prefix[len(prefix.split(maxsplit=1)[0]) :] if prefix.strip() else ""
    if _FRAME_RE.search(prefix):
        after = _tokens_after(s, m.end(), 2)
        if not (after and after[0][0] in FRAME_EXEMPT_AFTER):
            return True  # "Under the Mental Capacity Act, staff must assess…"
    if _TRAILING_FRAME_RE.search(s[m.end() : m.end() + RULE_FRAME_WINDOW]):
        return True  # "Midwives must complete …, according to the trust's training policy."
    return False


def _find_trigger(s: str) -> _Trigger | None:
    """The strongest requirement trigger in a sentence (must > needs > should), or None."""
    if _BOILERPLATE_RE.search(s):
        return None
    quoted = _quoted_spans(s)
    found: dict[str, _Trigger] = {}
    for count, m in enumerate(_TRIGGER_RE.finditer(s)):
        if "must" in found or count >= MAX_TRIGGERS_PER_SENTENCE:
            break  # nothing outranks must; a "sentence" of hundreds of needs is not prose
        if _in_spans(m.start(), quoted):
            continue
        if m.group("must"):
            if "must" in found:
                continue
            clause = _clause_before(_tokens_before(s, m.start()))
            head = _head(clause)
            if _subject_blocked(clause, head, people=False):
                continue
            if _describes_rule(s, m, clause, must=True):
                continue
            after = _tokens_after(s, m.end(), 4)
            end = m.end()
            if after and after[0][0] == "not":
                end = after[0][2]
                after = after[1:]
            if after[:3] and [t for t, _, _ in after[:3]] == ["be", "able", "to"]:
                end = after[2][2]
            elif after and after[0][0].isalpha() and s[after[0][1]].islower():
                end = after[0][2]
            found["must"] = _Trigger("must", "must", m.start(), end, m.start(), m.end())
        elif m.group("should"):
            if "should" in found:
                continue
            clause = _clause_before(_tokens_before(s, m.start()))
            head = _head(clause)
            after = _tokens_after(s, m.end(), 2)
            if head in REGULATOR_SUBJECTS or any(t in SUBORDINATORS for t in clause):
                continue
            if any(t == "as" for t in clause[-AS_WINDOW:]) or (prev_is_wh(clause)):
                continue
            if after and (after[0][0] in PEOPLE_SUBJECTS or after[0][0] in ("it", "there")):
                continue  # "Should they need help" (conditional)
            end = m.end()
            if after and after[0][0].isalpha() and s[after[0][1]].islower():
                end = after[0][2]
            found["should"] = _Trigger("should", "should", m.start(), end, m.start(), m.end())
        elif "needs" not in found or found["needs"].kind != NEED_KIND_RANK[0]:
            trig = _classify_need(s, m)
            if trig is not None and _describes_rule(
                s, m, _clause_before(_tokens_before(s, m.start())), must=False
            ):
                trig = None
            if trig is not None and (
                "needs" not in found
                or NEED_KIND_RANK.index(trig.kind) < NEED_KIND_RANK.index(found["needs"].kind)
            ):
                found["needs"] = trig
    if "needs" not in found:
        tm = _THERE_NEED_RE.search(s)
        lead = _tokens_before(s, tm.start(), 1) if tm else []
        if lead and lead[0][0] in SUBORDINATORS:
            tm = None  # "shows why there is a need for…", "where there was a need"
        if tm and not _in_spans(tm.start(), quoted):
            found["needs"] = _Trigger("needs", "there", tm.start(), tm.end(), tm.start(), tm.end())
    for key in ("must", "needs", "should"):
        if key in found:
            return found[key]
    return None


def prev_is_wh(clause: list[str]) -> bool:
    """True for embedded questions: "staff knew who they should contact"."""
    return any(t in ("who", "whom", "which") for t in clause[-3:])


# ===========================================================================
# Titles
# ===========================================================================


_LIST_TAIL_RE = re.compile(r"[\w’'-]+(?:, [\w’'-]+)*,? (?:and|or) ")


def _finish_title(t: str) -> str:
    """Capitalise, trim trailing punctuation, keep to 80 characters at a word boundary."""
    t = _collapse(t).strip(" .;:,")
    if not t:
        return ""
    if t[0].islower():
        t = t[0].upper() + t[1:]
    if len(t) <= 80:
        return t
    for sep in (", ", "; ", " – ", " — ", " - "):
        k = t.find(sep, 35, 81)
        if k != -1 and sep == ", " and _LIST_TAIL_RE.match(t[k + 2 :]):
            continue  # a comma inside "suitably qualified, competent, skilled and experienced"
        if k != -1 and not re.match(r"(?:including|such as|e\.g\.|for example)\b", t[k + 2 :]):
            return t[:k].rstrip(" ,;")
    cut = t[:79]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    words = cut.split(" ")
    while len(words) > 3 and words[-1].lower().strip(",;:") in TITLE_TRAILING:
        words.pop()
    return " ".join(words).rstrip(" ,;:.–-") + "…"


def _base_verb(word: str) -> str | None:
    w = word.lower()
    if w in IRREGULAR_PARTICIPLES:
        return IRREGULAR_PARTICIPLES[w]
    for suffix, repl in PARTICIPLE_SUFFIXES:
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            return w[: -len(suffix)] + repl
    return None


def _subject_np(s: str, end: int) -> tuple[int, int] | None:
    """Span of the noun phrase right before offset ``end`` ("the success of these interventions")."""
    toks = _tokens_before(s, end, 14)
    while toks and toks[-1][0] in SKIP_BEFORE_KEYWORD:
        toks.pop()
    stop_words = (
        BOUNDARY_WORDS
        | _BE_WORDS
        | SUBORDINATORS
        | {
            "that",
            "which",
            "who",
            "had",
            "has",
            "have",
            "did",
            "does",
            "do",
            "will",
            "would",
            "should",
            "must",
            "can",
            "could",
            "as",
        }
    )
    preps = {
        "of",
        "for",
        "in",
        "across",
        "from",
        "within",
        "at",
        "on",
        "to",
        "between",
        "by",
        "with",
    }
    taken: list[tuple[str, int, int]] = []
    i = len(toks) - 1
    while i >= 0:
        t = toks[i][0]
        if not t[0].isalnum() or t in stop_words:
            break
        taken.append(toks[i])
        if t in NOUN_DETERMINERS or t in ("this", "these", "those", "that", "some", "more", "all"):
            if i > 0 and toks[i - 1][0] in preps:
                i -= 1
                continue
            break
        i -= 1
        if len(taken) > 10:
            return None
    if not taken:
        return None
    return taken[-1][1], taken[0][2]


def _sentence_subject(s: str) -> tuple[int, int] | None:
    """The sentence's opening noun phrase, up to its first auxiliary ("Succession planning")."""
    toks = _tokens_after(s, 0, 14)
    for idx, (t, _, _) in enumerate(toks):
        if t in _BE_WORDS or t in ("had", "has", "have", "did", "does", "do", "will", "would"):
            if idx == 0:
                return None
            return toks[0][1], toks[idx - 1][2]
        if not t[0].isalnum():
            return None
    return None


def _lower_first(phrase: str, at_sentence_start: bool) -> str:
    if at_sentence_start and phrase[:1].isupper() and phrase[1:2].islower():
        return phrase[0].lower() + phrase[1:]
    return phrase


def _clause_from(s: str, pos: int) -> str:
    """The sentence from the start of the clause containing ``pos``."""
    best = 0
    for m in re.finditer(r"[,;:]\s+|\b(?:but|whilst|while|although|however)\s+", s[:pos], re.I):
        best = m.end()
    return s[best:]


def _passive_title(s: str, trig: _Trigger, rest_from: int) -> str | None:
    """ "X needs to be reviewed and strengthened" -> "Review and strengthen X"."""
    after = _tokens_after(s, rest_from, 12)
    if not after or after[0][0] != "be":
        return None
    verbs: list[str] = []
    i = 1
    end = after[0][2]
    while i < len(after):
        t, a, b = after[i]
        adverb = ""
        if t.endswith("ly") and i + 1 < len(after):
            adverb = t + " "
            i += 1
            t, a, b = after[i]
        base = _base_verb(t)
        if base is None:
            break
        verbs.append(adverb + base)
        end = b
        i += 1
        if i < len(after) and after[i][0] in ("and", ",") and i + 1 < len(after):
            i += 1
            continue
        break
    if not verbs:
        return None
    remainder = s[end:].strip()
    if verbs == ["do"] and remainder.lower().startswith("to "):
        return remainder[3:]
    span = _subject_np(s, trig.key_start)
    if span is None:
        span = _sentence_subject(s)
        if span is None:
            return None
    subject = _lower_first(s[span[0] : span[1]], span[0] == 0)
    head = subject.split()[-1].lower() if subject.split() else ""
    if subject.lower() in ("more", "this", "it", "that") or head in REGULATOR_SUBJECTS:
        return None
    return " and ".join(verbs) + " " + subject + (" " + remainder if remainder else "")


def _plural(subject: str) -> bool:
    head = subject.split()[-1].lower() if subject.split() else ""
    return head in ("staff", "they", "teams", "people") or (
        head.endswith("s") and not head.endswith("ss")
    )


def _action_title(s: str, span: tuple[int, int], obj_from: int) -> str | None:
    """ "X needed (further) development / strengthening" -> "(Further) develop / Strengthen X"."""
    after = _tokens_after(s, obj_from, 3)
    modifier = ""
    if after and after[0][0] in ("further", "more", "urgent", "some", "significant"):
        modifier = {
            "further": "further ",
            "urgent": "urgently ",
            "significant": "significantly ",
        }.get(after[0][0], "")
        after = after[1:]
    if not after or after[0][0] not in ACTION_NOUN_VERBS:
        return None
    verb = ACTION_NOUN_VERBS[after[0][0]]
    subject = _lower_first(s[span[0] : span[1]], span[0] == 0)
    rest = s[after[0][2] :]
    tail = rest if re.match(r"\s+(?:to|so|in|on|of|for|across|with|by)\b", rest) else ""
    return f"{modifier}{verb} {subject}{tail}"


def _pronoun_title(s: str, trig: _Trigger) -> str | None:
    """ "Staff did not always complete X, and this needed improvement" -> "Improve: staff
    did not always complete X" (the finding before the pronoun, led by the action)."""
    after = _tokens_after(s, trig.key_end, 2)
    modifier = ""
    if after and after[0][0] == "further":
        modifier, after = "further ", after[1:]
    if not after or after[0][0] not in ACTION_NOUN_VERBS or after[0][0] == "work":
        return None
    found = None
    for m in re.finditer(r"\b(?:this|it|these)\b", s[: trig.key_start], re.I):
        found = m
    if found is None:
        return None
    finding = s[: found.start()].rstrip(" ,;")
    tail = re.search(r"\b(?:and|but|although|however|which|so)$", finding, re.I)
    if tail:
        finding = finding[: tail.start()].rstrip(" ,;")
    if len(finding.split()) < 3:
        return None
    verb = modifier + ACTION_NOUN_VERBS[after[0][0]]
    return f"{verb}: {_lower_first(finding, True)}"


def _improve_in_title(s: str, trig: _Trigger) -> str | None:
    """ "Improvements were needed in how staff were deployed" -> "Improve how staff were deployed"."""
    span = _subject_np(s, trig.start)
    if not span:
        return None
    words = s[span[0] : span[1]].split()
    verb = ACTION_NOUN_VERBS.get(words[-1].lower()) if words else None
    if not verb or len(words) > 3:
        return None
    m = re.match(r"\s*(?:in|to|with|around|across|on)\s+(.+)", s[trig.key_end :])
    if not m:
        return None
    return f"{verb} {m.group(1)}"


def _make_title(s: str, trig: _Trigger | None, bullet: bool) -> str:
    """A short action title for a requirement sentence."""
    title: str | None = None
    if trig is None:
        title = s  # a verb-first bullet under a lead-in: it already reads as an action
    elif trig.kind in ("must", "should"):
        rest = s[trig.key_end :].lstrip()
        low = rest.lower()
        if low.startswith("not "):
            title = "Do not " + rest[4:]
        elif low.startswith("be able to ") and (able := _subject_np(s, trig.key_start)):
            subject = _lower_first(s[able[0] : able[1]], able[0] == 0)
            title = f"Ensure {subject} {'are' if _plural(subject) else 'is'} {rest[3:]}"
        elif low.startswith("be ") and not low.startswith("be able"):
            title = _passive_title(s, trig, trig.key_end)
            if title is None:
                span = _subject_np(s, trig.key_start)
                title = s[span[0] :] if span else _clause_from(s, trig.key_start)
        else:
            title = rest
    elif trig.kind == "to_active":
        title = s[trig.end :]
    elif trig.kind == "to_passive":
        title = _passive_title(s, trig, trig.end)
        if title is None:
            title = _clause_from(s, trig.key_start)
    elif trig.kind == "verb_object":
        span = _subject_np(s, trig.key_start)
        pronoun = _pronoun_title(s, trig) if span is None else None
        if span is None and pronoun is None:
            span = _sentence_subject(s)  # "X was new and needed further development"
        if span and s[span[0] : span[1]].lower() in TITLE_PRONOUNS:
            span, pronoun = None, _pronoun_title(s, trig)  # "… and this needed improvement"
        obj = s[trig.key_end :].strip()
        first = obj.split(" ", 1)[0].lower() if obj else ""
        action = _action_title(s, span, trig.key_end) if span else pronoun
        if action:
            title = action
        elif span and (first in OBJECT_STARTERS or first in OBJECT_NOUNS):
            subject = _lower_first(s[span[0] : span[1]], span[0] == 0)
            title = f"Ensure {subject} {'have' if _plural(subject) else 'has'} {obj}"
        else:
            title = _clause_from(s, trig.key_start)
    elif trig.kind == "there" and s[: trig.end].lower().endswith("to"):
        title = s[trig.end :]  # "There was a need to strengthen X" -> "Strengthen X"
    elif trig.kind == "be_needed":
        title = _improve_in_title(s, trig) or _clause_from(s, trig.key_start)
    else:
        title = _clause_from(s, trig.key_start)
    if title and re.fullmatch(r"\w+ (?:it|them)\W*", title.strip()):
        # "more needed to be done to improve it": say what "it" is when the sentence opens
        # with it ("Patient feedback on telephone access was below the local average…")
        span = _sentence_subject(s)
        if span:
            verb = title.strip().split(" ", 1)[0]
            title = f"{verb} {_lower_first(s[span[0] : span[1]], True)}"
    out = _finish_title(title or s)
    return out or _finish_title(s) or s[:80]


# Only this much of a (pathologically long) sentence or paragraph is used to classify it.
CLASSIFY_CHARS = 2000

# ===========================================================================
# Public functions
# ===========================================================================


def extract_requirements(text: str, *, include_should: bool = False) -> list[Requirement]:
    """Every must/needs requirement in the text, in document order.

    With ``include_should`` the advisory "should" findings (and bullets under a "should"
    lead-in) are returned too, with keyword "should".
    """
    out: list[Requirement] = []
    for unit in split_units(text):
        if unit.kind in ("heading", "leadin"):
            continue
        s = unit.text
        trig = _find_trigger(s)
        if unit.kind == "bullet":
            keyword = unit.scope or "must"
            if trig is not None and trig.keyword != keyword:
                trig = None
            matched = s[trig.start : trig.end] if trig else ""
        else:
            if trig is None:
                continue
            keyword = trig.keyword
            matched = s[trig.start : trig.end]
        if keyword == "should" and not include_should:
            continue
        out.append(
            Requirement(
                text=s,
                context=unit.context,
                section=unit.section,
                line=unit.line,
                position=len(out) + 1,
                keyword=keyword,
                matched=matched,
                title=_make_title(s, trig, unit.kind == "bullet"),
                quality_statement=classify(s[:CLASSIFY_CHARS], unit.context[:CLASSIFY_CHARS]),
            )
        )
    return out


# Lines at the top of a CQC report that are labels, not the report's name.
TITLE_BOILERPLATE = (
    r"^[A-Z][A-Z &/,'’-]{2,40}$",  # "SERVICE PROVIDER", "CARE HOME" (case-sensitive)
    r"(?i:^this is an? \w+)",  # "This is an organisation that runs the … services we inspect"
    r"(?i:^(?:skip to|cookies?\b|menu$|search$|home$|print$|share$|back to))",
    r"(?i:^(?:care quality commission|cqc)$)",
    r"(?i:^we are the independent regulator)",
    r"(?i:^(?:ratings?|overall rating)\b)",
)
_TITLE_BOILERPLATE_RE = re.compile("|".join(TITLE_BOILERPLATE))
_REPORT_LINE_RE = re.compile(
    r"\b(?:report|inspection|inspected|assessment|assessed|published|visit)\b.*"
    r"(?:\b\d{4}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b)",
    re.I,
)


def document_title(text: str) -> str | None:
    """The report's title, for naming the report when --report is not given.

    The first substantial line that is not a label ("- SERVICE PROVIDER") or boilerplate,
    followed by the report/assessment date line if one comes right after it:
    "Cambridgeshire and Peterborough NHS Foundation Trust — Report from 17 July 2025 assessment".
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = text.split("\n")
    furniture = _furniture_lines([_collapse(x) for x in raw_lines])
    candidates: list[str] = []
    for i, raw in enumerate(raw_lines[:200]):
        if i in furniture:
            continue
        line = _collapse(raw)
        md = _MARKDOWN_HEADING_RE.match(line)
        if md:
            line = md.group(1)
        bullet = _BULLET_RE.match(line)
        if bullet:
            line = line[bullet.end() :]
        line = line.strip(" -–—•*")
        if not line or _PAGE_NUMBER_RE.match(line) or not any(c.isalpha() for c in line):
            continue
        if _TITLE_BOILERPLATE_RE.search(line):
            continue
        candidates.append(line)
        if len(candidates) >= 5:
            break
    if not candidates:
        return None
    name = candidates[0]
    title = name
    if not _REPORT_LINE_RE.search(name):
        for other in candidates[1:4]:
            if len(other) <= 80 and _REPORT_LINE_RE.search(other):
                title = f"{name} — {other}"
                break
    if len(title) > 120:
        cut = title[:119]
        cut = cut[: cut.rfind(" ")] if " " in cut else cut
        title = cut.rstrip(" ,;:—-") + "…"
    return title
