"""Cron patterns of schedules: check one, say it in words, list its next runs.

The workflow service (Mistral) reads a cron trigger's pattern with ``croniter`` in
UTC (its clock is naive UTC). So do we: the preview says UTC, and the next runs
are computed in UTC and shown in the user's timezone. Only the classic five
fields are accepted: numbers or names, ``*``, lists, ranges and steps; croniter's
extensions (``L``, ``#``, ``H``, ``?``, seconds, ``@daily``) are refused, so a
pattern means the same in every cron a user knows.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from croniter import CroniterError, croniter
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.functional import Promise
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclasses.dataclass(frozen=True)
class _Field:
    label: Promise
    allowed: Promise


_FIELDS = (
    _Field(gettext_lazy("minute"), gettext_lazy("0-59")),
    _Field(gettext_lazy("hour"), gettext_lazy("0-23")),
    _Field(gettext_lazy("day of month"), gettext_lazy("1-31")),
    _Field(gettext_lazy("month"), gettext_lazy("1-12 or jan-dec")),
    _Field(gettext_lazy("day of week"), gettext_lazy("0-7 or sun-sat (0 and 7 are Sunday)")),
)
_VALUE = r"([0-9]+|[a-z]{3})"  # a number or a month or weekday name
_ITEM = rf"(\*|{_VALUE}(-{_VALUE})?)(/[0-9]+)?"
_SYNTAX = re.compile(rf"{_ITEM}(,{_ITEM})*", re.IGNORECASE)


def validate_pattern(pattern: str) -> None:
    """Raise a ``ValidationError`` naming the wrong field, or nothing (a Django validator)."""
    fields = pattern.split()
    if len(fields) != len(_FIELDS):
        raise ValidationError(
            gettext_lazy("Enter five fields separated by spaces: minute, hour, day of "
                         "month, month and day of week."), code="fields")
    for position, (value, field) in enumerate(zip(fields, _FIELDS, strict=True)):
        probe = ["*"] * len(_FIELDS)
        probe[position] = value
        if not _SYNTAX.fullmatch(value) or not croniter.is_valid(" ".join(probe)):
            raise ValidationError(
                gettext_lazy("The %(field)s field “%(value)s” is not valid: use "
                             "%(allowed)s, *, lists (1,15), ranges (1-5) and steps (*/10)."),
                code="field", params={"field": field.label, "value": value,
                                      "allowed": field.allowed})
    try:
        croniter(pattern, datetime.datetime(2000, 1, 1)).get_next(datetime.datetime)
    except CroniterError as exc:
        raise ValidationError(
            gettext_lazy("This pattern matches no date (such as 31 February)."),
            code="never") from exc


def next_runs(pattern: str, timezone: str, now: datetime.datetime,
              count: int = 3) -> list[datetime.datetime]:
    """The next ``count`` runs after ``now`` (aware), as Mistral computes them (in UTC),
    in ``timezone``."""
    runs = croniter(pattern, now.astimezone(datetime.UTC).replace(tzinfo=None))
    zone = ZoneInfo(timezone)
    return [runs.get_next(datetime.datetime).replace(tzinfo=datetime.UTC).astimezone(zone)
            for _unused in range(count)]


def _runs(values: list[int]) -> list[tuple[int, int]]:
    """Consecutive values as (first, last) pairs: [1, 2, 3, 5] -> [(1, 3), (5, 5)]."""
    pairs: list[tuple[int, int]] = []
    for value in values:
        if pairs and value == pairs[-1][1] + 1:
            pairs[-1] = (pairs[-1][0], value)
        else:
            pairs.append((value, value))
    return pairs


def _list(values: list[int], name: Callable[[int], str] = str) -> str:
    """``values`` in words: '1, 5 to 9 and 12' (a run of three or more is a range)."""
    items: list[str] = []
    for first, last in _runs(sorted(values)):
        if last - first >= 2:
            items.append(_("%(first)s to %(last)s") % {"first": name(first),
                                                          "last": name(last)})
        else:
            items.extend(name(value) for value in range(first, last + 1))
    return str(get_text_list(items, _("and")))


def _step(values: list[int], span: int) -> int | None:
    """n when ``values`` are every n-th of 0..span-1 (a ``*/n``), else None."""
    if len(values) > 1 and values[0] == 0:
        step = values[1]
        if values == list(range(0, span, step)):
            return step
    return None


def _time_phrase(minutes: list, hours: list, every_day: bool) -> str:
    minute_step = _step(minutes, 60) if minutes != ["*"] else None
    if hours == ["*"]:
        if minutes == ["*"]:
            return _("every minute")
        if minute_step:
            return _("every %(count)d minutes") % {"count": minute_step}
        return _("at minute %(minutes)s of every hour") % {"minutes": _list(minutes)}
    if minutes == ["*"]:
        return _("every minute of hour %(hours)s") % {"hours": _list(hours)}
    hour_step = _step(hours, 24)
    if hour_step and len(minutes) == 1:
        return _("every %(count)d hours at minute %(minute)d") % {
            "count": hour_step, "minute": minutes[0]}
    if len(minutes) * len(hours) <= 6:
        times = str(get_text_list(
            ["%02d:%02d" % (hour, minute) for hour in hours for minute in minutes],
            _("and")))
        if every_day:
            return _("every day at %(times)s") % {"times": times}
        return _("at %(times)s") % {"times": times}
    return _("at minute %(minutes)s of hour %(hours)s") % {
        "minutes": _list(minutes), "hours": _list(hours)}


def _weekday(monday_based: int) -> str:
    return str(WEEKDAYS[monday_based])


def _day_phrase(days: list, weekdays: list) -> str:
    # cron counts weekdays from Sunday (0), Django from Monday (0).
    named = _list([(day - 1) % 7 for day in weekdays], _weekday) if weekdays != ["*"] else ""
    if days == ["*"]:
        return _("on %(weekdays)s") % {"weekdays": named} if named else ""
    monthly = _("on day %(days)s of the month") % {"days": _list(days)}
    if named:  # cron runs when either field matches
        return _("%(monthly)s and on %(weekdays)s") % {"monthly": monthly, "weekdays": named}
    return monthly


def describe(pattern: str) -> str:
    """A valid pattern in plain words, e.g. 'Every day at 02:30 (UTC)'."""
    minutes, hours, days, months, weekdays = croniter(pattern).expanded
    day_phrase = _day_phrase(days, weekdays)
    parts = [_time_phrase(minutes, hours, every_day=not day_phrase and months == ["*"]),
             day_phrase]
    if months != ["*"]:
        parts.append(_("in %(months)s") % {
            "months": _list(months, lambda month: str(MONTHS[month]))})
    return _("%(when)s (UTC)") % {"when": capfirst(", ".join(part for part in parts if part))}
