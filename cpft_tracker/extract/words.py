"""The word tables of the extractor, as data: plain frozensets, dicts and regex sources.

All entries are lower case. Extend these rather than code (see rules.py for how each is used).
"""

from __future__ import annotations

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
# "patients needed…", "people who needed support", "when they needed it" ("callers" are the
# people a 999 or NHS 111 service serves: "Some callers needed to ring back…").
# Note: "staff" and "leaders" are deliberately absent ("Staff needed more training" is one).
PEOPLE_SUBJECTS = frozenset(
    """people person persons patient patients resident residents client clients user users
    relative relatives carer carers family families child children baby babies mother mothers
    woman women man men adult adults individual individuals tenant tenants visitor visitors
    prisoner prisoners detainee detainees journalists
    caller callers public population those anyone everyone someone somebody anybody who whom whoever
    he she i you they them he'd she'd they'd i'd""".split()
)

# The people nouns (not the pronouns, not carers, who may be care workers) as the subject of
# a must: "Visitors must sign in…", "Patients must wait…" is a rule for them or their
# experience, never an action on the provider.
PEOPLE_NOUNS = PEOPLE_SUBJECTS - frozenset(
    """carer carers he she i you they them he'd she'd they'd i'd who whom whoever those
    anyone everyone someone somebody anybody""".split()
)
# Sections that describe the service, not what was found: a must/should there whose subject
# is not the provider says how the service works ("Referrals must come from a GP").
DESCRIPTIVE_SECTIONS = frozenset(
    entry.strip()
    for entry in """about the service|background to the service|overview of the service|the service|
    service and service type|background to this inspection|about this service|
    how we carried out this inspection|what we inspected|our inspection team|
    how we carried out the inspection|details about this location|background to the trust|
    about the trust|about the provider|background to the provider""".split("|")
)
# Sections that define words: a glossary, the key to the ratings. What a sentence there says
# must, should or is needed is what the word means for anyone ("Sepsis Six: six steps that
# staff should take…", "Requires improvement: the service isn't performing as well as it
# should…"), never a finding about this provider.
DEFINITION_SECTIONS = frozenset(
    entry.strip()
    for entry in """glossary|glossary of terms|glossary of terms used in this report|definitions|
    key to terms|rating definitions|what the ratings mean|our ratings explained|
    ratings explained|how we rate services|key to ratings""".split("|")
)
# In such a section a must with the provider as its subject describes its circumstances when
# its verb is one of these ("The trust must cover a large rural area of 2,500 square miles").
CIRCUMSTANCE_VERBS = frozenset("cover serve travel operate span contend cope deal work".split())

# The judgements a 2010-2013 outcome page prints under each outcome's heading; the sentence
# that opens the paragraph after one is the essential standard's own should-wording
# ("Staff should be properly trained and supervised…").
STANDARD_JUDGEMENTS = frozenset(
    entry.strip()
    for entry in """standard met|standard not met|met this standard|not met this standard|
    action needed|enforcement action taken|improvement needed|compliant|not compliant|
    minor concerns|moderate concerns|major concerns""".split("|")
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
    "who whose with using living at in on receiving from awaiting waiting calling of registered"
    " running worried concerned".split()
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
    strengthening replacement revision clarification redesign modernisation""".split()
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
    "attention": "attend to",
    "replacement": "replace",
    "replacing": "replace",
    "revision": "revise",
    "cleaning": "clean",
    "redesign": "redesign",
    "modernisation": "modernise",
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
# Participles saying a thing needed was done, after "had been" / "was": "the review … had been
# finished", "the improvements … had been made", "which had been rewritten in June".
DONE_PARTICIPLES = (
    "finished",
    "completed",
    "done",
    "made",
    "carried out",
    "put in place",
    "rewritten",
    "revised",
    "updated",
    "replaced",
    "introduced",
    "implemented",
    "addressed",
    "resolved",
    "corrected",
)
# Modals of possibility before a verb "need": "may need to", "might need to", "could need to"
# hedge the need (a possibility raised, not a requirement).
HEDGING_MODALS = frozenset("may might could".split())
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
    outlined outlines state require specify outline expect expects""".split()
    # ("state", "require", "specify", "outline": the present of a plural subject, "The
    # guidelines state that…"; taken as verbs only before "that", as they are nouns too)
)
PLAIN_DESCRIBING_FORMS = frozenset("state require specify outline expect expects".split())
# ("People can expect that care must be safe…": what anyone may expect, only before "that")

# The provider as the subject of a reported must: "The chief executive told us the trust must
# improve…" is still a requirement on the trust (unlike "Staff told us they must often…").
PROVIDER_SUBJECTS = frozenset(
    """trust provider practice service home hospital organisation board leaders leadership
    hospice clinic agency it""".split()
)

# Sources of rules. A must/need attributed to one of these describes what the rule says:
# "Under the Mental Capacity Act, staff must…", "…, according to the trust's training
# policy", "The policy stated that staff needed to…" (for need, only these sources count).
RULE_SOURCES = frozenset(
    """policy policies procedure procedures guidance guideline guidelines law laws legislation
    act regulation regulations standard standards protocol protocols contract contracts
    code sop sops framework specification specifications""".split()
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
# The opening of the regulator's report of what it told the provider, up to the party told:
# "Following this inspection, we have told…", "CQC has also asked…", "The Care Quality
# Commission (CQC) told…". rules.py (is it a requirement?) and titles.py (what to call it)
# each go on from here.
# When the telling happened, before it: "Following this inspection, we told…".
TOLD_WHEN = (
    r"(?:(?:following|after|at\s+the\s+end\s+of)\s+(?:this|the|our)\s+"
    r"(?:inspection|visit|assessment)\s*,?\s*)?"
)
TOLD_OPENING = (
    r"^\W*"
    + TOLD_WHEN
    + r"(?:we|cqc|inspectors|the\s+care\s+quality\s+commission(?:\s+\(cqc\))?)\s+"
    r"(?:have\s+|has\s+|had\s+)?(?:also\s+)?(?:told|asked|advised|informed)\s+"
)
# The party told, as the regulator names it.
TOLD_PARTY = r"the\s+(?:registered\s+)?[\w’'-]+"


# The regulator as the agent of a passive telling: "…has been told (by CQC)…".
BY_REGULATOR = r"(?:by\s+(?:cqc|inspectors|the\s+care\s+quality\s+commission(?:\s+\(cqc\))?)\s+)?"
# The passive of telling, from its auxiliary to its agent: "has been told (by CQC) ".
TOLD_PASSIVE_VERB = (
    r"(?:has\s+|had\s+|have\s+)?(?:also\s+)?(?:been|was|were)\s+(?:told|asked|required)\s+"
    + BY_REGULATOR
)


def told_passive(group: str | None, party: str = TOLD_PARTY) -> str:
    """ "The trust has been told (by CQC)…": the same report in the passive, up to what it was
    told; the party told in the named ``group`` (or not captured)."""
    named = f"(?P<{group}>{party})" if group else f"(?:{party})"
    return (
        r"^\W*"
        + TOLD_WHEN
        + named
        + r"\s+(?:has\s+|had\s+|have\s+)?(?:been|was|were)\s+(?:told|asked|advised|informed)\s+"
        + BY_REGULATOR
    )


def told_by_notice(party: str | None = None, party_with: str | None = None) -> str:
    """ "We served a warning notice on the provider telling them…", "We have issued the trust
    with a warning notice requiring it to…": what the notice told the provider, the party in
    the named groups ``party`` / ``party_with`` (or not captured)."""
    on = f"(?P<{party}>{TOLD_PARTY})" if party else f"(?:{TOLD_PARTY})"
    with_ = f"(?P<{party_with}>{TOLD_PARTY})" if party_with else f"(?:{TOLD_PARTY})"
    notice = r"(?:an?\s+)?(?:urgent\s+)?(?:section\s+29a?\s+)?warning\s+notice"
    return (
        r"^\W*(?:we|cqc|inspectors)\s+(?:have\s+|has\s+|had\s+)?(?:also\s+)?(?:served|issued|sent)\s+"
        rf"(?:{notice}\s+(?:on|to)\s+{on}|{with_}\s+with\s+{notice})\s+"
        r"(?:telling|requiring|which\s+told|which\s+requires|that\s+requires)\s+(?:it|them)\s+"
    )


BOILERPLATE = (
    # CQC's formula for what special measures are for: "Special measures will give people who
    # use the service the reassurance that the care they get should improve." (the expected
    # result of a regime, said of every service placed in it)
    r"\bthe\s+reassurance\s+that\s+the\s+care\s+they\s+(?:get|receive)\s+should\s+improve\b",
    # An obligation whose verb is a report to the regulator is procedure addressed to CQC:
    # "The provider must send CQC a report that says what action they are going to take…",
    # "The trust needs to tell us by 16 September what action it has taken…" (not "notify",
    # the legal duty a finding may say was not met)
    r"\b(?:must|should|needs?\s+to|is\s+required\s+to)\s+(?:also\s+|then\s+)?"
    r"(?:send|tell|give|submit)\s+(?:to\s+)?(?:cqc|us|the\s+commission|"
    r"the\s+care\s+quality\s+commission)\b",
    # The law on registration, as a page explains it: "The service must be registered with
    # CQC to provide personal care" (a finding says it was not: "…had not registered…", and
    # an action names the application: "The provider must apply to register…")
    r"\b(?:must|needs?\s+to|should)\s+be\s+registered\s+with\s+(?:cqc|the\s+care\s+quality\s+"
    r"commission|us)\s+(?:\(cqc\)\s+)?(?:to|before|in\s+order\s+to)\s+(?:provide|carry|offer)\b",
    # "The provider's report should be sent to us within 14 days…", "…should be sent within
    # 28 days of this report being received"; a letter's own address is its sender's, CQC's
    # ("Representations should be sent to the address at the top of this letter")
    r"\b(?:should|must)\s+be\s+sent\s+(?:to\s+(?:cqc|us|the\s+commission|the\s+address\s+"
    r"(?:at\s+the\s+top\s+of|on|above\s+in)\s+this\s+(?:letter|notice))|within\s+\d+\s+"
    r"(?:working\s+)?days)\b",
    # The title of an essential standard (2010-2015) is a should-statement about people:
    # "Outcome 13: There should be enough members of staff to keep people safe…"
    r"^outcome\s+\d{1,2}\s*:.*\bshould\b",
    # The words of the regulations themselves, quoted in requirement notices: the statute,
    # not a finding about this provider (HSCA 2008 (Regulated Activities) Regulations 2014).
    # (They refer to themselves as "this Part"; the rest is told by structure in rules.py:
    # their subjects are classes and "service users" / "the service provider".)
    r"\bthe\s+requirements\s+(?:in|of)\s+this\s+part\b",
    # Regulation 17(1), also when paraphrased at its end ("…of the regulation").
    r"^systems\s+(?:or|and)\s+processes\s+must\s+be\s+established\s+and\s+operated\s+effectively\b",
    r"^any\s+complaint\s+received\s+must\s+be\s+investigated\b",
    # The definitions printed before the lists in 2019+ reports: "Action the trust MUST take
    # is necessary to comply with its legal obligations. Action a trust SHOULD take is to…"
    r"^action\s+(?:the|a|an)\s+(?:\w+\s+){1,3}?(?:must|should)\s+take\s+is\b",
    # A web page's own furniture, copied with the report from a browser: what the reader's
    # browser or the reader must do to use the site ("You must enable JavaScript to use this
    # site", "You need to accept these cookies…")
    r"\b(?:javascript|cookies?|your\s+browser)\b[^.]{0,200}?\b(?:must|should|needs?|needed)\b"
    r"|\b(?:must|should|needs?\s+to)\s+(?:enable|accept|allow|turn\s+on|update|use)\s+"
    r"(?:javascript|cookies|your\s+browser|this\s+(?:web)?site)\b",
    # Special measures as what the trust "should be placed into": the regime recommended, a
    # status CQC and NHS bodies decide, not an action the provider takes
    r"\b(?:should|must|needs?\s+to)\s+(?:now\s+)?(?:be\s+placed|be\s+put|remain|stay)\s+(?:in|into|under)\s+"
    r"special\s+measures\b",
    # CQC's process, explained: a notice's deadline as "a set date", what a power "is used
    # where…" ("…, which tells the provider it must become compliant by a set date", "Urgent
    # conditions are used where … the provider needs to take action immediately")
    r"\b(?:must|should|needs?\s+to)\b[^.;]*\bby\s+a\s+(?:set|specified|given|certain)\s+date\b",
    r"\b(?:are|is|can\s+be|may\s+be)\s+(?:used|issued|imposed|served)\s+(?:where|when|if)\b[^.]*"
    r"\b(?:must|should|needs?)\b",
    # "The trust should note that…": the writer's aside to the reader, as "It should be noted"
    r"\b(?:should|must)\s+(?:note|be\s+aware|bear\s+in\s+mind)\s+that\b",
    # CQC's five key questions as what any service must be ("The service needs to be safe,
    # effective, caring, responsive and well-led"): the framework, not a finding
    r"\b(?:must|should|needs?\s+to)\s+be\s+safe,\s*effective,\s*caring\b",
    # How the regulator's own reports are to be read ("All our inspection reports must be
    # read alongside…", "The report should be read in conjunction with the evidence appendix")
    r"\b(?:reports?|findings|appendix)\s+(?:must|should|needs?\s+to)\s+be\s+read\s+(?:alongside|"
    r"with|together\s+with|in\s+conjunction\s+with)\b",
)

# Summaries of the requirements listed elsewhere, naming none of them. Not requirements when
# the report says them in its own voice ("We found 14 things that the trust should improve…");
# the regulator's report that it TOLD this provider so is one (rules._told_summary: "We told
# the trust that it must take action to bring services into line with legal requirements.").
SUMMARY_BOILERPLATE = (
    # "We told the trust that it must take action to bring services into line with legal
    # requirements." (a summary: the actual requirements are listed after it). Not when it
    # names the regulations' subjects ("…comply with the regulations on staffing and…").
    r"\bmust\s+take\s+(?:action|steps)\s+to\s+(?:bring|comply|meet)\b.*\b(?:legal\s+requirements?|"
    r"regulations?|requirement\s+notices?)\b(?!\s+(?:on|about|for|relating|in\s+relation)\b)",
    # Counts in a summary: "We found areas for improvement including 10 breaches of legal
    # requirements that the trust must put right", "We found 14 things that the trust
    # should improve to comply with a minimum legal requirement" (listed further on).
    r"\bbreach(?:es)?\s+of\s+(?:the\s+|a\s+)?legal\s+requirements?\b.*\bmust\s+put\s+right\b",
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many)"
    r"\s+(?:things|areas|breaches|actions)\s+(?:that|which)\s+the\s+\w+\s+(?:must|should)\b",
    # ... and without the count: "We found things that the trust should improve to comply
    # with a minimum legal requirement, or to improve service quality."
    r"^we\s+found\s+(?:other\s+)?things\s+(?:that|which)\s+the\s+\w+\s+should\s+improve\b",
    # "We also told it that it should make two improvements, even though it was not breaching
    # a legal requirement": the obligation's object is a count of actions listed elsewhere.
    r"\b(?:must|should|needs?\s+to|needed\s+to)\s+(?:also\s+)?(?:make|take)\s+(?:\d+|one|two|"
    r"three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a\s+number\s+of)\s+"
    r"(?:\w+\s+)?(?:improvements?|actions?|changes)\b",
)

# --- Lead-ins ------------------------------------------------------------------
# A heading containing MUST / SHOULD ("Action the trust MUST take to improve",
# "Areas where the provider should make improvements") or a paragraph ending in ":"
# ("We found that the provider must:", "The trust should:") opens a list whose bullets
# are each one requirement. The scope runs across service sub-headings and ends as
# described at MAJOR_HEADINGS below.

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
    "created": "create",
    "recreated": "recreate",
}
PARTICIPLE_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("eated", "eat"),  # "repeated", "treated", "heated" ("created" is in the table above)
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

# Lines at the top of a CQC report that are labels, not the report's name.
TITLE_BOILERPLATE = (
    r"^[A-Z][A-Z &/,'’-]{2,40}$",  # "SERVICE PROVIDER", "CARE HOME" (case-sensitive)
    r"(?i:^this is an? \w+)",  # "This is an organisation that runs the … services we inspect"
    r"(?i:^(?:skip to|cookies?\b|menu$|search$|home$|print$|share$|back to))",
    r"(?i:^(?:care quality commission|cqc)$)",
    r"(?i:^we are the independent regulator)",
    r"(?i:^(?:ratings?|overall rating)\b)",
)


# --- Titles that stand alone (issue 11) -------------------------------------------

# Pronouns a title must not leave unresolved ("Embed this in the organisation").
STANDALONE_PRONOUNS = frozenset("this these those it they them that".split())
# Reporters who speak for the provider's running of the service: what one of them says they
# need to do, even each time something happens, is something the provider has to put right
# ("The service manager told us she needed to update the procedure when the criteria
# changed"), unlike a member of staff's account of their own work.
LEADERSHIP_REPORTERS = frozenset(
    """manager managers leader leaders director directors executive executives partner partners
    owner owners governors trustees chair gps""".split()
    # (a practice's GPs are, as a rule, its partners: "the GPs told us they needed to decide
    # whether to buy one")
)
# Heads of a subject that does things itself (the provider, its people, its parts). After
# "X needs to <verb>" the title drops them ("Review the policy"); any other subject is what
# the verb is about, so the title keeps it: "Discharge planning needs to start at
# admission" -> "Ensure discharge planning starts at admission".
AGENT_HEADS = frozenset(
    """trust provider practice service services home hospital organisation board leaders
    leader leadership managers manager team teams directors director executives executive
    partners partner governors committee division directorate department ward wards unit
    units agency clinic hospice centre surgery person owner individual nominated registered
    staff nurses midwives carers doctors clinicians dentists dentist therapists workers
    colleagues employees volunteers crews paramedics technicians handlers pharmacists
    physiotherapists porters receptionists surgeons consultants matron matrons gps gp
    we you i he she they it who""".split()
)
# After "this"/"that"/"these"/"those", these words show it is a pronoun, not a determiner:
# "this clearly articulates", "for this to become", "embed this in", "this is".
PRONOUN_FOLLOWERS = frozenset(
    """is was are were be been has had have will would can could may might must should
    needs needed to in on at across within into from for by with and or but so as that
    which who when where if because
    every each all again before after until during throughout regularly weekly monthly daily
    yearly annually now today""".split()
)  # the last two lines: "audit this every month", "review this before…": "this" stands alone
# Prepositions: they end a topic noun phrase ("Co-production with people who…" ->
# "Co-production", "Quality improvement at the trust" -> "Quality improvement").
PREPOSITIONS = frozenset(
    """of for in on at across from within by with between about around into onto over under
    through throughout towards toward among amongst""".split()
)
# Subject heads that are not a topic ("The trust had started work on a refreshed strategy":
# the topic is what the trust started, not the trust).
NON_TOPIC_HEADS = frozenset(
    """trust provider practice service services home hospital organisation board leaders
    leadership staff team teams we there it this that these those they he she action
    work lead manager managers people patients
    time times day days week weeks month months year years hour hours minute minutes period
    periods episode episodes occasion occasions""".split()
)  # the last two lines: when something happened is never what the title is about
# Words that open a subordinate clause at the start of a sentence ("Whilst action was
# being taken to promote environmental sustainability at the trust, …").
CLAUSE_SUBORDINATORS = frozenset(
    "whilst while although though as despite since because if when where".split()
)
# Object heads of "<provider> needs a/an <X>" that read best as "Agree a/an <X>".
AGREE_OBJECTS = frozenset(
    "plan plans strategy strategies approach vision framework policy timetable programme".split()
)
# The organisation itself as a subject ("The trust needs an engagement plan").
ORGANISATION_WORDS = frozenset(
    "trust provider practice service home hospital organisation board hospice clinic agency".split()
)
# Before "it"/"they", these open a new clause about the sentence's own subject ("… so they
# can be active partners", "… demonstrate that it has acted on concerns").
SAME_SUBJECT_OPENERS = frozenset(
    "so that and but because until unless how whether sure ensure".split()
)

# --- Possible duplicates (duplicates.py) ------------------------------------------

# Words left out when comparing two requirements: function words, and the words that
# every requirement uses ("the trust must ensure…", "needed to be…").
DUPLICATE_STOPWORDS = frozenset(
    """a an the and or but nor so of to in on at by for with from into onto over under
    about across within without through throughout between among this that these those
    it its they them their there here is are was were be been being has have had do does
    did will would shall should can could may might must need needs needed needing ensure
    make sure not no all any each every some more most other such than then also still
    further who whom whose which what when where while whilst as if how trust provider
    service services practice home hospital organisation we us our you your he she his her
    one two three regulation regulations regulated activities hsca act outcome section
    part""".split()
)
# Suffixes stripped, longest first, for comparing words ("developments" ~ "developed").
STEM_SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ings",
    "ing",
    "ies",
    "ied",
    "ed",
    "es",
    "s",
    "e",
)

# Other verbs a list item may open with (besides IMPERATIVE_VERBS): a bullet that opens with
# one reads as an action, so it is taken with high confidence.
VERB_OPENERS = frozenset(
    """do not stop start agree adopt apply arrange audit clarify communicate confirm create
    deliver demonstrate deploy design enable engage evaluate explore give hold inform
    invest investigate involve manage meet notify obtain offer plan prepare prioritise prioritize
    protect publish raise reassess recognise reduce refresh register reinstate remove repair
    replace report respond restore retain risk safeguard schedule secure send set show sign staff
    supervise tackle test track treat understand upgrade work write attend revise redesign
    modernise clean""".split()
)

# --- Page furniture of web pages (units.py) ----------------------------------------

# Lines of a site's menus and navigation, as copied from a browser with the report. Dropped
# when two of them (or a cookie line) sit together, so a lone "Hospitals" heading stays.
NAVIGATION_LINES = frozenset(
    entry.strip()
    for entry in """skip to main content|skip to content|skip navigation|sign in|sign out|log in|log out|
    register|find a service|find services|search|search cqc|menu|home|about us|news|
    contact us|cookies|accessibility|privacy|privacy notice|terms and conditions|
    give feedback on care|give feedback|share your experience|tell us about your care|
    care homes|hospitals|dentists|gp practices|gps|gp surgeries|home care agencies|
    home care|mental health services|clinics|community services|ambulances|hospices|
    nhs trusts|independent hospitals|publications|guidance for providers|for providers|
    for professionals|jobs|careers|help and advice|back to top|print|share|
    print this page|reject optional cookies|accept all cookies|accept additional cookies|
    reject additional cookies|view cookies|hide this message|change cookie settings|
    cookie settings|main menu|close menu|open menu|breadcrumb|you are here|
    find and compare services|find and compare|is this page helpful?|was this page helpful?|
    care quality commission|
    yes|no|report a problem with this page|sign up for our newsletter|
    subscribe to our newsletter|follow us|print page|download report|
    download this report""".split("|")
)

# The words of a site's service-type navigation: a short line made only of these (with at
# least one plural service noun) is a menu line ("Hospitals and clinics", "Dentists and GPs").
SERVICE_TYPE_PLURALS = frozenset(
    """homes hospitals clinics dentists gps practices surgeries services agencies ambulances
    hospices trusts doctors""".split()
)
SERVICE_TYPE_WORDS = SERVICE_TYPE_PLURALS | frozenset(
    """care home homecare hospital clinic dental gp mental health community nhs independent
    and for search find compare all other""".split()
)

# The titles of the regulations and outcomes a notice lists areas by: the essential
# standards' outcomes (2010), the 2010 regulations and the fundamental standards (2014).
REGULATION_TITLES = frozenset(
    entry.strip()
    for entry in """respecting and involving people who use services|consent to care and treatment|
    fees|care and welfare of people who use services|meeting nutritional needs|
    cooperating with other providers|safeguarding people who use services from abuse|
    cleanliness and infection control|management of medicines|
    safety and suitability of premises|safety, availability and suitability of equipment|
    requirements relating to workers|staffing|supporting workers|statement of purpose|
    assessing and monitoring the quality of service provision|complaints|
    notification of death of a person who uses services|notification of other incidents|
    records|care and welfare of service users|safeguarding service users from abuse|
    respecting and involving service users|person-centred care|dignity and respect|
    need for consent|safe care and treatment|
    safeguarding service users from abuse and improper treatment|
    meeting nutritional and hydration needs|premises and equipment|
    receiving and acting on complaints|good governance|fit and proper persons employed|
    duty of candour|requirement as to display of performance assessments""".split("|")
)

# Lines that are page furniture wherever they stand, alone or not ("Skip to content" opens
# every copied web page; it is never a report's heading).
ALWAYS_NAVIGATION = frozenset(
    entry.strip()
    for entry in """skip to main content|skip to content|skip navigation|accept all cookies|
    reject optional cookies|accept additional cookies|reject additional cookies|
    view cookies|hide this message|change cookie settings""".split("|")
)

# --- General statements, names and empty summaries (rules.py) -----------------------

# "MUST" followed by one of these is the Malnutrition Universal Screening Tool, not a modal:
# "MUST scores were recorded", "the MUST tool".
ACRONYM_FOLLOWERS = frozenset(
    """score scores scoring tool tools screening screen assessment assessments chart charts
    result results rating ratings risk total totals record records form forms
    was were is are has had and or""".split()
)
# A must/need whose subject is one of these classes (no determiner: "Providers must…",
# "All providers must meet…") states the law for everyone, not a finding about this one.
GENERAL_SUBJECTS = frozenset(
    """providers organisations trusts practices employers registrants persons homes
    hospitals hospices clinics agencies bodies prisons centres surgeries pharmacies""".split()
    # (a bare plural naming a kind of provider: "Care homes must notify CQC…", "All NHS
    # bodies must meet the duty of candour"; "the care home", "its hospitals" are this one;
    # or of the establishment a provider serves: "All prisons must have arrangements for…")
)
# The same classes in the singular, generic after "a", "an", "any", "every" or "each": "A
# registered person must comply with…", "Any provider must…" (not "the provider must").
GENERAL_SINGULARS = frozenset(
    """provider organisation trust practice employer registrant person body""".split()
)
GENERIC_DETERMINERS = frozenset("a an any every each".split())
# Words that narrow such a class without making it this provider ("Registered providers
# must…", "NHS trusts must…", "Independent hospitals must…", "Dental practices should…",
# "Ambulance services must respond to the most serious calls within 7 minutes": a bare plural
# named by its kind; "community" is not one, a trust's "Community services must…" being its own).
CLASS_MODIFIERS = frozenset(
    """registered nhs independent regulated healthcare dental gp general adult social ambulance
    home residential domiciliary primary acute private voluntary online digital urgent
    treatment walk-in minor injuries""".split()
    # ("online" / "digital": "Online services that prescribe medicines must…" is the kind)
)
# Professions as a bare plural ("Dentists must follow national guidance…") state the
# profession's rules, not a finding, when the clause after the must names a rule source.
PROFESSION_SUBJECTS = frozenset(
    """dentists doctors nurses midwives pharmacists paramedics clinicians practitioners
    therapists surgeons""".split()
)
# A bare mass noun as the subject of "must / needs to be provided|given|delivered" is a
# general statement too: "Care must be provided in a way that…".
GENERAL_MASS_NOUNS = frozenset("care treatment support services".split())
PROVISION_VERBS = frozenset("provided given delivered offered carried planned".split())
# Reporters whose "they need to <do>" tells how they work, not what the provider must do:
# "Staff told us they need to ask the principal dentist before ordering equipment".
STAFF_REPORTERS = frozenset(
    """staff nurses midwives carers doctors clinicians dentists therapists workers colleagues
    employees volunteers crews paramedics technicians handlers pharmacists physiotherapists
    porters receptionists housekeepers cleaners domestics""".split()
    # a quantifier standing for the people just named ("Many told inspectors that they
    # needed more support"): voices from the floor, not the provider speaking for itself
    + """many some several most others few""".split()
)
# Words that count a noun phrase ("Four staff needed to complete…", "Some nurses needed…"):
# like NOUN_MODIFIERS they open a subject, not an object.
COUNT_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve some several many most
    all few a""".split()
)
# A sentence made only of these words names nothing to improve: "Improvements are needed.",
# "We told the provider it must make improvements.", "Action must be taken to achieve
# compliance." A deadline names something to track ("…must make significant improvements
# by 30 September 2024" after a warning notice): month names are not in the list.
VACUOUS_WORDS = frozenset(
    """improvement improvements improve improving action actions take taken make made
    change changes work further significant significantly some more necessary required
    urgent urgently needed need needs must should be been is are was were will to the a
    an it its they their we us told also that provider trust service practice home
    location registered manager compliance compliant achieve achieved comply legal requirement
    requirements regulation regulations in on of and however there areas area where for
    identified found number several have has had obligations services with meet meeting""".split()
    # (numbers are not words here: "We told the trust that it must take 14 actions to comply
    # with its legal obligations" names a count, not what to improve)
)
# Verbs and prepositions that take the noun phrase after them as their object: in "…have
# the information needed to support people", "needed" describes the information.
OBJECT_TAKERS = frozenset(
    """have has had having get gets got lack lacks lacking give gives gave receive receives
    provide provides with without of for""".split()
)
# Past forms that take a clause, not an object: "We found the provider needed to improve…",
# "Inspectors noted the trust needed to…" (so the -ed rule of OBJECT_TAKERS skips them).
CLAUSE_TAKING_VERBS = frozenset(
    """found noted observed saw considered judged concluded showed demonstrated meant
    suggested indicated highlighted confirmed identified recognised recognized accepted
    acknowledged agreed decided felt believed knew thought understood reported stated
    explained told said""".split()
)
# Words that name a kind of staff before "staff" ("Ward staff needed to…"): with the words of
# NOUN_MODIFIERS ("Nursing staff", "Care staff") they open a subject, not an object.
NURSING_WORDS = frozenset(
    """ward agency bank frontline front-line senior junior night day reception admin
    administrative kitchen domestic theatre maternity""".split()
)


# Who is speaking when CQC reports what someone said they or the service needed (rules.
# _others_voice). The provider's own voice: its managers and leaders admitting a gap ("The
# registered manager told us they needed to recruit…") stays a requirement of the provider.
PROVIDER_VOICE = frozenset(
    """manager managers director directors leader leaders leadership dentist gp gps partners
    partner trustees trustee provider chief head lead executive executives owner matron
    matrons board consultant chair governors""".split()
)
# A quantifier standing alone for part of what the sentence opened with: "People's care
# plans did not always reflect their needs and some needed updating" (rules.py's part
# pronoun, and the title that names the care plans), "Patients told us…, although several
# said…". The one table of these quantifiers; the others below are built from it.
PART_QUANTIFIERS = frozenset("some several many most others".split())
# A quantifier standing alone as the one who says ("…, although several said they
# needed…", "…, and some said…", "a few said", "one of them said"): some of those the
# sentence opened with. "few" and "one" say who speaks ("a few", "one of them"), but not
# which things a need is of: "few needed updating" says most did not, and "one needed…"
# is as often the general "one" as one of the things.
SPEAKING_QUANTIFIERS = PART_QUANTIFIERS | {"few", "one"}
# The quantifiers that open a sentence as its speaker, "Another said…", "A few told us…":
# "another" too, which says the speaker is one more of those the sentence before opened
# with. It is not in SPEAKING_QUANTIFIERS, which reads a speaker inside the sentence, where
# "another" names no one the sentence opened with.
OPENING_SPEAKER_QUANTIFIERS = SPEAKING_QUANTIFIERS | {"another"}
# The words a quantified reporter opens with, dropped to find who "they" are ("Several
# nurses said that they should not have to…" -> nurses; "Many told inspectors that they…"
# stands for people named before). Not PART_QUANTIFIERS: these are words before a noun, so
# "all" and "a number of" are in and "others" (never before a noun) and "one" are out.
REPORTER_QUANTIFIERS = frozenset("several some many most all few a number of".split())
# Everyone else CQC spoke to: staff (not as the provider's managers), people who use the
# service and their families. What they said they or the service needed is evidence, not a
# requirement CQC states.
OTHERS_VOICE = frozenset(
    """staff nurses nurse midwives midwife doctors doctor relatives relative families family
    people person patients patient carers carer residents resident visitors parents
    colleagues clinicians therapists paramedics crews officers students trainees pharmacists
    volunteers workers members handlers receptionists porters technicians consultants
    surgeons dentists employees clients client prisoners prisoner women woman users tenants
    tenant""".split()
    # (the people a service is for, by the names other services give them: "clients" of a
    # substance misuse service, "prisoners", "women" in maternity, "service users")
)


# Nouns that say only that there is something, not what: as the antecedent of "that/which
# needed <noun>" ("the areas that needed improvement", "the things which needed attention")
# the relative clause names nothing to be done.
VAGUE_ANTECEDENTS = frozenset(
    """area areas thing things issue issues aspect aspects matter matters point points
    improvements changes ways parts elements""".split()
)


# Words of rules.py's clause, subject and rule-source checks.

# Verbs before a wh-word that make what follows what is known or decided, not a need found
# ("knew which wards needed…"; _known_which in rules.py), and the wh-words.
KNOWING_VERBS = frozenset(
    """knew know knows understood understand understands decided decide considered consider
    discussed asked explained explain""".split()
    # (not "identified", "checked", "assessed": finding which wards needed refurbishment
    # finds the need, as "identified the wards that needed refurbishment" does)
)
WH_OPENERS = frozenset("which what whether how who whom when where".split())

# Verbs that take a clause without "that" ("needed to ensure the records were accurate"): a
# "was" after them may be the clause's, not the sentence's.
CLAUSE_VERBS_BASE = frozenset(
    """ensure make check know show confirm demonstrate tell assure satisfy understand see find
    prove evidence agree decide consider think feel say explain recognise accept remember ask
    establish verify monitor record assess review identify""".split()
)
# A "was" or "is" that may be the sentence's own verb, not the clause's.
MAIN_BE = frozenset("was were is are".split())
# What is needed, as a noun: "the changes needed to meet the standard".
DEED_NOUNS = frozenset("changes change improvements actions action steps work checks".split())
# Words that end the noun phrase after a deed noun (_reduced_relative in rules.py).
ENDS_NOUN_PHRASE = frozenset(
    "and but so because which who whom that where when if while whilst although as".split()
)

# After a rule source's name, these make it a person's job ("the policy lead", "the
# safeguarding policy officer"), who speaks for themself.
ROLE_NOUNS = frozenset(
    "lead leads manager managers officer officers team coordinator director champion".split()
)

# Verbs by which a document or rule source says what providers must do ("…actions say every
# trust must…").
CONTENT_VERBS = frozenset("say says said state states stated require requires".split())
# Documents that say what providers must do, beside the rule sources ("The Ockenden report's
# immediate and essential actions say every trust must…").
DOCUMENT_WORDS = frozenset("report report's reports actions recommendations review".split())

# Before a staff noun in the singular, these make it the one who runs the service ("the
# principal dentist", "the lead nurse"), whose need is the provider's.
SENIOR_MODIFIERS = frozenset("principal lead senior chief head registered".split())
# (also the word before the head of "The principal dentist was…" that makes the sentence
# before a "She told us she needed…" name one who runs the service: _with_named_speaker)


# titles.py: in a title made from "… did not all have a plan that said …", the past of a
# relative clause said as it should be from now on ("a plan that says …").
RELATIVE_PAST = {
    "said": "says",
    "showed": "shows",
    "included": "includes",
    "were": "are",
    "had": "have",
    "described": "describes",
    "recorded": "records",
}


# round 13 (branch round14: report pages written without "must" at the start)

# Bodies CQC does not register, named beside the provider a report is on: in a report on a
# prison's health services, "the prison" is the establishment the prison service runs, not
# the health care provider ("The prison should review the times of the medicine queues").
UNREGISTERED_PARTNERS = frozenset("prison".split())
