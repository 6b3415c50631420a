"""Whether a schedule has silently stopped protecting a resource.

The rule: a run expected at ``r`` (by the pattern, in UTC, as Mistral reads it)
should have left a point by ``r + grace``, where the grace is the larger of
one hour and the gap to the run after ``r`` (a run may be late, or fail once
and the next one make up for it).  Take the newest such run whose grace is
over; the resource is overdue when the schedule existed before that run and
the resource's newest point of the schedule's plugin is older than it.  For a
daily schedule that is two missed runs; for one every ten minutes, an hour
without a point.
"""

from __future__ import annotations

import datetime

from croniter import CroniterError, croniter

MIN_GRACE = datetime.timedelta(hours=1)
#: Runs looked back at most (a run every minute needs 60 to pass an hour's grace).
_LOOK_BACK = 100


def _naive_utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC).replace(tzinfo=None)


def due_run(pattern: str, now: datetime.datetime) -> datetime.datetime | None:
    """The newest run expected before ``now`` whose grace is over (aware, UTC), or
    None for a pattern croniter does not read."""
    try:
        runs = croniter(pattern, _naive_utc(now))
        after = runs.get_next(datetime.datetime)
        for _unused in range(_LOOK_BACK):
            run = runs.get_prev(datetime.datetime)
            if run + max(MIN_GRACE, after - run) <= _naive_utc(now):
                return run.replace(tzinfo=datetime.UTC)
            after = run
    except (CroniterError, ValueError):
        return None
    return None


def missed_run(pattern: str, created_at: datetime.datetime | None,
               newest_point: datetime.datetime | None,
               now: datetime.datetime) -> datetime.datetime | None:
    """The expected run that left no point, or None when the schedule keeps its promise.

    All times are aware.  ``created_at`` is the schedule's (None: unknown, taken as
    old); ``newest_point`` the resource's newest point of the schedule's plugin.
    """
    due = due_run(pattern, now)
    if due is None or (created_at is not None and created_at > due):
        return None
    if newest_point is not None and newest_point >= due:
        return None
    return due
