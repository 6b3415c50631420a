"""Cron patterns of schedules (schedules/cron.py): field errors, preview, next runs."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from protection_dashboard.schedules import cron

# A fixed "now": Thursday 3 December 2026, 15:52:10 UTC.
NOW = datetime.datetime(2026, 12, 3, 15, 52, 10, tzinfo=datetime.UTC)

PREVIEWS = [
    ("* * * * *", "Every minute (UTC)"),
    ("*/15 * * * *", "Every 15 minutes (UTC)"),
    ("15 * * * *", "At minute 15 of every hour (UTC)"),
    ("0 */2 * * *", "Every 2 hours at minute 0 (UTC)"),
    ("* 9-17 * * *", "Every minute of hour 9 to 17 (UTC)"),
    ("30 2 * * *", "Every day at 02:30 (UTC)"),
    ("0 8,20 * * *", "Every day at 08:00 and 20:00 (UTC)"),
    ("0 2 * * 1-5", "At 02:00, on Monday to Friday (UTC)"),
    ("30 2 * * sat,sun", "At 02:30, on Saturday and Sunday (UTC)"),
    ("0 0 * * 7", "At 00:00, on Sunday (UTC)"),
    ("0 3 1 * *", "At 03:00, on day 1 of the month (UTC)"),
    ("0 2 1,15 * 1", "At 02:00, on day 1 and 15 of the month and on Monday (UTC)"),
    ("0 0 1 1,7 *", "At 00:00, on day 1 of the month, in January and July (UTC)"),
    ("0,30 9-17 * * mon-fri",
     "At minute 0 and 30 of hour 9 to 17, on Monday to Friday (UTC)"),
    ("5-10/2 * * jan-mar *", "At minute 5, 7 and 9 of every hour, in January to March (UTC)"),
]


@pytest.mark.parametrize(("pattern", "preview"), PREVIEWS)
def test_preview_in_plain_words(pattern, preview):
    cron.validate_pattern(pattern)
    assert cron.describe(pattern) == preview


def test_preview_and_field_error_in_german():
    with translation.override("de"):
        assert cron.describe("0 2 * * 1-5") == "Um 02:00, am Montag bis Freitag (UTC)"
        assert cron.describe("0 0 1 1,7 *") == (
            "Um 00:00, am Tag 1 des Monats, im Januar und Juli (UTC)")
        with pytest.raises(ValidationError) as raised:
            cron.validate_pattern("* 24 * * *")
        assert raised.value.messages == [
            "Das Feld Stunde „24“ ist ungültig: erlaubt sind 0-23, *, Listen (1,15), "
            "Bereiche (1-5) und Schritte (*/10)."]


WRONG = [
    ("* * * *", "Enter five fields"),
    ("0 0 * * * *", "Enter five fields"),  # croniter's seconds
    ("@daily", "Enter five fields"),
    ("", "Enter five fields"),
    ("60 * * * *", "The minute field “60” is not valid: use 0-59,"),
    ("*/0 * * * *", "The minute field “*/0” is not valid"),
    ("H * * * *", "The minute field “H” is not valid"),  # croniter's hashed minutes
    ("* 24 * * *", "The hour field “24” is not valid: use 0-23,"),
    ("0 0 L * *", "The day of month field “L” is not valid: use 1-31,"),
    ("0 0 0 * *", "The day of month field “0” is not valid"),
    ("* * * 13 *", "The month field “13” is not valid: use 1-12 or jan-dec,"),
    ("* * * * 8", "The day of week field “8” is not valid: use 0-7 or sun-sat"),
    ("0 0 * * mon#1", "The day of week field “mon#1” is not valid"),
    ("0 0 31 2 *", "This pattern matches no date"),
]


@pytest.mark.parametrize(("pattern", "message"), WRONG)
def test_a_wrong_pattern_names_the_wrong_field(pattern, message):
    with pytest.raises(ValidationError) as raised:
        cron.validate_pattern(pattern)
    assert raised.value.messages[0].startswith(message), raised.value.messages


def test_next_three_runs_in_utc():
    assert cron.next_runs("*/15 * * * *", "UTC", NOW) == [
        datetime.datetime(2026, 12, 3, 16, 0, tzinfo=ZoneInfo("UTC")),
        datetime.datetime(2026, 12, 3, 16, 15, tzinfo=ZoneInfo("UTC")),
        datetime.datetime(2026, 12, 3, 16, 30, tzinfo=ZoneInfo("UTC")),
    ]


def test_next_runs_are_shown_in_the_users_timezone_but_run_in_utc():
    berlin = ZoneInfo("Europe/Berlin")
    runs = cron.next_runs("30 2 * * *", "Europe/Berlin", NOW)
    # 02:30 UTC is 03:30 in Berlin in winter.
    assert runs == [datetime.datetime(2026, 12, day, 3, 30, tzinfo=berlin) for day in (4, 5, 6)]
    assert all(run.tzinfo == berlin for run in runs)


def test_next_runs_across_a_daylight_saving_change():
    # Europe/Berlin moves to summer time on Sunday 28 March 2027: 02:30 UTC is
    # 03:30 before and 04:30 after.
    now = datetime.datetime(2027, 3, 26, 12, 0, tzinfo=datetime.UTC)
    assert [run.strftime("%d %H:%M %Z") for run in
            cron.next_runs("30 2 * * *", "Europe/Berlin", now)] == [
        "27 03:30 CET", "28 04:30 CEST", "29 04:30 CEST"]


def test_next_runs_start_after_now_even_when_now_matches():
    on_the_minute = datetime.datetime(2026, 12, 3, 16, 0, tzinfo=datetime.UTC)
    assert cron.next_runs("0 * * * *", "UTC", on_the_minute, count=1) == [
        datetime.datetime(2026, 12, 3, 17, 0, tzinfo=datetime.UTC)]
