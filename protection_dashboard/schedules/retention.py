"""Which protection points a schedule's run deletes: a pure function of the points.

A schedule marks each point it makes with the metadata ``SCHEDULE_TAG`` = its id.
The rule applies to each resource of the schedule on its own ("keep the newest 7"
keeps seven points of every volume, never seven in all, which could leave a
volume with none): it keeps the resource's newest ``keep_newest`` points and,
optionally, the first point of each of the last ``daily`` days, ``weekly`` ISO
weeks and ``monthly`` months in the user's timezone (the first of a period, so a
point once kept for its period stays kept until the period ages out). Points made
in the same second are ordered by id. What is safe, whatever the rule:

* a point without this schedule's tag (made by hand, or by another schedule) is
  never selected;
* nothing is selected when the run's protect step failed;
* a point in progress (neither successful nor deletable) is never selected, and
  only successful points count as kept: a new point still being made does not
  push an older good one out.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

#: The metadata key of a point made by a schedule; its value is the schedule's id.
SCHEDULE_TAG = 'protection_dashboard_schedule'


def schedule_of(point: Any) -> str | None:
    """The id of the schedule that made a point (a service's resource), or None."""
    return (getattr(point, 'metadata', None) or {}).get(SCHEDULE_TAG)


@dataclasses.dataclass(frozen=True)
class Retention:
    """A schedule's retention rule; the periods are counted in ``timezone``."""

    keep_newest: int
    daily: int = 0
    weekly: int = 0
    monthly: int = 0
    timezone: str = 'UTC'

    def __post_init__(self) -> None:
        if self.keep_newest < 1:
            raise ValueError('a schedule keeps at least its newest point')
        if min(self.daily, self.weekly, self.monthly) < 0:
            raise ValueError('period counts cannot be negative')
        ZoneInfo(self.timezone)  # an unknown zone fails here, not at the first run

    @property
    def by_period(self) -> bool:
        """Whether the rule keeps points per day, week or month (not only the newest)."""
        return bool(self.daily or self.weekly or self.monthly)


@dataclasses.dataclass(frozen=True)
class Point:
    """What retention reads of a protection point."""

    id: str
    created_at: datetime.datetime
    schedule_id: str | None
    status: str
    #: The protected resource (the point's parent: a snapshot's volume).
    resource_id: str = ''

    @classmethod
    def from_record(cls, record: Mapping[str, Any], parent_key: str) -> Point:
        """A point from a service's record: Cinder and Manila give ``created_at`` as an
        ISO string in UTC without an offset, and the tag in ``metadata``."""
        created = record['created_at']
        if isinstance(created, str):
            created = datetime.datetime.fromisoformat(created)
        return cls(id=record['id'], created_at=created,
                   schedule_id=(record.get('metadata') or {}).get(SCHEDULE_TAG),
                   status=(record.get('status') or '').lower(),
                   resource_id=record.get(parent_key) or '')


def _aware(moment: datetime.datetime) -> datetime.datetime:
    """A naive time is UTC, as the services give it."""
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


_PERIODS: dict[str, Callable[[datetime.datetime], tuple[int, ...]]] = {
    'daily': lambda local: (local.year, local.month, local.day),
    'weekly': lambda local: local.isocalendar()[:2],
    'monthly': lambda local: (local.year, local.month),
}


def _first_of_periods(points: list[Point], count: int, period: str,
                      zone: ZoneInfo) -> set[str]:
    """The first point of each of the ``count`` newest periods holding a point."""
    key = _PERIODS[period]
    first: dict[tuple[int, ...], str] = {}
    for point in points:  # oldest first
        first.setdefault(key(_aware(point.created_at).astimezone(zone)), point.id)
    return {first[period_key] for period_key in sorted(first, reverse=True)[:count]}


def _age(point: Point) -> tuple[datetime.datetime, str]:
    """Oldest first; points of the same second (as the services store them) by id."""
    return _aware(point.created_at), point.id


def kept(retention: Retention, points: Iterable[Point]) -> set[str]:
    """The ids the rule keeps among ``points`` (one resource's successful points of
    one schedule)."""
    oldest_first = sorted(points, key=_age)
    result = {point.id for point in oldest_first[::-1][:retention.keep_newest]}
    zone = ZoneInfo(retention.timezone)
    for period in _PERIODS:
        count = getattr(retention, period)
        if count:
            result |= _first_of_periods(oldest_first, count, period, zone)
    return result


def to_delete(schedule_id: str, retention: Retention, points: Iterable[Point], *,
              protect_succeeded: bool, success_statuses: Collection[str],
              deletable_statuses: Collection[str]) -> list[str]:
    """The ids of the points a run of schedule ``schedule_id`` deletes, oldest first.

    ``success_statuses`` and ``deletable_statuses`` are the plugin's (a failed point of
    the schedule is deleted; it is never kept).
    """
    if not protect_succeeded:
        return []
    own = sorted((point for point in points if point.schedule_id == schedule_id), key=_age)
    keep: set[str] = set()
    for resource_id in {point.resource_id for point in own}:
        keep |= kept(retention, (point for point in own if point.resource_id == resource_id
                                 and point.status in success_statuses))
    return [point.id for point in own
            if point.status in deletable_statuses and point.id not in keep]
