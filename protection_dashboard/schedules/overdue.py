"""Whether a schedule has silently stopped protecting a resource.

The rule: the point of a run expected at ``r`` (by the pattern, in UTC, as
Mistral reads it) is due by the run after ``r`` plus an hour's grace: a run
may be late or fail once, and the next one may make up for it.  Take the
newest run whose point is due; the resource is overdue when the schedule
existed before that run and the resource's newest point of the schedule's
plugin is older than it.  So a daily schedule is flagged an hour after its
second missed run, one every ten minutes after 70 minutes without a point.
"""

from __future__ import annotations

import datetime

from croniter import CroniterError, croniter

#: How long after the next run a run's point may still come.
GRACE = datetime.timedelta(hours=1)
#: Runs looked back at most (a run every minute needs 61 to pass the grace).
_LOOK_BACK = 100


def _naive_utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC).replace(tzinfo=None)


def due_run(pattern: str, now: datetime.datetime) -> datetime.datetime | None:
    """The newest expected run whose point is due by ``now`` (the run after it and
    the grace are past; aware, UTC), or None for a pattern croniter does not read."""
    try:
        runs = croniter(pattern, _naive_utc(now))
        after = runs.get_next(datetime.datetime)
        for _unused in range(_LOOK_BACK):
            run = runs.get_prev(datetime.datetime)
            if after + GRACE <= _naive_utc(now):
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
