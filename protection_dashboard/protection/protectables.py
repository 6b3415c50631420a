"""The protectable resources of a project and their newest protection points.

Generic over the registry: for each enabled resource type, one call for the
page of resources and one bulk call per enabled point source, all run in
parallel and joined here; never a call per resource.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from typing import Any

from protection_dashboard import api
from protection_dashboard.protection import base
from protection_dashboard.schedules import retention

LOG = logging.getLogger(__name__)


class _Unknown:
    """The newest protection point could not be read (a point list failed)."""

    def __repr__(self) -> str:
        return 'UNKNOWN'


UNKNOWN = _Unknown()


@dataclasses.dataclass
class TypePage:
    """One resource type's page: its resources (or the failure of their list)."""

    resource_type: base.ResourceType
    page: api.base.Page | Exception
    #: Failures of the type's point lists: its newest points are unknown.
    point_errors: list[Exception]


def newest_by(points: Iterable[Any], key) -> dict[Any, str]:
    """Map each ``key(point)`` (a parent id, say) to its newest ``created_at``."""
    newest: dict[Any, str] = {}
    for point in points:
        group = key(point)
        created = getattr(point, 'created_at', None)
        if group and created and created > newest.get(group, ''):
            newest[group] = created
    return newest


def _annotate(resources: list[Any],
              point_lists: list[tuple[base.PointSource, list[Any] | Exception]]) -> None:
    """Set ``newest_by_source`` (source name -> newest ``created_at``, ``UNKNOWN`` for
    a failed list, missing for none), ``newest_by_schedule`` (schedule id -> the
    newest ``created_at`` of the points it made) and ``last_protected`` (the newest
    of them all, ``UNKNOWN`` when a list failed)."""
    by_source = {source.name: points if isinstance(points, Exception)
                 else newest_by(points, source.parent_of) for source, points in point_lists}
    by_schedule: dict[tuple[str, str], str] = {}
    for source, points in point_lists:
        if not isinstance(points, Exception):
            by_schedule.update(newest_by(points, lambda point, source=source: (
                retention.schedule_of(point) and (source.parent_of(point),
                                                  retention.schedule_of(point)))))
    for resource in resources:
        resource.newest_by_source = {
            name: UNKNOWN if isinstance(newest, Exception) else newest[resource.id]
            for name, newest in by_source.items()
            if isinstance(newest, Exception) or resource.id in newest}
        resource.newest_by_schedule = {schedule_id: created for (parent, schedule_id), created
                                       in by_schedule.items() if parent == resource.id}
        found = resource.newest_by_source.values()
        resource.last_protected = UNKNOWN if UNKNOWN in found else max(found, default=None)


def load(request, types: list[base.ResourceType], *, all_projects: bool,
         markers: dict[str, tuple[str | None, str | None]], limit: int) -> list[TypePage]:
    """A page of each resource type, joined with the newest point of each resource.

    ``markers`` maps a type's table name to its (marker, prev_marker).  A failed
    resource list yields its exception as the page; a failed point list leaves
    the newest points of that type unknown (``UNKNOWN``), never "not protected".
    """
    calls = {}
    sources = {}
    for registered in types:
        marker, prev_marker = markers.get(registered.table_name, (None, None))
        calls[registered.resource_type] = (
            lambda registered=registered, marker=marker, prev_marker=prev_marker:
            registered.list_page(request, all_projects=all_projects, marker=marker,
                                 prev_marker=prev_marker, limit=limit))
        sources[registered.resource_type] = base.enabled_point_sources(
            request, registered.resource_type)
        for source in sources[registered.resource_type]:
            calls[source.name] = (lambda source=source: source.list_points(
                request, all_projects=all_projects))
    results = api.base.run_parallel(calls)

    pages = []
    for registered in types:
        page = results[registered.resource_type]
        point_lists = [(source, results[source.name])
                       for source in sources[registered.resource_type]]
        errors = [points for _source, points in point_lists if isinstance(points, Exception)]
        if not isinstance(page, Exception):
            _annotate(page.items, point_lists)
        pages.append(TypePage(registered, page, errors))
    return pages


def load_one(request, registered: base.ResourceType, resource_id: str) -> Any:
    """One resource with its newest protection point: its own calls only (row updates)."""
    resource = registered.get(request, resource_id)
    point_lists: list[tuple[base.PointSource, list[Any] | Exception]] = []
    for source in base.enabled_point_sources(request, registered.resource_type):
        try:
            point_lists.append((source, source.list_points(request, resource_id=resource_id)))
        except Exception as exc:
            LOG.warning('Listing %s of %s failed, its newest point is unknown: %s',
                        source.name, resource_id, exc)
            point_lists.append((source, exc))
    _annotate([resource], point_lists)
    return resource
