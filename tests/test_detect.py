"""looks_like_cqc_report on short passages (issue 11 item 4): what CQC writes is taken even
when the passage never names CQC, its law or its framework; only positive evidence of some
other kind of text (this tool's export, a licence, a text with almost nothing about health
or social care inspection in it) is refused.

The passages were written for this test in the styles of CQC's pages, news items and
notices, 2009-2025, each deliberately without "CQC", "Care Quality Commission",
"regulation" or "quality statement": an excerpt copied out of a page rarely carries them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpft_tracker.cli import app
from cpft_tracker.extract import looks_like_cqc_report
from tests.conftest import json_actions

# What an excerpt copied out of a CQC page seldom carries.
REGULATOR_NAMES_RE = re.compile(
    r"\bcqc\b|care quality commission|regulation|quality statement", re.I
)

# --- passages CQC could have written: all must be taken ---------------------------------

TAKEN = {
    "core-service-page-2017": (
        "Medical care (including older people's care)\n\n"
        "Staff on the wards did not always complete risk assessments for falls and pressure "
        "ulcers within six hours of admission. Records showed gaps in the monitoring of "
        "fluid balance on two of the four wards we visited. Nurse staffing levels did not "
        "always match the planned numbers, particularly at night.\n\n"
        "Patients told us that staff were kind and treated them with dignity."
    ),
    "news-item-2014": (
        "Inspectors have told Riverside Hospital that it must make urgent improvements to "
        "the care of patients in its emergency department after an unannounced inspection in "
        "March. The chief inspector said that patients were waiting too long to be assessed, "
        "and that the hospital's leaders needed to act quickly."
    ),
    "warning-notice-extract-2010": (
        "We have served a warning notice on Meadowbank Nursing Home. The provider must "
        "become compliant with outcome 4, care and welfare of people who use services, and "
        "outcome 9, management of medicines, by 30 June 2010."
    ),
    "gp-page-summary-2016": (
        "Overall, the practice is rated as good.\n\n"
        "There was an effective system in place for reporting and recording significant "
        "events. Patients said they found it easy to make an appointment with a named GP. "
        "The practice should review how it identifies carers so that they can be offered "
        "support."
    ),
    "review-of-compliance-2011": (
        "Our judgement\n\n"
        "The provider was not meeting this essential standard. People's care was not always "
        "planned and delivered in a way that ensured their safety and welfare. We have "
        "asked the provider to send us a report of the changes they will make."
    ),
    "dental-page-2019": (
        "Are services safe?\n\n"
        "The practice had infection control procedures which reflected published guidance. "
        "Staff knew their responsibilities for safeguarding vulnerable adults and children. "
        "The dentists did not always record in patients' notes the justification for taking "
        "X-rays. The practice should improve the recording of this information."
    ),
    "home-care-2018": (
        "People who used the service said carers usually arrived on time and stayed for the "
        "full length of the call. However, some people's care plans had not been updated "
        "after their needs changed. The registered manager told us they were recruiting "
        "more care workers and planned to review every care plan by the end of the month."
    ),
    "hospice-2019": (
        "The hospice provided outstanding end of life care. Staff went the extra mile to "
        "meet people's wishes, and families told us the team had supported them through "
        "bereavement. Leaders needed to make sure that audits of controlled drugs were "
        "completed every month."
    ),
    "care-home-saf-2024": (
        "We looked for evidence that the service learned from incidents and safeguarding "
        "concerns. Staff did not always report incidents, and managers did not review the "
        "ones that were reported for themes. Residents and their relatives told us they "
        "felt safe."
    ),
    "mental-health-ward-2021": (
        "The ward environments were clean but not all ligature risks had been identified. "
        "Not all patients had a care plan that reflected their views. Staff did not always "
        "record seclusion in line with the trust's policy, and the trust must address this."
    ),
    "ambulance-2018": (
        "Response times for the most serious calls were worse than the national standard. "
        "Crews did not always have access to the equipment they needed. The trust should "
        "ensure that vehicle cleaning is audited and that medical gases are stored securely."
    ),
    "trust-well-led-excerpt-2025": (
        "Leaders had a credible strategy, but it was not yet understood by staff in all "
        "services. The board did not have enough oversight of waiting lists in community "
        "services. The trust needs to strengthen how it hears the voices of people who use "
        "its services."
    ),
    "requirement-list-line": (
        "The provider must ensure that people receive their medicines as prescribed."
    ),
    "findings-one-line": "Medicines were not always stored at the right temperature.",
    "independent-hospital-2022": (
        "Surgical services\n\n"
        "Theatre staff completed the five steps to safer surgery checklist for every patient "
        "we observed. The service did not have a clear process for escalating deteriorating "
        "patients, and not all staff had completed sepsis training."
    ),
    "learning-disability-2023": (
        "People were not always supported to take part in activities they enjoyed. Staff "
        "used restrictive practices without recording the reasons, and the provider had not "
        "made sure staff understood how to support people whose behaviour may challenge."
    ),
}


@pytest.mark.parametrize("name", sorted(TAKEN))
def test_a_cqc_style_passage_is_taken_without_cqc_s_name(name: str) -> None:
    text = TAKEN[name]
    assert not REGULATOR_NAMES_RE.search(text), name  # the point of the test
    ok, reason = looks_like_cqc_report(text)
    assert ok, f"{name}: {reason}"


# --- texts that are not CQC's: all must be refused --------------------------------------

README = """# fastcsv

A tiny, fast CSV parser for Python.

## Install

```sh
pip install fastcsv
```

## Usage

    import fastcsv
    rows = fastcsv.read("data.csv")

Run `fastcsv --help` for the command-line options. You must have Python 3.9 or later; the
parser needs a UTF-8 file. Contributions should include tests: see CONTRIBUTING.md.
"""

RECIPE = """Classic lemon drizzle cake

Serves 8. Prep 15 mins, cook 45 mins.

Ingredients: 225g unsalted butter, 225g caster sugar, 4 eggs, 225g self-raising flour,
1 lemon, zested.

Preheat the oven to 180C/160C fan. Beat the butter and sugar until pale, then add the
eggs one at a time. The cake must cool in the tin for 10 minutes, and the drizzle should
be poured while it is still warm. It needs a tablespoon of lemon juice.
"""

FOOTBALL = """United 2-1 City: late winner keeps title hopes alive

A stoppage-time header from the captain gave United a dramatic victory at a rain-soaked
stadium on Saturday. City had led at half-time through a penalty, but the home side
improved after the break. The manager said his players needed to show that character
every week and that the team must keep improving if they want to win the league. The
referee was booed off at full time by the travelling fans.
"""

JOB_ADVERT = """Staff Nurse - Ward 7 (Elderly Care)
Band 5 | Salary £29,970 - £36,483 per annum | Closing date 14 March 2025

We are looking for an enthusiastic registered nurse to join our friendly team caring for
older patients. You will deliver high quality, person-centred care and work closely with
doctors and therapists. The successful candidate must hold current NMC registration and
should have experience of caring for people living with dementia.

Our trust was rated good at its last inspection. Interviews will be held on 28 March.
Apply online today.
"""

POLICY_PAGE = """Parking permits - Anytown District Council
Home > Parking and roads > Residents' parking

Residents' parking permits
You need a permit to park in a residents' parking zone between 8am and 6pm. A permit
costs £60 a year and you must renew it every 12 months. Visitors should use a visitor
voucher. If you have a blue badge you can park free of charge in any permit bay.
Apply for a permit online or call our contact centre. We aim to process applications
within 10 working days.
"""

NEWS_WEATHER = """Heavy rain expected across the region this weekend

Forecasters have issued a yellow weather warning for rain from Friday evening. Drivers
should allow extra time for journeys, and the council said residents needed to clear
drains outside their homes. Flooding is possible in low-lying areas.
"""

APACHE = """Licensed under the Apache License, Version 2.0 (the "License"); you may not use
this file except in compliance with the License. You must give any other recipients of the
Work a copy of this License.
"""

OWN_EXPORT_TEXT = """CQC action plan: progress
9 of 14 tracked actions complete
Ref | BRAG | Status | Due | Owner
CPFT-01 | Green | in-progress | 31 Mar 2026 | Director of Nursing
"""

TERMS = """Terms and conditions of sale

1. These terms apply to every order placed through our website. You must be 18 or over
to place an order. Goods should be inspected on delivery and any damage reported within
48 hours. We need your full address to deliver. Refunds are made to the original card
within 14 days of our receiving the returned goods.
"""

HOLIDAY = """Our week in Cornwall

We stayed in a lovely cottage near the harbour. The owners had left a welcome basket,
and the beach was a short walk away. We rated the fish and chips outstanding. Next time
we need to book the surf lessons earlier, and we should bring more jumpers!
"""

REFUSED = {
    "software-readme": README,
    "recipe": RECIPE,
    "football-report": FOOTBALL,
    "nhs-job-advert": JOB_ADVERT,
    "council-policy-page": POLICY_PAGE,
    "weather-news": NEWS_WEATHER,
    "apache-licence-header": APACHE,
    "own-export-text": OWN_EXPORT_TEXT,
    "shop-terms": TERMS,
    "holiday-blog": HOLIDAY,
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_text_that_is_not_cqc_s_is_refused(name: str) -> None:
    ok, reason = looks_like_cqc_report(REFUSED[name])
    assert not ok, f"{name} was taken: {reason}"
    assert reason and "\n" not in reason and reason == reason.strip()


def test_the_reason_says_what_kind_of_text_it_is() -> None:
    assert looks_like_cqc_report(APACHE)[1] == "it is a software licence, not a CQC report"
    assert looks_like_cqc_report(OWN_EXPORT_TEXT)[1] == (
        "it is a board report or export made by cpft-tracker, not a CQC report"
    )
    assert looks_like_cqc_report(JOB_ADVERT)[1] == "it is a job advert, not a CQC report"
    assert looks_like_cqc_report(README)[1] == ("it is software documentation, not a CQC report")
    assert looks_like_cqc_report(RECIPE)[1] == (
        "it says little or nothing about care, patients, staff, inspection or ratings"
    )


def test_this_projects_own_readme_is_refused_though_it_is_all_about_cqc() -> None:
    """The strongest case: software documentation full of CQC's words."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert looks_like_cqc_report(readme) == (
        False,
        "it is software documentation, not a CQC report",
    )


def test_a_passage_taken_stays_taken_inside_a_web_page_s_furniture() -> None:
    """A core-service excerpt pasted with the site's menu and cookie banner still reads as
    inspection writing."""
    page = (
        "Skip to main content\nAccept all cookies\nHome\nServices\nNews\nContact us\n\n"
        + TAKEN["core-service-page-2017"]
        + "\n\nPrivacy policy\nAccessibility statement\nFollow us on Facebook\n"
    )
    assert looks_like_cqc_report(page)[0]


def test_a_short_passage_without_cqc_s_name_imports(
    runner: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    """What a user sees: the passage is imported, not refused, and gives its action."""
    passage = tmp_path / "ward-excerpt.txt"
    passage.write_text(TAKEN["mental-health-ward-2021"], encoding="utf-8")
    result = runner.invoke(app, ["import", str(passage), "--report", "Ward excerpt"])
    assert result.exit_code == 0, result.stderr
    actions = json_actions(runner)
    assert [a["requirement"] for a in actions] == [
        "Staff did not always record seclusion in line with the trust's policy, and the trust "
        "must address this."
    ]


def test_a_football_report_is_refused_by_import_with_the_usual_line(
    runner: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    page = tmp_path / "match-report.txt"
    page.write_text(FOOTBALL, encoding="utf-8")
    result = runner.invoke(app, ["import", str(page)])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: match-report.txt does not look like a CQC report: it says little or nothing "
        "about care, patients, staff, inspection or ratings. Nothing was imported; if it is "
        "one, import it anyway with --force.\n"
    )
    assert not db_path.exists()
