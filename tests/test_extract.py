"""The extractor against hand-annotated CQC reports (tests/corpus/*.annotations.tsv).

Each annotation lists, sentence by sentence, every heading and every sentence containing
must/need/needs/needed/should, labelled REQ (with its keyword) or NOT (with a reason).
The tests demand 100% precision and recall against them.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cpft_tracker.documents import read_document
from cpft_tracker.extract import (
    document_title,
    extract_requirements,
    fingerprint,
    looks_like_cqc_report,
    split_units,
)
from cpft_tracker.quality_statements import NAMES

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
BUNDLED = ROOT / "data" / "cqc-cpft-well-led-assessment-2025-07-17.txt"
PRESS = ROOT / "data" / "cqc-cpft-press-release-2025.txt"

DOCUMENTS = {
    "cqc-cpft-well-led-assessment-2025-07-17": BUNDLED,
    "cqc-cpft-press-release-2025": PRESS,
    "old-style-trust-report": CORPUS / "old-style-trust-report.txt",
    "care-home-report": CORPUS / "care-home-report.txt",
    "gp-practice-report": CORPUS / "gp-practice-report.md",
    "pdf-copy-hard-wrapped": CORPUS / "pdf-copy-hard-wrapped.txt",
    "saved-web-page": CORPUS / "saved-web-page.html",
    # written blind (annotated before the extractor was run on them), see issue 3
    "trust-core-services-pdf": CORPUS / "trust-core-services-pdf.txt",
    "requirement-notices-annex": CORPUS / "requirement-notices-annex.txt",
    "saf-care-home-2024": CORPUS / "saf-care-home-2024.txt",
    "gp-practice-2016": CORPUS / "gp-practice-2016.txt",
    # a third round, written and annotated blind: single assessment framework pages as
    # copied from CQC's website (well-led trust, acute core service, home care, GP)
    "saf-trust-well-led-2024": CORPUS / "saf-trust-well-led-2024.txt",
    "saf-acute-uec-2024": CORPUS / "saf-acute-uec-2024.txt",
    "saf-home-care-2025": CORPUS / "saf-home-care-2025.txt",
    "saf-gp-practice-2024": CORPUS / "saf-gp-practice-2024.txt",
    # a fourth round, written and annotated blind, packed with descriptive must/need
    # sentences (what a policy, guidance or the law says; what staff told us or knew)
    "acute-trust-core-services-2021": CORPUS / "acute-trust-core-services-2021.txt",
    "independent-hospital-2019": CORPUS / "independent-hospital-2019.txt",
    "saf-dental-2024": CORPUS / "saf-dental-2024.txt",
    # a fifth round (issue 11), written and annotated by hand before the extractor was run on
    # them: notices whose lead-in lists areas by a date, general statements of the law, the
    # MUST screening tool, a news page with its menus and cookie banner left in
    "essential-standards-care-home-2012": CORPUS / "essential-standards-care-home-2012.txt",
    "warning-notice-news-2013": CORPUS / "warning-notice-news-2013.txt",
    "requirement-notice-dental-2016": CORPUS / "requirement-notice-dental-2016.txt",
    # a sixth round (issue 11, items 5 and 6), written and annotated by hand before the
    # extractor was run on them: trust, core service (mental health wards, community health,
    # ambulance), hospice, home care, dental, GP 2015, essential standards 2011, a warning
    # notice, a news item with reported speech, an assessment page with scores, and a care
    # home page copied from a browser with its menus left in
    "nhs-trust-inspection-2016": CORPUS / "nhs-trust-inspection-2016.txt",
    "mh-wards-core-service-2018": CORPUS / "mh-wards-core-service-2018.txt",
    "community-health-adults-pdf-2017": CORPUS / "community-health-adults-pdf-2017.txt",
    "ambulance-service-2019": CORPUS / "ambulance-service-2019.txt",
    "hospice-2016": CORPUS / "hospice-2016.txt",
    "home-care-agency-2015": CORPUS / "home-care-agency-2015.txt",
    "dental-practice-2018": CORPUS / "dental-practice-2018.txt",
    "gp-practice-2015": CORPUS / "gp-practice-2015.txt",
    "essential-standards-hospital-2011": CORPUS / "essential-standards-hospital-2011.txt",
    "warning-notice-2012": CORPUS / "warning-notice-2012.txt",
    "news-reported-speech-2014": CORPUS / "news-reported-speech-2014.txt",
    "saf-hospice-2025": CORPUS / "saf-hospice-2025.txt",
    "browser-care-home-2023": CORPUS / "browser-care-home-2023.txt",
    # a seventh round, the same way: a 2011 news page with an old site's menus, a 2013
    # dental review of compliance, a focused UEC inspection with a section 29A notice and
    # conditions, a 2018 well-led report, a 2017 care home, a 2021 independent hospital
    "news-warning-notices-2011": CORPUS / "news-warning-notices-2011.txt",
    "dental-review-2013": CORPUS / "dental-review-2013.txt",
    "uec-focused-2022": CORPUS / "uec-focused-2022.txt",
    "trust-well-led-2018": CORPUS / "trust-well-led-2018.txt",
    "care-home-2017": CORPUS / "care-home-2017.txt",
    "independent-hospital-2021": CORPUS / "independent-hospital-2021.txt",
    # an eighth round, the same way: a 2012 GP review of compliance (a notice lead-in that
    # lost its colon, epistemic must), a 2014 home care report, a 2024 independent
    # ambulance assessment page
    "gp-review-of-compliance-2012": CORPUS / "gp-review-of-compliance-2012.txt",
    "home-care-inspection-2014": CORPUS / "home-care-inspection-2014.txt",
    "independent-ambulance-saf-2024": CORPUS / "independent-ambulance-saf-2024.txt",
    # a ninth, the same way: rules for patients and visitors, a procedure's should, an
    # aside, a question, and the regulations' own words in a requirement notice
    "community-mh-requirement-notice-2019": CORPUS / "community-mh-requirement-notice-2019.txt",
    "saf-gp-practice-2025": CORPUS / "saf-gp-practice-2025.txt",
    # an eleventh round, by a second author (the earlier rounds were all one person's
    # writing): long 2015 findings paragraphs, wrapped MUST/SHOULD bullets, a PDF requirement
    # notice table with page furniture, a section 29 warning notice, a 2024 mental health
    # assessment in 'we' voice, news items, care home, dental, GP and home care summaries
    "acute-medical-care-2015": CORPUS / "acute-medical-care-2015.txt",
    "independent-hospital-wrapped-bullets-2017": CORPUS
    / "independent-hospital-wrapped-bullets-2017.txt",
    "requirement-notice-table-pdf-2016": CORPUS / "requirement-notice-table-pdf-2016.txt",
    "warning-notice-section29-2015": CORPUS / "warning-notice-section29-2015.txt",
    "saf-mental-health-wards-2024": CORPUS / "saf-mental-health-wards-2024.txt",
    "news-deputy-chief-inspector-2019": CORPUS / "news-deputy-chief-inspector-2019.txt",
    "care-home-summary-2019": CORPUS / "care-home-summary-2019.txt",
    "dental-summary-2019": CORPUS / "dental-summary-2019.txt",
    "gp-summary-2018": CORPUS / "gp-summary-2018.txt",
    "home-care-supported-living-2022": CORPUS / "home-care-supported-living-2022.txt",
    "news-warning-notice-trust-2016": CORPUS / "news-warning-notice-trust-2016.txt",
    # and its second batch: a PDF sentence broken by page furniture, a quote running over
    # paragraphs, a notice's particulars, a 2023 GP assessment, a 2017 mental health service
    "ambulance-pdf-page-breaks-2017": CORPUS / "ambulance-pdf-page-breaks-2017.txt",
    "news-special-measures-2022": CORPUS / "news-special-measures-2022.txt",
    "dental-requirement-notice-particulars-2016": CORPUS
    / "dental-requirement-notice-particulars-2016.txt",
    "saf-gp-assessment-we-voice-2023": CORPUS / "saf-gp-assessment-we-voice-2023.txt",
    "mental-health-trust-2017": CORPUS / "mental-health-trust-2017.txt",
    # and its third batch
    "trust-inspection-summary-2019": CORPUS / "trust-inspection-summary-2019.txt",
    "hospice-key-findings-2019": CORPUS / "hospice-key-findings-2019.txt",
    "saf-care-home-scores-2024": CORPUS / "saf-care-home-scores-2024.txt",
    # and its fourth
    "online-gp-provider-2018": CORPUS / "online-gp-provider-2018.txt",
    "care-home-notifications-2018": CORPUS / "care-home-notifications-2018.txt",
    # and its fifth
    "nhs111-hyphenated-pdf-2016": CORPUS / "nhs111-hyphenated-pdf-2016.txt",
    "supported-living-ld-2023": CORPUS / "supported-living-ld-2023.txt",
    # and its sixth
    "web-page-service-nav-2020": CORPUS / "web-page-service-nav-2020.txt",
    "summary-told-provider-2017": CORPUS / "summary-told-provider-2017.txt",
    # round 3 (issue 11), written and annotated by hand before the extractor ran on them: news
    # items about a named provider, 2011-2013 compliance actions, 'Action we have told the
    # provider to take' tables of reports with no MUST list, a section 29A letter, browser
    # copies with menus and service-type navigation, assessment pages, ambulance, hospice,
    # reported speech of staff, the MUST tool, general statements of the law
    "news-prosecution-care-home-2019": CORPUS / "news-prosecution-care-home-2019.txt",
    "review-compliance-actions-2011": CORPUS / "review-compliance-actions-2011.txt",
    "enforcement-summary-2013": CORPUS / "enforcement-summary-2013.txt",
    "gp-browser-page-2017": CORPUS / "gp-browser-page-2017.txt",
    "ambulance-trust-2016": CORPUS / "ambulance-trust-2016.txt",
    "hospice-summary-2022": CORPUS / "hospice-summary-2022.txt",
    "home-care-staff-voices-2019": CORPUS / "home-care-staff-voices-2019.txt",
    "care-home-breaches-table-2015": CORPUS / "care-home-breaches-table-2015.txt",
    "mh-community-2023": CORPUS / "mh-community-2023.txt",
    "independent-hospital-2023": CORPUS / "independent-hospital-2023.txt",
    "section29a-letter-trust-2018": CORPUS / "section29a-letter-trust-2018.txt",
    "saf-dental-browser-2025": CORPUS / "saf-dental-browser-2025.txt",
    # and its second batch
    "gp-news-general-2016": CORPUS / "gp-news-general-2016.txt",
    "hospice-care-needs-2018": CORPUS / "hospice-care-needs-2018.txt",
    "ambulance-saf-staff-say-2025": CORPUS / "ambulance-saf-staff-say-2025.txt",
    # and its third
    "notice-title-lines-2014": CORPUS / "notice-title-lines-2014.txt",
    "guidance-page-not-report-2023": CORPUS / "guidance-page-not-report-2023.txt",
    "care-home-descriptive-must-2016": CORPUS / "care-home-descriptive-must-2016.txt",
    "dental-saf-reported-2024": CORPUS / "dental-saf-reported-2024.txt",
    # and its fourth
    "gp-saf-told-to-2024": CORPUS / "gp-saf-told-to-2024.txt",
    "trust-law-frames-2019": CORPUS / "trust-law-frames-2019.txt",
    "home-care-saf-needs-noun-2025": CORPUS / "home-care-saf-needs-noun-2025.txt",
    "independent-clinic-we-asked-2017": CORPUS / "independent-clinic-we-asked-2017.txt",
    # and its fifth
    "rural-trust-circumstance-2017": CORPUS / "rural-trust-circumstance-2017.txt",
    "dental-2019-thing-subjects": CORPUS / "dental-2019-thing-subjects.txt",
    # round 3's four whose misses were the splitter's: list lines without bullet marks (one
    # unit per line, lower-case or not), a heading repeated as a listed area, a warning
    # notice "requiring the provider to become compliant with the following by DATE:"
    "dental-browser-page-2015": CORPUS / "dental-browser-page-2015.txt",
    "enforcement-conditions-2020": CORPUS / "enforcement-conditions-2020.txt",
    "independent-ambulance-2019": CORPUS / "independent-ambulance-2019.txt",
    "outcome-page-care-home-2012": CORPUS / "outcome-page-care-home-2012.txt",
    # round 4 (issue 11), annotated before the extractor ran; the other seven are in blind/:
    # core services (CAMHS, children, end of life, learning disability wards), a 2016 GP
    # 'areas where the provider must/should' summary, a news item quoting a chief inspector,
    # a section 29A warning notice with a deadline
    "camhs-inpatient-2018": CORPUS / "camhs-inpatient-2018.txt",
    "children-young-people-core-2016": CORPUS / "children-young-people-core-2016.txt",
    "end-of-life-care-core-2019": CORPUS / "end-of-life-care-core-2019.txt",
    "gp-areas-must-should-2016": CORPUS / "gp-areas-must-should-2016.txt",
    "learning-disability-wards-2019": CORPUS / "learning-disability-wards-2019.txt",
    "news-chief-inspector-hospitals-2017": CORPUS / "news-chief-inspector-hospitals-2017.txt",
    "surgery-warning-notice-2016": CORPUS / "surgery-warning-notice-2016.txt",
    # round 5a (issue 11), 2011-2018 styles annotated before the extractor ran; every third
    # written is in blind/: reviews of compliance with outcomes, a warning notice, dental, GP
    # (a Regulation 12 explainer), home care, care homes, an independent mental health hospital
    "review-compliance-home-care-2011": CORPUS / "review-compliance-home-care-2011.txt",
    "warning-notice-nursing-home-2012": CORPUS / "warning-notice-nursing-home-2012.txt",
    "dental-browser-page-2016": CORPUS / "dental-browser-page-2016.txt",
    "gp-inspection-regulation-explainer-2015": CORPUS
    / "gp-inspection-regulation-explainer-2015.txt",
    "home-care-report-2017": CORPUS / "home-care-report-2017.txt",
    "independent-mh-hospital-2016": CORPUS / "independent-mh-hospital-2016.txt",
    "review-compliance-nhs-hospital-2012": CORPUS / "review-compliance-nhs-hospital-2012.txt",
    "care-home-browser-2018": CORPUS / "care-home-browser-2018.txt",
    # and two more, all tuning: a 2015 news item (a quotation under "said:"), 2016 community
    # health inpatients
    "news-trust-told-to-improve-2015": CORPUS / "news-trust-told-to-improve-2015.txt",
    "community-health-inpatients-2016": CORPUS / "community-health-inpatients-2016.txt",
    # round 6 (issue 11), annotated before the extractor ran; every third written is in blind/:
    # a hospice, supported living, a GP evidence-category page, NHS 111, a 2013 PDF whose
    # notice lists areas on short lines, a care home page with a "Find a service" menu
    "hospice-saf-community-2024": CORPUS / "hospice-saf-community-2024.txt",
    "supported-living-saf-2023": CORPUS / "supported-living-saf-2023.txt",
    "gp-evidence-categories-2025": CORPUS / "gp-evidence-categories-2025.txt",
    "nhs111-integrated-urgent-care-2019": CORPUS / "nhs111-integrated-urgent-care-2019.txt",
    "requirement-table-pdf-furniture-2013": CORPUS / "requirement-table-pdf-furniture-2013.txt",
    "care-home-browser-find-a-service-2024": CORPUS / "care-home-browser-find-a-service-2024.txt",
    # and two more, all tuning, written after the round's first rules: a community mental
    # health assessment page copied from a browser, an independent dialysis unit
    "community-mh-saf-browser-2024": CORPUS / "community-mh-saf-browser-2024.txt",
    "dialysis-unit-independent-2018": CORPUS / "dialysis-unit-independent-2018.txt",
    # round 7 (issue 11), annotated before the extractor ran; the 3rd, 6th and 9th written are
    # in blind/: a 2010 review of compliance, a 2012 warning notice in numbered paragraphs, a
    # 2016 community mental health PDF, a 2018 dental well-led page, a 2023 ambulance
    # assessment, a 2024 home care service rated Inadequate
    "review-compliance-nursing-home-2010": CORPUS / "review-compliance-nursing-home-2010.txt",
    "warning-notice-numbered-paragraphs-2012": CORPUS
    / "warning-notice-numbered-paragraphs-2012.txt",
    "mh-community-core-service-pdf-2016": CORPUS / "mh-community-core-service-pdf-2016.txt",
    "dental-well-led-page-2018": CORPUS / "dental-well-led-page-2018.txt",
    "ambulance-saf-assessment-2023": CORPUS / "ambulance-saf-assessment-2023.txt",
    "home-care-inadequate-2024": CORPUS / "home-care-inadequate-2024.txt",
    # and a tenth, tuning, written after the nine: a 2013 care home inspection report whose
    # warning notice lists a regulation line, an outcome and its title by a date
    "care-home-inspection-areas-2013": CORPUS / "care-home-inspection-areas-2013.txt",
    # round 8 (issue 11, precision), annotated before the extractor ran; the 3rd and 6th
    # written are in blind/: reports rated Good or Outstanding, full of needs met, staff's own
    # work, the law and policies stated, with few requirements: a 2017 hospice, a 2019 GP
    # page copied from a browser, a 2024 care home assessment, a 2016 children's community
    # health services PDF
    "hospice-outstanding-2017": CORPUS / "hospice-outstanding-2017.txt",
    "gp-browser-page-good-2019": CORPUS / "gp-browser-page-good-2019.txt",
    "care-home-saf-good-2024": CORPUS / "care-home-saf-good-2024.txt",
    "community-children-pdf-2016": CORPUS / "community-children-pdf-2016.txt",
    # and two more, tuning, written after the round's first rules: a 2023 nursing home page
    # copied from a browser, 2018 mental health acute wards
    "nursing-home-good-browser-2023": CORPUS / "nursing-home-good-browser-2023.txt",
    "mh-acute-wards-good-2018": CORPUS / "mh-acute-wards-good-2018.txt",
    # and a 2021 dental page copied from a browser (CQC's rating process stated)
    "dental-good-browser-furniture-2021": CORPUS / "dental-good-browser-furniture-2021.txt",
    # and a 2020 community hospital (needs in the past, done)
    "community-hospital-good-2020": CORPUS / "community-hospital-good-2020.txt",
    # round 9, annotated before the extractor ran; the 3rd, 6th and 9th written are in
    # blind/: files of short passages cut from CQC pages, news and notices (no heading
    # above a list, a paragraph opening with "It", a quotation, page furniture)
    "acute-trust-passages-2018": CORPUS / "acute-trust-passages-2018.txt",
    "gp-practice-passages-2016": CORPUS / "gp-practice-passages-2016.txt",
    "news-passages-2014-2023": CORPUS / "news-passages-2014-2023.txt",
    "warning-notice-excerpts-2012-2016": CORPUS / "warning-notice-excerpts-2012-2016.txt",
    "mh-safe-section-passages-2017": CORPUS / "mh-safe-section-passages-2017.txt",
    "people-told-us-passages-2015-2025": CORPUS / "people-told-us-passages-2015-2025.txt",
    # and two more, tuning, written after the round's first rules: a 2023 GP assessment's
    # evidence categories, and 2009-2011 registration-era news, conditions and findings
    "saf-passages-2023-2025": CORPUS / "saf-passages-2023-2025.txt",
    "registration-era-passages-2009-2011": CORPUS / "registration-era-passages-2009-2011.txt",
    # round 10, a new author's wordings, annotated before the extractor ran; the 3rd, 6th and
    # 9th written are in blind/: requirements without must/should as the main verb, keywords in
    # relative clauses and appositions, late agents, negatives, hedges, outcomes by a date,
    # comparisons, reported speech in many verbs, question and noun-phrase list items
    "acute-trust-essential-that-2019": CORPUS / "acute-trust-essential-that-2019.txt",
    "nursing-home-manager-agreed-2015": CORPUS / "nursing-home-manager-agreed-2015.txt",
    "gp-browser-hedged-2021": CORPUS / "gp-browser-hedged-2021.txt",
    "news-trust-committed-2017": CORPUS / "news-trust-committed-2017.txt",
    "community-services-review-2012": CORPUS / "community-services-review-2012.txt",
    "independent-clinic-saf-outcomes-2024": CORPUS / "independent-clinic-saf-outcomes-2024.txt",
    # round 11, a new author's styles, annotated before the extractor ran; the 3rd, 6th and
    # 9th written are in blind/: a young offender health service, a substance misuse service,
    # a cosmetic surgery clinic, a maternity focused inspection, a Mental Health Act
    # monitoring letter, and one ward rated Requires improvement copied from a PDF
    "prison-healthcare-yoi-2019": CORPUS / "prison-healthcare-yoi-2019.txt",
    "substance-misuse-community-2017": CORPUS / "substance-misuse-community-2017.txt",
    "cosmetic-surgery-clinic-2016": CORPUS / "cosmetic-surgery-clinic-2016.txt",
    "maternity-focused-2022": CORPUS / "maternity-focused-2022.txt",
    "mha-monitoring-letter-2015": CORPUS / "mha-monitoring-letter-2015.txt",
    "ward-requires-improvement-pdf-2015": CORPUS / "ward-requires-improvement-pdf-2015.txt",
    # round 12, precision: dense in must/should/need sentences that are not requirements
    # (praise, others' voices, participles, the law, settled needs, rating definitions, a
    # glossary); annotated before the extractor ran; the 3rd, 6th and 9th written are in blind/
    "care-group-provider-good-2018": CORPUS / "care-group-provider-good-2018.txt",
    "residential-rehab-people-said-2019": CORPUS / "residential-rehab-people-said-2019.txt",
    "online-doctor-browser-good-2022": CORPUS / "online-doctor-browser-good-2022.txt",
    "trust-annex-glossary-2017": CORPUS / "trust-annex-glossary-2017.txt",
    "maternity-focused-pdf-2023": CORPUS / "maternity-focused-pdf-2023.txt",
    "review-compliance-hospice-2011": CORPUS / "review-compliance-hospice-2011.txt",
    # round 14, report pages written in the ways the corpus had least of (requirements not
    # opened by must/should, should areas under many headings, several services in one
    # report, needs in a later clause, a letter's "you", a joint prison inspection, an
    # assessment page's furniture); annotated before the extractor ran; the 3rd, 6th and 9th
    # written are in blind/
    "urgent-treatment-centre-2018": CORPUS / "urgent-treatment-centre-2018.txt",
    "care-group-several-services-2016": CORPUS / "care-group-several-services-2016.txt",
    "stroke-unit-long-paragraphs-2016": CORPUS / "stroke-unit-long-paragraphs-2016.txt",
    "saf-substance-misuse-browser-2024": CORPUS / "saf-substance-misuse-browser-2024.txt",
    "what-we-found-letter-gp-2021": CORPUS / "what-we-found-letter-gp-2021.txt",
    "prison-health-joint-inspection-2022": CORPUS / "prison-health-joint-inspection-2022.txt",
    # round 13, news items, press releases and notices (2012-2015) and 2010-2012 registration
    # and review pages; annotated before the extractor ran; the 3rd, 6th and 9th written are
    # in blind/
    "news-notice-of-proposal-care-home-2014": CORPUS / "news-notice-of-proposal-care-home-2014.txt",
    "news-gp-special-measures-2015": CORPUS / "news-gp-special-measures-2015.txt",
    "notice-of-proposal-conditions-letter-2014": CORPUS
    / "notice-of-proposal-conditions-letter-2014.txt",
    "review-compliance-domiciliary-concerns-2012": CORPUS
    / "review-compliance-domiciliary-concerns-2012.txt",
    "news-ambulance-review-2012": CORPUS / "news-ambulance-review-2012.txt",
    "registration-conditions-trust-2010": CORPUS / "registration-conditions-trust-2010.txt",
    # rounds 15 and 16 (4 December, late): news items and report web pages and notices by two
    # new authors who read no rules, annotated before the extractor ran, tuned on after first
    # sight (two of round 16's are in seen/)
    "care-home-review-of-compliance-browser-2011-r16": CORPUS
    / "care-home-review-of-compliance-browser-2011-r16.txt",
    "gp-practice-browser-2018-r16": CORPUS / "gp-practice-browser-2018-r16.txt",
    "home-care-browser-inadequate-2021-r16": CORPUS / "home-care-browser-inadequate-2021-r16.txt",
    "hospital-uec-core-service-browser-2023-r16": CORPUS
    / "hospital-uec-core-service-browser-2023-r16.txt",
    "news-care-home-closed-2010-r15": CORPUS / "news-care-home-closed-2010-r15.txt",
    "news-enforcement-roundup-2025-r15": CORPUS / "news-enforcement-roundup-2025-r15.txt",
    "news-gp-special-measures-2016-r15": CORPUS / "news-gp-special-measures-2016-r15.txt",
    "news-hospital-outstanding-2019-r15": CORPUS / "news-hospital-outstanding-2019-r15.txt",
    "news-national-report-local-example-2021-r15": CORPUS
    / "news-national-report-local-example-2021-r15.txt",
    "news-prosecution-care-home-2023-r15": CORPUS / "news-prosecution-care-home-2023-r15.txt",
    "news-trust-warning-notice-2012-r15": CORPUS / "news-trust-warning-notice-2012-r15.txt",
    "nursing-home-assessment-browser-2025-r16": CORPUS
    / "nursing-home-assessment-browser-2025-r16.txt",
}
KEYWORD_WORDS = ("must", "should", "need", "needs", "needed", "needing")


def collapse(s: str) -> str:
    return " ".join(s.split())


def annotations(name: str) -> list[tuple[str, str, str]]:
    """(label, keyword, sentence) rows of a document's hand annotation."""
    path = CORPUS / f"{name}.annotations.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [(r["label"], r["keyword"] or "", collapse(r["sentence"])) for r in rows]


def has_keyword(sentence: str) -> bool:
    words = {w.strip(".,;:()“”\"'‘’*").lower() for w in sentence.split()}
    return any(k in words for k in KEYWORD_WORDS)


@pytest.fixture(scope="module", params=sorted(DOCUMENTS))
def annotated(request: pytest.FixtureRequest) -> tuple[str, str, list[tuple[str, str, str]]]:
    name = request.param
    return name, read_document(DOCUMENTS[name]).text, annotations(name)


def imported(text: str, *, include_should: bool = False) -> list:
    """What ``import`` takes from the text: nothing from a document it refuses as not a CQC
    report (as bench/score_extractor.py scores it), else the requirements."""
    if not looks_like_cqc_report(text)[0]:
        return []
    return extract_requirements(text, include_should=include_should)


def test_precision_and_recall_are_100_percent(annotated) -> None:
    name, text, rows = annotated
    expected = {s: kw for label, kw, s in rows if label == "REQ"}
    found = {r.text: r.keyword for r in imported(text, include_should=True)}
    missed = {s: kw for s, kw in expected.items() if found.get(s) != kw}
    extra = {s: kw for s, kw in found.items() if expected.get(s) != kw}
    assert not missed, f"{name}: requirements not found (or wrong keyword): {missed}"
    assert not extra, f"{name}: found but not annotated as requirements: {extra}"


def _rows(name: str) -> list[dict[str, str]]:
    with (CORPUS / f"{name}.annotations.tsv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


DUE_DOCUMENTS = sorted(n for n in DOCUMENTS if "due" in (_rows(n)[0] if _rows(n) else {}))


@pytest.mark.parametrize("name", DUE_DOCUMENTS)
def test_due_dates_are_the_ones_annotated(name: str) -> None:
    """Where an annotation has a 'due' column, each requirement carries exactly that date."""
    text = read_document(DOCUMENTS[name]).text
    rows = _rows(name)
    expected = {collapse(r["sentence"]): r["due"] or None for r in rows if r["label"] == "REQ"}
    found = {r.text: r.due for r in extract_requirements(text, include_should=True)}
    assert found == expected
    assert any(expected.values())


def test_should_items_only_with_include_should(annotated) -> None:
    name, text, rows = annotated
    expected = {s for label, kw, s in rows if label == "REQ" and kw != "should"}
    found = imported(text)
    assert {r.text for r in found} == expected
    assert all(r.keyword in ("must", "needs") for r in found)
    assert [r.position for r in found] == list(range(1, len(found) + 1))


def test_every_keyword_sentence_and_heading_is_annotated(annotated) -> None:
    """The annotation is complete: no sentence with a keyword escaped the hand review."""
    name, text, rows = annotated
    annotated_sentences = {s for _, _, s in rows}
    units = split_units(text)
    for unit in units:
        if unit.kind == "heading" or has_keyword(unit.text) or unit.kind == "bullet":
            assert unit.text in annotated_sentences, f"{name}: not annotated: {unit.text!r}"
    unit_texts = {u.text for u in units}
    for _, _, sentence in rows:
        assert sentence in unit_texts, (
            f"{name}: annotation not a sentence of the text: {sentence!r}"
        )


# --- The bundled report ---------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> list:
    return extract_requirements(BUNDLED.read_text(encoding="utf-8"))


def test_bundled_report_requirements_read_as_in_the_report(bundled) -> None:
    assert len(bundled) == 14
    first = bundled[0]
    assert first.text.startswith("Moving forwards the trust must ensure the stability")
    assert first.matched == "must ensure"
    assert first.title == (
        "Ensure the stability of the leadership team, both the executive directors and "
        "non-executive directors"
    )
    assert first.section == "Our view of the service"
    assert first.line == 14
    assert first.context.startswith("The inspection took place at a time of ongoing instability")
    last = bundled[-1]
    assert last.section == "People's experience of this service"
    assert last.matched == "was needed"
    assert last.line == 43


def test_bundled_titles_read_as_actions(bundled) -> None:
    titles = {r.title for r in bundled}
    assert "Review and strengthen assurance processes across the directorates" in titles
    assert "Prioritise succession planning" in titles
    for r in bundled:
        assert r.title[0].isupper()


PRONOUNS = {"this", "these", "those", "it", "they", "them"}


def test_bundled_titles_stand_alone_whole_and_distinct(bundled) -> None:
    """Issue 11 item 1: no title leans on its paragraph, none is cut, no two are the same."""
    assert len(bundled) == 14
    for r in bundled:
        words = {w.strip(".,;:()“”\"'‘’").lower() for w in r.title.split()}
        assert not words & PRONOUNS, r.title
        assert not r.title.endswith("…"), r.title
    assert len({r.title.lower() for r in bundled}) == 14


def test_bundled_titles_resolve_the_reference_or_lead_with_the_topic(bundled) -> None:
    by_text = {r.text.split(" ", 3)[3][:40]: r.title for r in bundled}
    titles = set(by_text.values())
    # "this" from the sentence itself ("Whilst action was being taken to promote
    # environmental sustainability at the trust, …, more needed to be done to embed this")
    assert "Embed environmental sustainability in the organisation" in titles
    # "this" from the paragraph's opening subject ("Co-production with people who use …")
    assert "Further develop co-production across the organisation" in titles
    assert (
        "Provide further support and development to embed co-production across the organisation"
        in titles
    )
    # "this" from the noun phrase the sentence before ends with ("…work on a refreshed strategy")
    assert (
        "Ensure the refreshed strategy clearly articulates the clinical strategy for physical and "
        "mental health services"
    ) in titles
    # "these interventions" / "this approach": the paragraph's topic leads the title
    assert "Responding to complaints: monitor the success of the interventions" in titles
    assert "Quality improvement: extend and embed the approach" in titles
    # two actions in one sentence keep both; "it" is the trust that the sentence is about
    assert (
        "Agree an engagement plan and embed the visits to services by members of the board"
        in titles
    )
    assert (
        "Take action to ensure Freedom to Speak Up processes are effective and clearly "
        "demonstrate that the trust has acted on concerns"
    ) in titles


def test_bundled_invariants_and_quality_statements(bundled) -> None:
    for r in bundled:
        assert r.matched and r.matched in r.text
        assert r.text in r.context
        assert r.quality_statement in NAMES
    fsu = next(r for r in bundled if "Freedom to Speak Up" in r.text)
    assert fsu.quality_statement == "Freedom to speak up"
    assert fsu.keyword == "must"
    env = next(r for r in bundled if "more needed to be done" in r.text)
    assert env.quality_statement == "Environmental sustainability – sustainable development"
    qi = next(r for r in bundled if "this approach needs to be extended" in r.text)
    assert qi.quality_statement == "Learning, improvement and innovation"
    strategy = next(r for r in bundled if "clinical strategy" in r.text)
    assert strategy.quality_statement == "Shared direction and culture"


def test_bundled_document_titles() -> None:
    assert document_title(BUNDLED.read_text(encoding="utf-8")) == (
        "Cambridgeshire and Peterborough NHS Foundation Trust — Report from 17 July 2025 assessment"
    )
    assert document_title(PRESS.read_text(encoding="utf-8")) == (
        "CQC publishes report on leadership at Cambridgeshire and Peterborough NHS Foundation Trust"
    )
    assert document_title("") is None
    assert document_title("\n - \n 12 \n") is None


def test_press_release_gives_nothing_even_without_its_quotation_marks() -> None:
    """Not only because it is quoted speech: 'where needed', 'CQC needs to see' and
    'the support needed to improve care' are excluded by their own rules."""
    text = PRESS.read_text(encoding="utf-8")
    assert extract_requirements(text, include_should=True) == []
    for mark in '“”"':
        text = text.replace(mark, "")
    assert extract_requirements(text, include_should=True) == []


# --- Text as it arrives -------------------------------------------------------------


def test_same_requirements_from_crlf_bom_and_hard_wrapped_copies() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    plain = [(r.text, r.line) for r in extract_requirements(text)]
    crlf = [(r.text, r.line) for r in extract_requirements("\ufeff" + text.replace("\n", "\r\n"))]
    assert crlf == plain


def test_sentences_split_on_missing_space_but_not_after_abbreviations() -> None:
    units = [u.text for u in split_units(read_document(DOCUMENTS["pdf-copy-hard-wrapped"]).text)]
    assert any(u.endswith("and we assessed.") for u in units)
    assert "These areas were rated requires improvement." in units
    assert any(
        u.startswith("We visited all six wards") and "e.g. risk assessments" in u for u in units
    )
    assert "Dr. Shah, the clinical director, met with us on the first day." in units
    assert any("Ward No. 3 told us" in u for u in units)
    assert any("fallen to 3.5% on the acute wards." in u for u in units)
    assert any("at www.cqc.org.uk lists" in u for u in units)


def test_page_furniture_does_not_glue_into_sentences() -> None:
    text = read_document(DOCUMENTS["pdf-copy-hard-wrapped"]).text
    reqs = extract_requirements(text)
    glued = next(r for r in reqs if "leaders needed a clearer plan" in r.text)
    assert glued.text.startswith("However, the use of bank and agency staff remained high")
    assert "Inspection report" not in glued.context
    assert all("Inspection report" not in u.text for u in split_units(text) if u.kind != "heading")
    assert glued.line == 23
    assert glued.section == "Overall summary"


def test_lead_in_bullets_are_requirements_until_the_next_heading() -> None:
    text = read_document(DOCUMENTS["old-style-trust-report"]).text
    reqs = extract_requirements(text, include_should=True)
    audit = next(r for r in reqs if r.text.startswith("undertake infection control audits"))
    assert (audit.keyword, audit.matched) == ("must", "")
    assert audit.title == "Undertake infection control audits on the community wards every month"
    assert audit.section == "Action the trust MUST take to improve"
    numbered = next(r for r in reqs if r.text.startswith("Review ligature"))
    assert (
        numbered.text
        == "Review ligature risk assessments on all inpatient wards after building work."
    )
    assert numbered.line == 37
    outstanding = next(r for r in reqs if "falls prevention" in r.text)
    assert outstanding.keyword == "should"  # the SHOULD lead-in ended at "Outstanding practice"
    assert not any(r.text.startswith("We also found") for r in reqs)


def test_one_sentence_with_two_requirements_is_one_requirement(bundled) -> None:
    fsu = [r for r in bundled if "Freedom to Speak Up" in r.text]
    assert len(fsu) == 1
    assert fsu[0].text.count("must") == 2


def test_must_not_title_and_verb_with_object_title() -> None:
    text = read_document(DOCUMENTS["pdf-copy-hard-wrapped"]).text
    titles = {r.title for r in extract_requirements(text)}
    # "this room" after "The seclusion room on Ward No. 3 did not meet…": the same room
    assert (
        "Do not use the seclusion room for seclusion until the required works are complete"
        in titles
    )
    assert "Ensure leaders have a clearer plan to recruit and retain registered nurses" in titles


def test_fingerprint_is_stable_across_wrapping_case_and_quotes() -> None:
    a = fingerprint("The trust’s leaders  must\nensure “this”.")
    assert a == fingerprint('the trust\'s leaders must ensure "this".')
    assert a != fingerprint("The trust's leaders must ensure that.")
    assert len(a) == 16


# Time here is this process's CPU time (time.process_time), not the wall clock: on a loaded
# 2-core machine (CI, the full suite beside the concurrency tests) the wall clock also counts
# the time spent waiting for a core, and a wall-clock bound fails for no fault of the code.
# The wall-clock targets of issue 7 are measured by bench/run.py, and the 1 MB extraction by
# bench/extract_speed.py, not asserted here; only growth (linear, not quadratic) is checked.


def _cpu_seconds(work: Callable[[], object], *, best_of: int = 2) -> float:
    """The least CPU time ``work`` took over ``best_of`` runs."""
    times = []
    for _ in range(best_of):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


def test_a_megabyte_of_report_gives_every_repeated_requirement() -> None:
    """How long this takes is measured by bench/extract_speed.py (under 2 s), not asserted here."""
    text = BUNDLED.read_text(encoding="utf-8")
    copies = 1_000_000 // len(text) + 1
    big = (text + "\n\n") * copies
    assert len(big) >= 1_000_000
    reqs = extract_requirements(big)
    assert len(reqs) == 14 * copies


def test_one_huge_paragraph_is_not_quadratic() -> None:
    def paragraph(repeats: int) -> str:
        return (
            "The trust must ensure staff are trained and this needed to be reviewed " * repeats
        ) + "."

    reqs = extract_requirements(paragraph(20000))
    assert len(reqs) == 1
    assert not reqs[0].title.endswith("…")  # whole: only a terminal display shortens it
    # four times the text: about four times the work when linear, sixteen when quadratic
    small = _cpu_seconds(lambda: extract_requirements(paragraph(5000)))
    large = _cpu_seconds(lambda: extract_requirements(paragraph(20000)))
    assert large < 8 * small, f"5,000 repeats: {small:.3f}s, 20,000: {large:.3f}s of CPU"


def test_many_repeated_lines_are_not_quadratic() -> None:
    """Issue 14 item 10: 20,000 repeated lines plus one must (260 KB) took 176 s, because
    each repeated line looked for its neighbours across all the others."""

    def text(repeats: int) -> str:
        return "Hello there\n" * repeats + "The trust must ensure staff are trained.\n"

    assert len(text(20000)) > 240_000
    reqs = extract_requirements(text(20000))
    assert [r.text for r in reqs] == ["The trust must ensure staff are trained."]
    # four times the lines: about four times the work when linear, sixteen when quadratic
    small = _cpu_seconds(lambda: extract_requirements(text(5000)))
    large = _cpu_seconds(lambda: extract_requirements(text(20000)))
    assert large < 8 * small, f"5,000 lines: {small:.3f}s, 20,000: {large:.3f}s of CPU"


def test_a_notice_list_gives_one_action_per_area_with_the_lead_ins_date() -> None:
    text = read_document(DOCUMENTS["requirement-notice-dental-2016"]).text
    reqs = extract_requirements(text)
    listed = [r for r in reqs if r.rule == "notice_item"]
    assert [(r.title, r.due, r.keyword, r.matched) for r in listed] == [
        (
            "Safe care and treatment (Regulation 12): meet the regulation's requirements",
            "2016-09-30",
            "must",
            "",
        ),
        (
            "Good governance (Regulation 17): meet the regulation's requirements",
            "2016-09-30",
            "must",
            "",
        ),
        (
            "Fit and proper persons employed (Regulation 19): meet the regulation's requirements",
            "2016-09-30",
            "must",
            "",
        ),
    ]
    assert all(r.section == "What you must do" for r in listed)
    assert not any(r.text.startswith("You must take action") for r in reqs)  # the lead-in


def test_notice_list_ends_at_prose_and_takes_no_menu_words() -> None:
    text = (
        "The provider must improve in the following areas by 31 March 2012:\n"
        "Outcome 9: Management of medicines\n"
        "Find a service\n"
        "Care homes\n"
        "Hospitals\n"
        "Staffing\n"
        "How the regulation is not being met:\n"
        "Medicines were not stored safely.\n"
    )
    reqs = extract_requirements(text)
    assert [(r.text, r.due) for r in reqs] == [
        ("Outcome 9: Management of medicines", "2012-03-31"),
        ("Staffing", "2012-03-31"),
    ]


def test_page_furniture_is_never_a_list_item() -> None:
    text = (
        "Action the provider MUST take to improve\n"
        "- Ensure medicines are stored safely.\n"
        "Sign in\n"
        "Find a service\n"
        "Care homes\n"
        "Hospitals\n"
        "We use cookies to make this website work. Accept all cookies\n"
    )
    assert [r.text for r in extract_requirements(text)] == ["Ensure medicines are stored safely."]
    units = {u.text for u in split_units(text)}
    assert not units & {"Sign in", "Find a service", "Care homes", "Hospitals"}


# --- Lead-in scope across service sub-headings --------------------------------------


def test_must_scope_runs_across_service_sub_headings_and_page_breaks() -> None:
    text = read_document(DOCUMENTS["trust-core-services-pdf"]).text
    reqs = extract_requirements(text, include_should=True)
    waiting = next(r for r in reqs if r.text.startswith("Ensure that all patients on the waiting"))
    assert (waiting.keyword, waiting.matched) == ("must", "")
    assert waiting.section == "Community-based mental health services for adults of working age"
    consider = next(r for r in reqs if r.text.startswith("Consider how staff"))
    assert consider.keyword == "should"
    titles = {r.title for r in reqs}
    # two requirements in one bullet keep both; the "(Regulation 12)" stays in the sentence
    assert (
        "Ensure staff are able to access emergency equipment in the crisis house and check the "
        "equipment regularly"
    ) in titles
    assert any(t.startswith("Further develop the trust’s governance processes") for t in titles)


def test_lead_in_scope_ends_at_major_heading_prose_and_keeps_lost_bullet_marks() -> None:
    text = (
        "Action the hospital MUST take to improve\n"
        "Importantly, the trust must:\n"
        "Ensure that there are enough nurses on the medical wards.\n"
        "Maternity\n"
        "Review the storage of medicines in theatres.\n"
        "The wards were clean and tidy.\n"
        "Surgery\n"
        "- Staff were kind.\n"
        "Action the trust SHOULD take to improve\n"
        "Medical care\n"
        "- Improve the recording of fluid balance.\n"
        "Outstanding practice\n"
        "- The stroke unit ran a family support group.\n"
    )
    found = {r.text: r.keyword for r in extract_requirements(text, include_should=True)}
    assert found == {
        "Ensure that there are enough nurses on the medical wards.": "must",
        "Review the storage of medicines in theatres.": "must",
        "Improve the recording of fluid balance.": "should",
    }


def test_lines_under_a_colon_lead_in_are_one_item_each_up_to_the_blank_line() -> None:
    """A list copied without its bullet marks: each line under the lead-in is one action,
    lower-case or not, whatever its first word; the paragraph after the blank line is not."""
    text = (
        "Findings\n\n"
        "Under the conditions imposed, the provider must ensure the following by 5 June 2020:\n"
        "a daily audit of infection control practice is completed on every unit\n"
        "every person has an up to date risk assessment for choking\n"
        "\n"
        "We found the following issues that the service provider needs to improve:\n"
        "The service did not check that drivers held valid licences.\n"
        "Not all vehicles carried child restraints.\n"
        "\n"
        "Staff were kind and patients spoke well of the crews.\n"
    )
    found = {r.text: (r.keyword, r.due) for r in extract_requirements(text)}
    assert found == {
        "a daily audit of infection control practice is completed on every unit": (
            "must",
            "2020-06-05",
        ),
        "every person has an up to date risk assessment for choking": ("must", "2020-06-05"),
        "The service did not check that drivers held valid licences.": ("needs", None),
        "Not all vehicles carried child restraints.": ("needs", None),
    }
    # with no blank lines anywhere, a line's neighbours say nothing: the prose after the
    # list is not an item
    flat = (
        "Summary\nThey must:\nEnsure care is provided in a safe way.\n"
        "Full details of the regulations not met are at the end of this report.\n"
        "Staff were kind.\n"
    )
    assert [r.text for r in extract_requirements(flat)] == [
        "Ensure care is provided in a safe way."
    ]


def test_a_heading_repeated_as_an_area_and_a_notice_requiring_compliance() -> None:
    """ "Outcome 14: Supporting workers" is a heading and, later, the area the provider must
    improve: written twice, it is the text's own, not a running header. "…requiring the
    provider to become compliant with the following by DATE:" is a notice's lead-in."""
    text = (
        "Outcome 14: Supporting workers\n"
        "Action needed\n"
        "Staff did not receive regular supervision.\n\n"
        "Action we have asked the provider to take\n"
        "The provider must make improvements in relation to:\n"
        "Outcome 14: Supporting workers\n\n"
        "Enforcement action we have taken\n"
        "We have served a warning notice requiring the provider to become compliant with the "
        "following by 31 October 2012:\n"
        "Regulation 10 HSCA 2008 (Regulated Activities) Regulations 2010 Assessing and "
        "monitoring the quality of service provision\n\n"
        "Help us improve this website\n"
    )
    found = [(r.text, r.keyword, r.due) for r in extract_requirements(text)]
    assert found == [
        ("Outcome 14: Supporting workers", "must", None),
        (
            "Regulation 10 HSCA 2008 (Regulated Activities) Regulations 2010 Assessing and "
            "monitoring the quality of service provision",
            "must",
            "2012-10-31",
        ),
    ]
    assert [u.text for u in split_units(text)].count("Outcome 14: Supporting workers") == 2


def test_running_header_at_a_page_break_does_not_end_the_must_list() -> None:
    footer = "{} Westford Hospitals NHS Trust Inspection report 12/04/2019"
    text = (
        "Summary of findings\nAction the trust MUST take to improve\nUrgent and emergency care\n"
        "• The trust must ensure that patients are triaged within 15 minutes of arrival.\n\n"
        f"{footer.format(22)}\nSummary of findings\n"
        "• Ensure that resuscitation equipment is checked daily.\n\n"
        f"{footer.format(23)}\nSummary of findings\nOur inspection team\n"
        "The inspection was overseen by a head of hospital inspection.\n"
        f"{footer.format(24)}\n"
    )
    assert [r.text for r in extract_requirements(text)] == [
        "The trust must ensure that patients are triaged within 15 minutes of arrival.",
        "Ensure that resuscitation equipment is checked daily.",
    ]


def test_a_line_at_one_page_top_and_another_page_foot_is_the_texts_own() -> None:
    """A PDF copy: "Management of medicines" heads a page (under the last page's footer) and,
    pages later, is the last area a notice lists (above that page's footer). A running
    header or footer keeps to one side of the page break, so this line is kept both times;
    a header written at the top of two pages is still dropped."""
    footer = "Inspection Report | Ashdown House | November 2013\nwww.cqc.org.uk\n{}\n\n"
    text = (
        "Care Quality Commission\nInspection Report\n\n"
        "Medicines were not always given as prescribed.\n\n"
        + footer.format(4)
        + "Management of medicines\nEnforcement action taken\n"
        "Two people had received their medicines late.\n\n"
        + footer.format(8)
        + "Enforcement action we have taken\n"
        "The provider must improve in the following areas by 15 November 2013:\n"
        "Regulation 13\nOutcome 09\nManagement of medicines\n\n" + footer.format(11)
    )
    found = [(r.text, r.due) for r in extract_requirements(text)]
    assert found == [
        ("Regulation 13", "2013-11-15"),
        ("Outcome 09", "2013-11-15"),
        ("Management of medicines", "2013-11-15"),
    ]
    units = [u.text for u in split_units(text)]
    assert units.count("Management of medicines") == 2
    assert not any("Ashdown House" in u for u in units)
    header = "Summary of findings\n"
    two_tops = (
        "The ward was clean.\n\n"
        + footer.format(1)
        + header
        + "Staff were kind.\n\n"
        + footer.format(2)
        + header
        + "Records were complete.\n"
    )
    assert "Summary of findings" not in [u.text for u in split_units(two_tops)]


def test_definitions_and_statute_quoted_in_reports_are_not_requirements() -> None:
    text = (
        "Action the trust MUST take is necessary to comply with its legal obligations. Action a "
        "trust SHOULD take is to comply with a minimum requirement that if not done could lead "
        "to a breach of legal requirements.\n\n"
        "Care and treatment must be provided in a safe way for service users.\n\n"
        "The table below shows why there is a need for significant improvements.\n"
    )
    assert extract_requirements(text, include_should=True) == []


# Generalisation snippets, written after the third blind round and run untuned (two of the
# rules below came from them). Each sentence alone: expected keyword, or None.
SNIPPET_SENTENCES = [
    ("Ward managers recognised they needed to review the activity timetable.", "needs"),
    ("Patients told us they needed more activities at weekends.", None),
    ("The provider told us they need to recruit more drivers to cover rural calls.", "needs"),
    ("The registered manager said they needed more support from the provider.", "needs"),
    ("Some people we spoke with told us they needed more help at night.", None),
    # issue 11: the regulator's report that it told this provider to improve is a requirement
    # even when it names nothing more (read alone, it is the requirement); "Improvements are
    # needed." in the report's own voice names nothing and no one
    ("We told the trust it needed to make significant improvements.", "needs"),
    ("We told the provider it must make improvements to the way it handles complaints.", "must"),
    ("Improvements are needed.", None),
    # a participle after the object of a verb, whatever the noun
    ("The wards lacked the equipment needed to monitor patients.", None),
    ("Staff did not have the information needed to support people safely.", None),
    ("Ward staff needed to complete the training.", "needs"),
    ("Staff told us they need to ask the principal dentist before ordering equipment.", None),
    # what staff told CQC they needed is evidence, not a requirement CQC states (the
    # reported-speech convention of 3 December 2026); the provider's managers' is the provider's
    ("Staff told us they needed more time for training.", None),
    ("The practice manager told us staff needed more time for training.", "needs"),
    ("All providers must meet the essential standards set out in the law.", None),
    ("Care must be provided in a way that protects people's dignity.", None),
    ("The MUST score was recorded for every resident.", None),
    ("We found the provider needed to improve its oversight of medicines.", "needs"),
    ("People who use services must be protected from abuse.", None),
    ("People must be supported to have maximum choice and control of their lives.", None),
    ("Patients must be seen within 15 minutes, and the trust must ensure this happens.", "must"),
    ("The home must make sure people are protected from abuse.", "must"),
    ("Staff used the MUST tool, and the home must review the scores monthly.", "must"),
    ("The board did not always receive the information it needed to challenge performance.", None),
    ("The provider did not have the data it needed to monitor the quality of care.", None),
    ("Managers needing advice on reasonable adjustments did not know where to find it.", None),
    ("This is an area needing further development.", "needs"),
    ("Records were monitored, but staff needed to record observations more consistently.", "needs"),
    ("Frontline teams often lacked the clarity or support needed to improve care.", None),
    ("Plans did not reflect their mobility needs, and these needed to be reviewed.", "needs"),
    ("Improvements are needed to the environment used for these patients.", "needs"),
    ("There was a need to strengthen the oversight of restrictive practice.", "needs"),
]


@pytest.mark.parametrize(("sentence", "keyword"), SNIPPET_SENTENCES)
def test_snippet_sentences(sentence: str, keyword: str | None) -> None:
    found = extract_requirements(sentence, include_should=True)
    assert [r.keyword for r in found] == ([keyword] if keyword else [])


def test_titles_name_the_action_not_a_pronoun() -> None:
    def title(s: str) -> str:
        return extract_requirements(s)[0].title

    assert (
        title(
            "Staff did not always complete risk assessments for patients waiting in corridors and "
            "this needed improvement."
        )
        == "Ensure staff complete risk assessments for patients waiting in corridors"
    )
    # what the provider had begun is what is developed further
    assert (
        title(
            "The ward had introduced a new handover tool for night staff and this needed further "
            "development."
        )
        == "Further develop the ward's new handover tool for night staff"
    )
    assert (
        title(
            "The practice had some systems to monitor the quality of the service, but these needed "
            "strengthening."
        )
        == "Strengthen the practice's systems to monitor the quality of the service"
    )
    assert (
        title(
            "The provider had started to analyse missed calls, but this was at an early stage and "
            "needed further development."
        )
        == "Further develop the provider's work to analyse missed calls"
    )
    # any other finding follows the verb after a colon
    assert title(
        "Patients said they waited a long time for the telephone to be answered and this "
        "needed improvement."
    ).startswith("Improve: patients said they waited a long time")
    assert title("Improvements are needed to the environment used for these patients.") == (
        "Improve the environment used for these patients"
    )
    assert title("The results must be acted on.") == "Act on the results"
    assert title("There was a need to strengthen the oversight of restrictive practice.") == (
        "Strengthen the oversight of restrictive practice"
    )
    assert title("The board needs assurance that actions are completed.") == (
        "Ensure the board has assurance that actions are completed"
    )


def test_a_reported_must_on_the_provider_stays_a_requirement() -> None:
    """Reported speech about staff describes them; reported speech about the provider is a requirement."""
    kept = [
        "The chief executive told us the trust must improve its complaints handling.",
        "Leaders told us that the board must strengthen its oversight of risk.",
    ]
    dropped = [
        "Staff told us they must often work through their breaks.",
        "The registered manager told us that all staff must complete training.",
    ]
    for sentence in kept:
        assert [r.keyword for r in extract_requirements(sentence)] == ["must"], sentence
    for sentence in dropped:
        assert extract_requirements(sentence) == [], sentence


# --- Issue 11, sixth and seventh rounds ---------------------------------------------


def _titles(name: str) -> set[str]:
    text = read_document(DOCUMENTS[name]).text
    return {r.title for r in extract_requirements(text, include_should=True)}


def test_titles_resolve_what_the_pronoun_or_the_lone_verb_stands_for() -> None:
    # "they" opening a coordinated clause is what opens the sentence
    assert "Update care plans when a patient's risks change" in _titles(
        "mh-wards-core-service-2018"
    )
    # a verb alone ("…agreed these needed to restart") takes its subject
    assert "Restart audits of care records" in _titles("hospice-2016")
    # "it" after "the way" is the provider; in news, the one CQC told
    assert "Improve the way the trust learns from complaints" in _titles(
        "nhs-trust-inspection-2016"
    )
    assert any(
        t.startswith("Make improvements to the way the trust cares for")
        for t in _titles("news-reported-speech-2014")
    )
    # "complete it": what the same verb took in the finding before
    assert (
        "Ensure that all community nurses complete level 3 safeguarding training by the end of "
        "the year"
    ) in _titles("community-health-adults-pdf-2017")


def test_titles_drop_the_finding_and_turn_participles_into_actions() -> None:
    assert "Reduce hospital handover delays" in _titles("ambulance-service-2019")
    assert "Complete physical health observations after rapid tranquillisation" in _titles(
        "mh-wards-core-service-2018"
    )
    assert "Complete and act on medicines audits every month" in _titles("saf-hospice-2025")
    assert "Audit the use of the birthing pool" in _titles("nhs-trust-inspection-2016")
    # "them" is not the subject of its own clause; "make sure they" is the must's subject
    assert "Make sure that patients are involved in writing care plans" in _titles(
        "community-mh-requirement-notice-2019"
    )
    assert "Make sure leaders have effective oversight of risks" in _titles(
        "independent-ambulance-saf-2024"
    )
    assert "Recruit more consultants in emergency medicine" in _titles("news-reported-speech-2014")
    # one clause with two participles stays as it is
    assert "Ensure that patients' fluid balance charts are completed and reviewed" in _titles(
        "nhs-trust-inspection-2016"
    )


def test_a_notice_list_of_titles_ends_at_a_menu_word_and_keeps_its_date() -> None:
    text = read_document(DOCUMENTS["news-warning-notices-2011"]).text
    listed = [r for r in extract_requirements(text) if r.rule == "notice_item"]
    assert [(r.text, r.due) for r in listed] == [
        ("Care and welfare of people who use services", "2011-08-31"),
        ("Safeguarding people who use services from abuse", "2011-08-31"),
        ("Management of medicines", "2011-08-31"),
    ]
    units = {u.text for u in split_units(text)}
    assert not units & {"Media", "Provider zone", "Hospitals and clinics", "Dentists and GPs"}


GENERAL_AND_MET_SENTENCES = [
    ("A registered person must comply with the requirements of the regulations.", None),
    ("Any person employed by a registered provider must have a DBS check.", None),
    ("Registered providers must tell CQC about changes to their services.", None),
    ("NHS trusts must publish an annual report on the duty of candour.", None),
    ("Dentists must follow national guidance when they take X-rays.", None),
    ("Crews must carry a defibrillator on every vehicle, as the specification requires.", None),
    ("The practice needed to audit infection control, as the guidance recommends.", "needs"),
    ("Should a crew need advice, a senior clinician was available.", None),
    ("The trust should have completed its review of the rota by March.", None),
    ("The checklist should be completed for every patient, and audits showed it was.", None),
    ("Care plans were personalised, but they needed updating when risks changed.", "needs"),
    ("Patients were positive, but they needed more time with nurses.", None),
    ("Staff received the training and supervision needed to care for people.", None),
    ("Staff in some teams told us they needed to escalate concerns twice.", None),
    ("We have told the provider where it needs to make improvements to its governance.", "needs"),
    ("We have told the provider where it needs to improve.", "needs"),
    ("Physical health checks included MUST and NEWS2 scores.", None),
    ("Visitors must sign in at reception.", None),
    ("Does the trust need to recruit more nurses?", None),
    ("The procedure says that staff should phone the base after each visit.", None),
    ("It should be noted that the service had moved to new premises.", None),
    ("It must be noted that the practice had lost two partners.", None),
    ("This must have been difficult for the remaining staff.", None),
    ("The care and treatment of service users must be appropriate and meet their needs.", None),
    ("Carers must be offered an assessment, and the service did not always do this.", "must"),
]


@pytest.mark.parametrize(("sentence", "keyword"), GENERAL_AND_MET_SENTENCES)
def test_general_statements_conditions_and_met_standards(
    sentence: str, keyword: str | None
) -> None:
    found = extract_requirements(sentence, include_should=True)
    assert [r.keyword for r in found] == ([keyword] if keyword else [])


# Round 5a (issue 11): the structures behind the 2011-2018 documents' first-sight errors, each
# with a sentence on the other side of the line so that the rule cannot simply swallow both.
ROUND_5A_SENTENCES = [
    # a bare plural naming a kind of provider states the law for the class
    ("Care homes must notify CQC of certain events, such as serious injuries.", None),
    ("From November 2014, all NHS bodies must meet the duty of candour.", None),
    ("The care home must notify CQC of serious injuries without delay.", "must"),
    # "a" + a class noun + a relative or a participle is any member of the class
    ("A provider that is not meeting the regulations must be told.", None),
    ("An organisation providing regulated activities must be registered.", None),
    ("The provider that runs the home must review its staffing.", "must"),
    # a part of the document pointing at what follows names nothing itself
    (
        "The table below shows where regulations were not being met and the provider must "
        "take action to make sure that these are met.",
        None,
    ),
    ("The provider must take action to make sure that medicines are stored safely.", "must"),
    # an embedded question after a verb of knowing or saying
    (
        "Care workers could describe the signs of abuse and knew what they must do if they "
        "had a concern.",
        None,
    ),
    ("Staff could explain how they must report an incident.", None),
    ("We have told the provider what it must do to improve the way medicines are managed.", "must"),
    # the regulator told the provider where it needs to improve (a requirement), then a clause
    # of its own about something else
    (
        "We have told the provider where it needs to improve, and it has sent us a plan that "
        "says how it will do this.",
        "needs",
    ),
    (
        "We have told the provider where it needs to improve, in the planning of call times "
        "and in the supervision of care workers.",
        "needs",
    ),
    # a predicate of saying joined by "and" has the sentence's subject
    (
        "The branch manager acknowledged that the supervision schedule had slipped and said "
        "she needed to recruit a second field supervisor.",
        "needs",
    ),
    (
        "The practice manager agreed the backlog was too long and told us they needed to "
        "recruit another secretary.",
        "needs",
    ),
    ("People were happy and said they needed more activities.", None),
    ("Staff described the rota and said they needed to leave some calls early.", None),
    # "needed" + a participle used as an adjective + a noun, in a reported clause about a
    # thing of the service
    (
        "The ward sister told us the ward needed protected mealtimes to be respected by other "
        "departments.",
        "needs",
    ),
    ("Staff told us the changes needed included a new rota.", None),
    # a reported need made the cause of something is a circumstance
    (
        "The ward manager told us she needed to move staff from the day shift to cover "
        "nights, which left the day shift short.",
        None,
    ),
    ("The manager told us she needed to review the policy, which was out of date.", "needs"),
    # a thing needed, then brought into being, is met; approved or booked is still to come
    (
        "The chief executive told CQC that the trust needed more beds during the winter and "
        "that it had opened a 24-bed ward in August.",
        None,
    ),
    ("The manager told us the service needed more staff and had recruited two carers.", None),
    ("The manager told us the service needed more space and had booked a surveyor.", "needs"),
    # staff's own duty stated, then found done, is met; found not done, it is a requirement
    (
        "Staff must complete the provider's mandatory training every year, and records showed "
        "they had.",
        None,
    ),
    (
        "Staff must complete the provider's mandatory training every year, and records showed "
        "they had not.",
        "must",
    ),
    ("The trust must review its complaints policy, and records showed it had.", "must"),
]


@pytest.mark.parametrize(("sentence", "keyword"), ROUND_5A_SENTENCES)
def test_round_5a_sentence_structures(sentence: str, keyword: str | None) -> None:
    found = extract_requirements(sentence, include_should=True)
    assert [r.keyword for r in found] == ([keyword] if keyword else [])


def test_a_headline_with_a_reported_must_and_a_quotation_are_not_a_list() -> None:
    """A news page's headline "CQC tells X it must improve…" is not a lead-in, and a
    quotation paragraph opening with its quotation mark is never a list item, whatever its
    first word ("Staff at…" could be a verb)."""
    text = (
        "CQC tells Marshfield Hospitals NHS Trust it must improve its emergency care\n\n"
        "Professor Sir Mike Richards, Chief Inspector of Hospitals, said:\n\n"
        '"Staff at Marshfield were working hard. But the trust must get a grip on the flow '
        "of patients.\n\n"
        "Review the arrangements for discharging patients at weekends.\n\n"
        "Inspectors have told the trust that it must take action in the following areas:\n"
        "ensure patients arriving by ambulance are assessed within 15 minutes\n\n"
        "The full report is available on our website.\n"
    )
    found = {r.text: r.keyword for r in extract_requirements(text)}
    assert found == {
        "ensure patients arriving by ambulance are assessed within 15 minutes": "must",
    }


# Round 6 (issue 11): the structures behind the round's tuning documents' first-sight errors,
# each with a sentence on the other side of the line.
ROUND_6_SENTENCES = [
    # a rule source with a plural subject states the rule ("The guidelines state that…")
    (
        "The guidelines state that water used for dialysis must be tested for bacteria and "
        "endotoxins every month.",
        None,
    ),
    ("The state of the kitchen must be improved before the next visit.", "must"),
    # what frames a clause that names nothing (when, a concession, a purpose that is
    # improvement itself) names nothing either
    (
        "Following this inspection, we told the provider that it must make some improvements, "
        "even though a regulation had not been breached, to help the service improve.",
        "must",
    ),
    (
        "Following this inspection, we told the provider that it must make improvements to its "
        "water testing, even though a regulation had not been breached.",
        "must",
    ),
    # a group of staff (a plural, not the leaders) telling how they work
    (
        "Care coordinators said they needed to see people more often but their caseloads were "
        "too high, with an average of 46 people each.",
        None,
    ),
    ("The practice partners told us they needed to review the rota.", "needs"),
    (
        "The practice did not have a defibrillator, and the GPs told us they needed to decide "
        "whether to buy one.",
        "needs",
    ),
    # things needed, taken up by a numeral in the passive and provided, are met
    (
        "Managers told us more call auditors were needed, and two had been recruited and were "
        "in post.",
        None,
    ),
    (
        "Managers told us more call auditors were needed, and two posts had been advertised.",
        "needs",
    ),
    (
        "Managers told us more psychologists were needed, and two had been appointed and were "
        "due to start in April.",
        "needs",
    ),
    # a reported need to do something each time a thing happens is how the work is done
    (
        "The clinical navigator told us he needed to ring patients back to check on them when "
        "their wait went over 2 hours, but on busy shifts he could not always do this.",
        None,
    ),
    (
        "The clinical navigator told us he needed to introduce a check of every call waiting "
        "over 2 hours.",
        "needs",
    ),
    # …unless the speaker is one who runs the service: a manager's is a gap
    (
        "The service manager told us she needed to update the standard operating procedure "
        "when the referral criteria changed.",
        "needs",
    ),
    # a kind of provider narrowed by a prepositional phrase is still the whole kind
    ("All care homes with nursing must have a registered nurse on duty at all times.", None),
    ("Care homes with nursing must have a registered nurse on duty.", None),
    ("Care plans with gaps must be reviewed by the nurse in charge.", "must"),
    # a bare plural "services", with no article or owner, is services of a kind
    (
        "Services must be able to show how they meet the principles of Right support, right "
        "care, right culture.",
        None,
    ),
    ("The trust's community services must be able to show how they learn from deaths.", "must"),
    # an indefinite subject whose must is for any provider of a kind named after it
    (
        "A registered manager must be in post for a supported living service that provides "
        "personal care.",
        None,
    ),
    ("A registered manager must be appointed for the service without delay.", "must"),
    # after a statement of the law, a clause about a particular thing that needs changing
    (
        "Practices must meet the Accessible Information Standard, and the policy needs to be "
        "updated to show how the practice records patients' communication needs.",
        "needs",
    ),
    (
        "Care must be provided in a way that respects people's dignity, and staff need to be "
        "trained to do this.",
        None,
    ),
]


# Round 7 (issue 11): the structures behind the round 7 tuning documents' first-sight errors,
# each with a text on the other side of the line. An entry's expectation is the keyword of the
# one requirement the sentence is (None: it is not one), or the list of (text, keyword) a
# longer text gives.
ROUND_7_SENTENCES: list[tuple[str, str | None | list[tuple[str, str]]]] = [
    # a numbered paragraph of a notice can be its lead-in; the next numbered paragraph ends
    # the list of areas
    (
        "7. We found staffing was unsafe.\n\n"
        "8. You must become compliant with the following regulations by 30 April 2012:\n"
        "Regulation 12 Cleanliness and infection control\n"
        "Regulation 22 Staffing\n\n"
        "9. If you do not become compliant by that date, we may take further action.\n",
        [
            ("Regulation 12 Cleanliness and infection control", "must"),
            ("Regulation 22 Staffing", "must"),
        ],
    ),
    (
        "Action the trust MUST take to improve\n\n"
        "1. Ensure that staffing levels are safe.\n"
        "2. Ensure that records are kept.\n",
        [
            ("Ensure that staffing levels are safe.", "must"),
            ("Ensure that records are kept.", "must"),
        ],
    ),
    # a MUST list written as sentences under its heading is the report's list of actions, so
    # the requirement notice's rows are not actions again
    (
        "Action the provider MUST take to improve\n"
        "The trust must ensure that risk assessments are reviewed after incidents.\n\n"
        "Action we have told the provider to take\n\n"
        "Regulation 12 HSCA (RA) Regulations 2014 Safe care and treatment\n"
        "Risk assessments were not updated following incidents.\n",
        [("The trust must ensure that risk assessments are reviewed after incidents.", "must")],
    ),
    (
        "The service was not safe.\n\n"
        "Action we have told the provider to take\n\n"
        "Regulation 12 HSCA (RA) Regulations 2014 Safe care and treatment\n"
        "Risk assessments were not updated following incidents.\n",
        [("Risk assessments were not updated following incidents.", "must")],
    ),
    # a bare plural naming a kind of provider, then a clause about this provider by its own
    # name: the first is the rule for the class
    (
        "Ambulance services must work with acute trusts and commissioners to manage handover "
        "delays, and the trust was part of a system-wide group that met weekly.",
        None,
    ),
    (
        "Services should be accessible to everyone who needs them, and the trust had produced "
        "information in several languages.",
        None,
    ),
    ("Community services must reduce their waiting times.", "must"),
    (
        "Community services must reduce their waiting times, and the trust had a plan to do so.",
        "must",
    ),
    (
        "The trust's community services must reduce their waiting times, and the trust had a plan.",
        "must",
    ),
    # the provider's own rule, then where it was not kept: a duty not met
    (
        "The trust's clinical risk policy says that risk assessments must be reviewed after "
        "every significant event, but in nine of the 30 records we reviewed this had not "
        "happened.",
        "must",
    ),
    (
        "The trust's clinical risk policy says that risk assessments must be reviewed after "
        "every significant event, and in all the records we reviewed this had happened.",
        None,
    ),
    # staff reporting a rule of their work, then "but" and what happened instead: a duty not
    # met; "and" goes on with the account, and a need is not a rule
    (
        "Staff told us they should attend a practice meeting every month, but the last "
        "meeting had been in November 2017.",
        "should",
    ),
    (
        "Staff told us they must read a person's care plan before their first call, but care "
        "plans were not always in people's homes.",
        "must",
    ),
    (
        "Staff told us they must phone the team base when they finished each home visit, and "
        "the duty worker checked that everyone was accounted for.",
        None,
    ),
    (
        "Staff told us they needed to take their masks off in the staff room to eat, but the "
        "room was too small.",
        None,
    ),
    ("People told us they should ring the bell, but nobody came.", None),
    # one member of staff speaking of her own work is staff's account, as "Staff told us
    # they…" is; one who runs the service speaks for it
    (
        "There was no cleaning schedule for the first floor and the housekeeper told us she "
        "needed to cover laundry duties on three days a week.",
        None,
    ),
    ("The nurse told us she needed to cover the ward on three days a week.", None),
    ("The lead nurse told us she needed to review the rota.", "needs"),
    ("The principal dentist told us they needed to arrange a new assessment.", "needs"),
    # right after a personal pronoun "needed" is its verb, so a participle after it is an
    # adjective on the object; after a noun it is still the participle
    (
        "The infection control lead told us she needed protected time to carry out audits, "
        "and none had been completed since July 2011.",
        "needs",
    ),
    ("People told us they needed specialised equipment at home.", None),
    ("Staff told us the changes needed included a new rota.", None),
    # improvements needed "for this essential standard", summed up "overall", name nothing
    ("Overall, we found that improvements were needed for this essential standard.", None),
    (
        "Overall, we found that improvements were needed to the way creams are recorded.",
        "needs",
    ),
    # "their care plans said they needed…": the reported "they" is the "their", so when the
    # sentence opens with the people using the service the need is theirs
    (
        "Four people had been assessed as being at high risk of developing pressure ulcers "
        "and their care plans said they needed to be repositioned every two hours.",
        None,
    ),
    (
        "Staff were busy and their managers said they needed to recruit more nurses.",
        "needs",
    ),
    # a reported need for a thing, then "one was being installed": under way, so met; "one
    # was being planned" is still to come
    (
        "The nominated individual told us the provider needed to invest in an electronic call "
        "monitoring system, and one was being installed at the time of our inspection.",
        None,
    ),
    (
        "The nominated individual told us the provider needed to invest in an electronic call "
        "monitoring system, and one was being planned.",
        "needs",
    ),
    # a need to do a thing oneself ("…herself") is the speaker's own work, done in someone's
    # place; without the reflexive it is what the service has to do
    (
        "The registered manager told us she needed to complete the audits herself because "
        "the care coordinator post had been vacant since September 2023.",
        None,
    ),
    (
        "The registered manager told us she needed to complete the audits because the care "
        "coordinator post had been vacant.",
        "needs",
    ),
    # two regulation lines that differ only in the regulation's number are two regulations,
    # not a page footer whose number changes
    (
        "Compliance actions\n\n"
        "Regulation 14 HSCA 2008 (Regulated Activities) Regulations 2010\n"
        "Meeting nutritional needs\n\n"
        "The provider must improve in the following areas by 31 January 2014:\n"
        "Regulation 10 HSCA 2008 (Regulated Activities) Regulations 2010\n"
        "Outcome 16\n\n"
        "This report is requested under regulation 10(3).\n",
        [
            ("Regulation 10 HSCA 2008 (Regulated Activities) Regulations 2010", "must"),
            ("Outcome 16", "must"),
        ],
    ),
    (
        "Findings\n\nStaff were kind.\n\nOakdene Court Inspection Report 1\n\n"
        "The provider must review its audits.\n\nOakdene Court Inspection Report 2\n\n"
        "More text here.\n\nOakdene Court Inspection Report 3\n",
        [("The provider must review its audits.", "must")],
    ),
]


@pytest.mark.parametrize(("sentence", "keyword"), ROUND_6_SENTENCES)
def test_round_6_sentence_structures(sentence: str, keyword: str | None) -> None:
    found = extract_requirements(sentence, include_should=True)
    assert [r.keyword for r in found] == ([keyword] if keyword else [])


def test_a_breach_row_whose_label_is_a_line_of_its_own() -> None:
    """A PDF's 'Action we have told the provider to take' table copied line by line: the
    regulation's title is the heading above the row, the label "How the regulation was not
    being met:" a line of its own, and the failure the line after it (a report with no MUST
    list), so the failure is the row's one action; the label alone names nothing."""
    text = (
        "Care Quality Commission\n\nInspection Report\n\n"
        "Action we have told the provider to take\n"
        "Regulation 9 HSCA 2008 (Regulated Activities) Regulations 2010\n"
        "Care and welfare of people who use services\n"
        "How the regulation was not being met:\n"
        "Care plans had not been updated for 3 people whose mobility had changed.\n\n"
        "Staff were kind and knew people well.\n"
    )
    found = extract_requirements(text)
    assert {r.text: r.keyword for r in found} == {
        "Care plans had not been updated for 3 people whose mobility had changed.": "must"
    }
    # the perfect passive failure, as the action that puts it right
    assert found[0].title == "Ensure care plans are updated for 3 people whose mobility had changed"


@pytest.mark.parametrize(
    ("sentence", "title"),
    [
        (
            "Audits of medicines and nutrition records need to be completed each month and "
            "reported to the clinical governance committee.",
            "Complete audits of medicines and nutrition records each month and report them to "
            "the clinical governance committee",
        ),
        (
            "The care plan needs to be reviewed every week and shared with the family.",
            "Review the care plan every week and share it with the family",
        ),
    ],
)
def test_a_second_participle_after_an_adverbial_is_a_second_verb(sentence: str, title: str) -> None:
    """ "…need to be completed each month and reported to…": both participles become verbs,
    the second taking the same object again ("them", "it")."""
    assert [r.title for r in extract_requirements(sentence)] == [title]


def test_a_line_of_two_sentences_in_a_run_of_listed_lines_is_one_item() -> None:
    """Under "…the following issues that the service provider needs to improve:", lines with
    no bullet marks: a line of two sentences next to one-sentence lines is an item whole, as
    a bulleted one would be; last in the run, or alone under a lead-in, it stays sentences."""
    listed = (
        "However, we also found the following issues that the service provider needs to "
        "improve:\n"
        "The unit did not test its water each month. The guidelines set this out.\n"
        "Not all staff had completed sepsis training.\n"
        "We told the provider it must make some improvements. Details are at the end.\n\n"
        "Staff were kind.\n"
    )
    assert [(u.kind, u.text) for u in split_units(listed)][1:5] == [
        ("bullet", "The unit did not test its water each month. The guidelines set this out."),
        ("bullet", "Not all staff had completed sepsis training."),
        ("sentence", "We told the provider it must make some improvements."),
        ("sentence", "Details are at the end."),
    ]
    alone = (
        "The provider needs to improve the following:\n"
        "The unit did not test its water each month. The guidelines set this out.\n\n"
        "Staff were kind.\n"
    )
    assert [u.kind for u in split_units(alone)][1:3] == ["sentence", "sentence"]


def test_a_listed_item_of_two_sentences_is_titled_by_its_first() -> None:
    """The first sentence of a two-sentence item says what to put right; the second (what
    the guidelines say) elaborates, so the title stops at the first."""
    text = (
        "However, we also found the following issues that the service provider needs to "
        "improve:\n"
        "The unit did not carry out the monthly water quality tests that the guidelines set "
        "out. The guidelines state that water must be tested every month.\n"
        "Not all staff had completed training in the recognition of sepsis.\n\n"
        "Staff were kind.\n"
    )
    assert [r.title for r in extract_requirements(text)] == [
        "Ensure the unit carries out the monthly water quality tests that the guidelines set out",
        "Ensure all staff have completed training in the recognition of sepsis",
    ]


@pytest.mark.parametrize(
    ("sentence", "title"),
    [
        # the reason is the finding, not part of the action
        (
            "The emergency trolley was checked daily, but the defibrillator pads needed "
            "replacing because they had passed their expiry date.",
            "Replace the defibrillator pads",
        ),
        (
            "The trust must ensure that escorted leave is not cancelled because of staff "
            "shortages.",
            "Ensure that escorted leave is not cancelled because of staff shortages",
        ),
        # "they" in the title's own plural clause is that clause's subject
        (
            "Leaders needed to make sure audits checked the quality of support plans as well as "
            "that they were in place.",
            "Make sure audits checked the quality of support plans as well as that they were in "
            "place",
        ),
    ],
)
def test_round_6_titles(sentence: str, title: str) -> None:
    assert [r.title for r in extract_requirements(sentence)] == [title]


@pytest.mark.parametrize(("text", "expected"), ROUND_7_SENTENCES)
def test_round_7_sentence_structures(
    text: str, expected: str | None | list[tuple[str, str]]
) -> None:
    found = [(r.text, r.keyword) for r in extract_requirements(text, include_should=True)]
    if isinstance(expected, list):
        assert found == expected
    else:
        assert [kw for _, kw in found] == ([expected] if expected else [])


# Round 7's titles: each requirement the round's rules take reads as an action on its own.
ROUND_7_TITLES = [
    # a participle used as an adjective opens the object of a reported need
    (
        "The infection control lead told us she needed protected time to carry out audits.",
        "Ensure the infection control lead has protected time to carry out audits",
    ),
    # the demonstrative is what the clause before says the provider had
    (
        "The practice had some systems to help them manage risk, but these needed to be more effective.",
        "Ensure the practice's systems to manage risk are more effective",
    ),
    # (its other side: a plain subject keeps its own 'Ensure X is …')
    (
        "Managers told us the discharge process needed to be quicker.",
        "Ensure the discharge process is quicker",
    ),
    # 'more' standing alone takes up the counted noun phrase before it
    (
        "The trust had recruited 140 new emergency care assistants, and more were needed in the east of the region.",
        "Ensure there are more emergency care assistants in the east of the region",
    ),
    # (its other side: 'more' with its own noun)
    (
        "The service did not have enough midwives, and more midwives were needed on night shifts.",
        "Ensure there are more midwives on night shifts",
    ),
    # what staff must have, the provider makes sure of
    (
        "Care workers must have a Disclosure and Barring Service check before they start work.",
        "Ensure care workers have a Disclosure and Barring Service check before they start work",
    ),
    # (its other side: the provider's own 'must have')
    (
        "The trust must have a clear plan for its estate.",
        "Have a clear plan for the trust's estate",
    ),
]


@pytest.mark.parametrize(("sentence", "title"), ROUND_7_TITLES)
def test_round_7_titles(sentence: str, title: str) -> None:
    assert [r.title for r in extract_requirements(sentence, include_should=True)] == [title]


def test_a_should_heading_ends_a_that_list_and_a_told_to_list_takes_its_actions() -> None:
    """ "Action the provider SHOULD take to improve" under "The provider must ensure that:" is
    the next list's heading, not one more clause of the must list; "We told the provider to
    make the following improvements:" opens a list whose lines, capitalised like headings,
    are its actions."""
    text = (
        "Areas for improvement\n\nAction the provider MUST take to improve\n\n"
        "The provider must ensure that:\n- care plans are reviewed monthly\n"
        "- staff receive training in the Mental Capacity Act\n\n"
        "Action the provider SHOULD take to improve\n\n"
        "- The provider should review how it seeks feedback from relatives.\n"
        "- Medicines audits should include topical creams.\n\n"
        "We told the provider to make the following improvements:\n"
        "Ensure the safe management of medicines\n"
        "Improve the governance of the service\n"
    )
    found = [(r.keyword, r.title) for r in extract_requirements(text, include_should=True)]
    assert found == [
        ("must", "Ensure care plans are reviewed monthly"),
        ("must", "Ensure staff receive training in the Mental Capacity Act"),
        ("should", "Review how the provider seeks feedback from relatives"),
        ("should", "Ensure medicines audits include topical creams"),
        ("must", "Ensure the safe management of medicines"),
        ("must", "Improve the governance of the service"),
    ]


# Round 8's titles: a reason given after ", as" is the finding, not part of the action.
ROUND_8_TITLES = [
    (
        "However, the provider needs to make sure that the medicines audit checks the stock of "
        "as required medicines, as we found two boxes that had passed their expiry date.",
        "Make sure that the medicines audit checks the stock of as required medicines",
    ),
    (
        "The trust should make sure that all health visitors complete level 3 safeguarding "
        "training, as 82% had done so against a target of 95%.",
        "Make sure that all health visitors complete level 3 safeguarding training",
    ),
    (
        "The trust should make sure that patients on Aire ward have access to psychological "
        "therapy, as the psychologist post had been vacant since October 2017.",
        "Make sure that patients on Aire ward have access to psychological therapy",
    ),
    (
        "The provider must ensure that hot water in the ground floor bathrooms is kept below 44 "
        "degrees, as two outlets ran hotter during our inspection.",
        "Ensure that hot water in the ground floor bathrooms is kept below 44 degrees",
    ),
    # (its other side: "as" + what the rule sets out stays)
    (
        "The trust should make sure that all health visitors complete level 3 safeguarding "
        "training, as set out in its policy.",
        "Make sure that all health visitors complete level 3 safeguarding training, as set out "
        "in the trust's policy",
    ),
]


@pytest.mark.parametrize(("sentence", "title"), ROUND_8_TITLES)
def test_round_8_titles(sentence: str, title: str) -> None:
    assert [r.title for r in extract_requirements(sentence, include_should=True)] == [title]


# Round 8 (precision on reports rated Good or Outstanding): a text on each side of every rule.
ROUND_8_SENTENCES: list[tuple[str, str | None]] = [
    # a verb of saying opening a predicate joined by "and" has the sentence's subject: staff
    # telling us a rule of their own work, as "Staff told us they must…" is
    (
        "Staff knew how to report incidents and told us they must record any fall on the "
        "electronic system before the end of their shift.",
        None,
    ),
    # (its other side: what they said is about the provider, by name)
    (
        "The registered manager reviewed the rota and told us the home must recruit two more "
        "nurses.",
        "must",
    ),
    # a need followed by a record showing it was done is met, as a should is
    (
        "One trustee said the board needed to know about every complaint, and the minutes "
        "showed it did.",
        None,
    ),
    # (its other side: the record shows it was not)
    (
        "One trustee said the board needed to know about every complaint, and the minutes "
        "showed it did not.",
        "needs",
    ),
    # a leader reporting what the provider must always (or never) do states a principle it
    # holds, true at every time, not a gap
    (
        "The chief executive told us the hospice must always put people and families first, "
        "and staff we spoke with shared this.",
        None,
    ),
    # (its other side: a must for a particular time or thing)
    (
        "The chief executive told us the hospice must put families first in its new strategy.",
        "must",
    ),
    # care owned by anyone ("each person's", "every patient's") is care in general, as a bare
    # "Care must be planned…" is
    ("Each person's care must be planned with them and reviewed when their needs change.", None),
    # (its other side: a particular record, or a particular person's care)
    ("Each person's care plan must be updated after a fall.", "must"),
    ("The person's care must be planned with them.", "must"),
    # a should in a relative clause with no "that" ("every notification it should have") is
    # on the noun, as "the support they need" is
    (
        "CQC must be notified of certain events, such as deaths and serious injuries, and the "
        "home had sent us every notification it should have.",
        None,
    ),
    # (its other side: the pronoun is the subject of a clause of its own)
    ("The home had sent us every notification, but it should send them sooner.", "should"),
    # praise as the feeling it is owed ("should be proud of") is praise, as "must be
    # commended" is
    (
        "The home should be proud of its activities programme, which people told us they loved.",
        None,
    ),
    # (its other side: being aware of something is a thing to do)
    ("Staff should be aware of the new falls policy.", "should"),
    # a condition put first in the reported clause does not end the report: "they" is still
    # what the nurses said of their own work
    (
        "Nurses told us that when a patient needed to be secluded, they must inform the duty "
        "doctor within one hour.",
        None,
    ),
    # (its other side: the reported clause's subject is the provider)
    (
        "The manager told us that when staff were off sick, the home must use agency staff more "
        "carefully.",
        "must",
    ),
    # a bare plural "services" narrowed by a participle is services of that kind
    ("Services rated inadequate need to be inspected again within six months.", None),
    # (its other side: narrowed to a place of this provider's)
    ("Services provided at the satellite clinic need to be reviewed.", "needs"),
    # "a service" (any service) is the kind, where "the service" is this one
    (
        "To be rated good, a service needs to show that it is safe, effective, caring, "
        "responsive and well-led.",
        None,
    ),
    # (its other side: this service, or a new one for it)
    ("The service needs to show that it learns from incidents.", "needs"),
    ("A new service needs to be set up for young carers.", "needs"),
    # "a new one" brought into being takes up the thing needed, as "one" does
    (
        "The principal dentist told us the practice needed to replace the compressor, and a new "
        "one had been installed in September 2021.",
        None,
    ),
    # (its other side: ordered, still to come)
    (
        "The principal dentist told us the practice needed to replace the compressor, and a new "
        "one had been ordered.",
        "needs",
    ),
    # the past perfect puts a need before the time the report tells of: a circumstance
    (
        "During the winter of 2018 the hospital had needed to close 6 beds because of an outbreak.",
        None,
    ),
    # (its other side: the simple past of the inspection's time)
    ("The hospital needed to close 6 beds on the ward with the leaking roof.", "needs"),
    # the need's own verb, as the noun of a clause saying it was completed, is met
    (
        "The hospital needed to move its minor injuries unit to a new building in 2019 when the "
        "lease on the old one ended, and the move was completed in June 2019.",
        None,
    ),
    (
        "The home needed to refurbish two bathrooms, and the refurbishment had been completed by "
        "our visit.",
        None,
    ),
    # (its other side: the deed planned, not done)
    (
        "The hospital needed to move its minor injuries unit to a new building, and the move was "
        "planned for June 2021.",
        "needs",
    ),
    # a rule of the provider's own, taken up by "and it did so", is kept
    (
        "The board must approve every new clinical policy, and it did so for the falls policy in "
        "March 2019.",
        None,
    ),
    # (its other side: it did not)
    (
        "The board must approve every new clinical policy, and it did not do so for the falls "
        "policy.",
        "must",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ROUND_8_SENTENCES)
def test_round_8_sentence_structures(text: str, expected: str | None) -> None:
    found = [r.keyword for r in extract_requirements(text, include_should=True)]
    assert found == ([expected] if expected else [])


# Round 9 (tests/corpus/README.md): short passages cut from CQC pages, news and notices. A
# text on each side of every rule the round's tuning documents led to (written for this test,
# not copied from the corpus).
ROUND_9_SENTENCES = [
    # the callers of a 999 or NHS 111 service are the people using it: their need is theirs
    ("Some callers needed to wait more than an hour for a call back from a clinician.", None),
    # (its other side: the provider's call handlers needed to)
    ("Call handlers needed to complete welfare calls for every patient waiting.", "needs"),
    # a bare plural named by its kind of provider ("Ambulance services") is the class
    (
        "Ambulance services must respond to the most serious calls within 7 minutes on average.",
        None,
    ),
    # (its other side: the trust's own ambulance services)
    (
        "The trust's ambulance services must respond faster to the most serious calls.",
        "must",
    ),
    # what relatives told CQC carers needed is evidence, not a requirement CQC states (the
    # reported-speech convention of 3 December 2026), whichever carers they mean
    ("Relatives told us carers needed to arrive on time for the morning call.", None),
    ("Relatives told us family carers needed more respite at weekends.", None),
    ("Carers told us they needed more information about the respite service.", None),
    # a pronoun opening a coordinated clause of saying is the sentence's opening subject:
    # staff needing more training is a gap, as "Staff told us they needed more training" is
    (
        "Staff knew what they should do when a fridge alarmed, but they told us they needed "
        "more training on the new electronic recording system.",
        "needs",
    ),
    # (its other sides: staff describing their own work, and the people using the service)
    (
        "Staff were kind, but they told us they needed to complete the daily notes before the "
        "end of each shift.",
        None,
    ),
    ("People were positive, but they told us they needed more help at mealtimes.", None),
    # a need for a thing or a person, and "a new" + the same noun come since, is met
    (
        "The practice needed to recruit a practice nurse after the previous nurse left in "
        "2015, and a new nurse had started in February 2016.",
        None,
    ),
    ("The home needed to replace the boiler, and a new boiler had been installed in May.", None),
    # (its other sides: a new one only advertised for, and a new thing of another kind)
    (
        "The practice needed to recruit a practice nurse, and a new nurse had been advertised "
        "for in March.",
        "needs",
    ),
    ("The home needed to replace the boiler, and a new cooker had been installed in May.", "needs"),
]


@pytest.mark.parametrize(("text", "expected"), ROUND_9_SENTENCES)
def test_round_9_sentence_structures(text: str, expected: str | None) -> None:
    found = [r.keyword for r in extract_requirements(text, include_should=True)]
    assert found == ([expected] if expected else [])
