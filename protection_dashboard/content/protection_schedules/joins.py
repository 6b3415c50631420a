"""What the schedules' pages join to the schedules: resource names and point counts,
one list per resource type or plugin, never a call per schedule."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from protection_dashboard import api
from protection_dashboard.content import utils
from protection_dashboard.protection import base as protection_base
from protection_dashboard.schedules import retention

#: How to name the resources of a type from their ids (one cached list per type).
RESOURCE_NAMES = {
    'OS::Cinder::Volume': lambda request, ids: api.cinder.volume_names(request, ids),
    'OS::Manila::Share': lambda request, ids: api.manila.share_names(request, ids),
    'OS::Nova::Server': lambda request, ids: api.nova.server_names(request, ids),
}


def join_resource_names(request, schedules) -> None:
    """Name each schedule's resources (``resource_names``), one list per resource type."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for schedule in schedules:
        wanted[schedule.resource_type].update(schedule.resources)
    names: dict[str, str] = {}
    for type_name, ids in wanted.items():
        lookup = RESOURCE_NAMES.get(type_name)
        if lookup is None:
            continue
        try:
            names.update(lookup(request, frozenset(ids)))
        except Exception:
            utils.handle_error(request, _("Unable to retrieve the resources' names."))
    for schedule in schedules:
        schedule.resource_names = names


def schedule_points(point_list, schedule_id: str) -> list:
    """The points of a list that carry the schedule's tag."""
    return [point for point in point_list if retention.schedule_of(point) == schedule_id]


def join_point_counts(request, schedules, all_projects: bool) -> None:
    """How many of its points each schedule has (``point_count``), one list per plugin."""
    listed: dict[str, list | None] = {}
    for schedule in schedules:
        if schedule.plugin not in listed:
            listed[schedule.plugin] = plugin_points(request, schedule.plugin, all_projects)
        points = listed[schedule.plugin]
        schedule.point_count = None if points is None else len(
            schedule_points(points, schedule.id))


def plugin_points(request, plugin_name: str | None, all_projects: bool) -> list | None:
    try:
        plugin = protection_base.get(plugin_name)
    except KeyError:
        return None  # not a plugin of this dashboard (any more)
    try:
        return plugin.list_points(request, all_projects=all_projects)
    except Exception:
        utils.handle_error(request, _("Unable to retrieve the schedules' points."))
        return None
