"""The protectable resources of a project and their newest protection points.

One list call per resource type and one per kind of protection point, run in
parallel and joined here: never a call per resource.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from protection_dashboard import api

VOLUME = 'OS::Cinder::Volume'
SHARE = 'OS::Manila::Share'
SERVER = 'OS::Nova::Server'
CINDER_LIMITS = 'cinder_limits'
RESOURCE_TYPES = (VOLUME, SHARE, SERVER)


def newest_by(points: Iterable[Any], key: str) -> dict[str, str]:
    """Map each parent id (``key`` attribute of a point) to its newest ``created_at``."""
    newest: dict[str, str] = {}
    for point in points:
        parent = getattr(point, key, None)
        created = getattr(point, 'created_at', None)
        if parent and created and created > newest.get(parent, ''):
            newest[parent] = created
    return newest


def _calls(request, all_projects: bool) -> dict[str, Any]:
    def opts() -> dict[str, Any] | None:
        """A new dict per call: the clients add their own keys to search_opts."""
        return {'all_tenants': True} if all_projects else None

    calls: dict[str, Any] = {}
    if api.base.is_service_enabled(request, 'cinder'):
        calls[VOLUME] = lambda: api.cinder.volume_list(request, search_opts=opts())
        calls['volume_snapshots'] = lambda: api.cinder.volume_snapshot_list_paged(
            request, search_opts=opts())[0]
        calls[CINDER_LIMITS] = lambda: api.cinder.absolute_limits(request)
    if api.base.is_service_enabled(request, 'manila'):
        calls[SHARE] = lambda: api.manila.share_list(request, search_opts=opts())
        calls['share_snapshots'] = lambda: api.manila.share_snapshot_list(
            request, search_opts=opts())
    if api.base.is_service_enabled(request, 'nova'):
        calls[SERVER] = lambda: api.nova.server_list(request, search_opts=opts())
        if api.base.is_service_enabled(request, 'glance'):
            calls['server_images'] = lambda: api.glance.image_list(
                request, filters={'image_type': 'snapshot'})
    return calls


def _annotate(resources: list[Any], newest: dict[str, str]) -> list[Any]:
    for resource in resources:
        resource.last_protected = newest.get(resource.id)
    return resources


def load(request, all_projects: bool = False) -> dict[str, Any]:
    """Resources by type; a failed list call yields its exception instead of a list.

    A failed protection-point call only loses the newest-protection column.
    Also the Cinder limits (``CINDER_LIMITS``), for the quota check of the
    snapshot action: one call per page, not one per row.
    """
    results = api.base.run_parallel(_calls(request, all_projects))

    def points(key: str) -> list[Any]:
        value = results.get(key, [])
        return [] if isinstance(value, Exception) else value

    joined: dict[str, Any] = {CINDER_LIMITS: results.get(CINDER_LIMITS)}
    if VOLUME in results:
        joined[VOLUME] = results[VOLUME]
        if not isinstance(results[VOLUME], Exception):
            _annotate(results[VOLUME], newest_by(points('volume_snapshots'), 'volume_id'))
    if SHARE in results:
        joined[SHARE] = results[SHARE]
        if not isinstance(results[SHARE], Exception):
            _annotate(results[SHARE], newest_by(points('share_snapshots'), 'share_id'))
    if SERVER in results:
        joined[SERVER] = results[SERVER]
        if not isinstance(results[SERVER], Exception):
            images = points('server_images')
            for image in images:
                image.server_id = getattr(image._apiresource, 'instance_uuid', None)
            _annotate(results[SERVER], newest_by(images, 'server_id'))
    return joined


def quota_exhausted(limits: dict[str, int] | None, count_key: str, used_key: str) -> bool:
    """True when a Cinder absolute limit is used up (a negative maximum is unlimited)."""
    if not isinstance(limits, dict) or count_key not in limits:
        return False
    maximum = limits[count_key]
    return 0 <= maximum <= limits.get(used_key, 0)
