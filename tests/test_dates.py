"""Due dates as UK governance staff write them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpft_tracker.dates import parse_date
from cpft_tracker.errors import UsageProblem

BASE = dt.date(2026, 1, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-31", dt.date(2026, 3, 31)),
        ("31/03/2026", dt.date(2026, 3, 31)),
        ("01/04/2026", dt.date(2026, 4, 1)),  # day first: 1 April, not 4 January
        ("1/4/26", dt.date(2026, 4, 1)),
        ("31-03-2026", dt.date(2026, 3, 31)),
        ("31.03.2026", dt.date(2026, 3, 31)),
        ("31 March 2026", dt.date(2026, 3, 31)),
        ("31 Mar 26", dt.date(2026, 3, 31)),
        ("31st March 2026", dt.date(2026, 3, 31)),
        ("March 31, 2026", dt.date(2026, 3, 31)),
        ("  31   MARCH   2026 ", dt.date(2026, 3, 31)),
        ("+30d", dt.date(2026, 3, 2)),
        ("+6w", dt.date(2026, 3, 14)),
        ("+3m", dt.date(2026, 4, 30)),  # 31 Jan + 3 months: end of April
        ("+1m", dt.date(2026, 2, 28)),
        ("+1y", dt.date(2027, 1, 31)),
        ("today", BASE),
        ("tomorrow", dt.date(2026, 2, 1)),
        ("29/02/2028", dt.date(2028, 2, 29)),
    ],
)
def test_accepted_forms(text: str, expected: dt.date) -> None:
    assert parse_date(text, base=BASE) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2026",
        "29/02/2027",
        "tomorrowish",
        "",
        "13/13/2026",
        "2026-02-30",
        "31 Smarch 2026",
        "+3q",
        "00/01/2026",
    ],
)
def test_refused_forms_show_an_accepted_form(text: str) -> None:
    with pytest.raises(UsageProblem) as err:
        parse_date(text, base=BASE)
    assert "31/03/2026" in err.value.message
    assert err.value.exit_code == 2


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_real_date_round_trips_in_uk_and_iso_forms(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(day.strftime("%d %B %Y")) == day
    assert parse_date(day.strftime("%d %b %y")) == day


@given(st.text(max_size=40))
def test_any_text_is_a_date_or_a_plain_usage_problem(text: str) -> None:
    try:
        result = parse_date(text, base=BASE)
    except UsageProblem as err:
        assert "\n" not in err.message or "\n" in text
    else:
        assert isinstance(result, dt.date)


def test_days_before_today_read_as_a_governance_lead_writes_them() -> None:
    """For --since / --as-of ("what moved in the last 30 days"): "-30d", "-6w", "yesterday"."""
    base = dt.date(2026, 12, 3)
    assert parse_date("-30d", base=base) == dt.date(2026, 11, 3)
    assert parse_date("- 6w", base=base) == dt.date(2026, 10, 22)
    assert parse_date("-3m", base=base) == dt.date(2026, 9, 3)
    assert parse_date("yesterday", base=base) == dt.date(2026, 12, 2)
    assert parse_date("+30d", base=base) == dt.date(2027, 1, 2)


def test_an_unreadable_since_says_which_dates_it_takes() -> None:
    from cpft_tracker.asof import parse_as_of

    with pytest.raises(UsageProblem) as caught:
        parse_as_of("last week", today=dt.date(2026, 12, 3), option="--since")
    assert str(caught.value) == (
        "Cannot read 'last week' as a date for --since. Use a date up to today, such as "
        "31/03/2026, 2026-03-31, 31 March 2026, yesterday or -30d (30 days ago)."
    )
