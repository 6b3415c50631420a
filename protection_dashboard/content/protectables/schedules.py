"""The schedules covering each protectable resource, joined from one schedule list.

A page reads the schedules once (one ``schedule_list``, beside its other lists)
and gives each resource the covers of the schedules naming it (``join``): the
schedule, its next run and, when its plugin left no point since a run it
promised, that run (``missed``).  A row update reads none: the page's covers
travel in the row's update URL (``encode``/``decode``), as its newest point does.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
from typing import Any

from django.utils import timezone
from openstack_dashboard import policy

from protection_dashboard import api
from protection_dashboard.content.protection_schedules import policy as schedule_policy
from protection_dashboard.content.protection_schedules.times import service_time
from protection_dashboard.protection import protectables
from protection_dashboard.schedules import overdue, workflow

LOG = logging.getLogger(__name__)

#: The covers of a resource could not be read (the schedule list failed).
UNKNOWN = protectables.UNKNOWN


@dataclasses.dataclass(frozen=True)
class Cover:
    """A schedule covering one resource, as its row shows it."""

    schedule_id: str
    name: str
    #: The schedule's next run (the service's naive UTC text) or None.
    next_run: str | None
    #: The expected run that left no point of the schedule's plugin, or None.
    missed: datetime.datetime | None = None
    #: The resource's newest point of that plugin (aware) when ``missed``.
    newest: datetime.datetime | None = None
    #: Whether the row links the schedule's detail (a page of the user's project).
    linked: bool = True


def in_catalog(request) -> bool:
    return api.base.is_service_enabled(request, 'mistral')


def available(request, all_projects: bool) -> bool:
    """The workflow service is in the catalog and the user may list its schedules."""
    rules = schedule_policy.LIST_ALL_PROJECTS if all_projects else schedule_policy.LIST
    return in_catalog(request) and policy.check(rules, request)


def _point_time(value: Any) -> datetime.datetime | None:
    """A point's ``created_at`` (ISO, naive meaning UTC) as an aware time."""
    if not isinstance(value, str):
        return None
    moment = datetime.datetime.fromisoformat(value.replace('Z', '+00:00'))
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def cover(schedule: Any, resource: Any, now: datetime.datetime, linked: bool) -> Cover:
    """The schedule as the resource's row shows it, with the run it missed, if any:
    only the points the schedule made count (a point made by hand hides nothing)."""
    newest = getattr(resource, 'newest_by_source', {}).get(schedule.plugin)
    missed = None
    try:
        if newest is not UNKNOWN:  # a failed point list proves nothing
            newest = _point_time(getattr(resource, 'newest_by_schedule', {}).get(schedule.id))
            missed = overdue.missed_run(schedule.pattern, service_time(schedule.created_at),
                                        newest, now)
    except ValueError:  # a time the service wrote in a form not read here
        LOG.warning('Not judging whether schedule %s is overdue for %s: %r, %r',
                    schedule.id, resource.id, newest, schedule.created_at)
    return Cover(schedule.id, schedule.name, schedule.next_execution_time, missed,
                 newest if missed else None, linked)


def join(resources: list[Any], resource_type: str, schedules: list[Any] | Any,
         linked: bool) -> None:
    """Give each resource ``schedule_covers``: its covers, or ``UNKNOWN``.

    ``linked``: the schedules' detail pages are the user's project's (an admin's
    page of every project names them only)."""
    now = timezone.now()
    for resource in resources:
        if schedules is UNKNOWN:
            resource.schedule_covers = UNKNOWN
            continue
        resource.schedule_covers = [
            cover(schedule, resource, now, linked) for schedule in schedules
            if schedule.resource_type == resource_type and resource.id in schedule.resources]


def _time_text(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def encode(covers: list[Cover] | Any) -> str:
    """The covers as a row update URL carries them (JSON)."""
    if covers is UNKNOWN:
        return json.dumps('unknown')
    return json.dumps([[c.schedule_id, c.name, c.next_run, _time_text(c.missed),
                        _time_text(c.newest)] for c in covers])


def _aware(text: Any) -> datetime.datetime | None:
    """An aware time a URL carries (a naive one is refused: it cannot be localized)."""
    if text is None:
        return None
    moment = datetime.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(text)
    return moment


def _decode_one(item: Any, linked: bool) -> Cover:
    schedule_id, name, next_run, missed, newest = item
    workflow.workflow_name(schedule_id)  # raises ValueError for a bad id
    if not isinstance(name, str) or (next_run is not None and service_time(next_run) is None):
        raise ValueError(name)
    return Cover(schedule_id, name, next_run, _aware(missed), _aware(newest), linked)


def decode(text: str | None, linked: bool) -> list[Cover] | Any:
    """The covers a row update URL carries; ``UNKNOWN`` for none or a bad value
    (a row update reads no schedules)."""
    try:
        items = json.loads(text or '"unknown"')
        if not isinstance(items, list):
            return UNKNOWN
        return [_decode_one(item, linked) for item in items]
    except (TypeError, ValueError):
        return UNKNOWN
