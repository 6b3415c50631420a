"""Thin wrapper of python-cinderclient: volumes, snapshots, limits."""

from __future__ import annotations

from typing import Any

from cinderclient import api_versions
from cinderclient import client as cinder_client
from horizon.utils.memoized import memoized

from protection_dashboard.api import base, microversions

SERVICE = 'cinder'


class Volume(base.APIResourceWrapper):
    _attrs = ['id', 'name', 'description', 'size', 'status', 'created_at',
              'volume_type', 'availability_zone', 'bootable', 'attachments',
              'snapshot_id', 'metadata', 'os-vol-tenant-attr:tenant_id']

    @property
    def project_id(self) -> str | None:
        return getattr(self._apiresource, 'os-vol-tenant-attr:tenant_id', None)

    @property
    def is_attached(self) -> bool:
        return bool(self.attachments) or self.status == 'in-use'


class VolumeSnapshot(base.APIResourceWrapper):
    _attrs = ['id', 'name', 'description', 'size', 'status', 'created_at',
              'volume_id', 'metadata', 'progress',
              'os-extended-snapshot-attributes:project_id']

    @property
    def project_id(self) -> str | None:
        return getattr(self._apiresource, 'os-extended-snapshot-attributes:project_id', None)


@memoized
def cinderclient(request, version: str | None = None):
    """A Cinder client at ``version``, or at the negotiated newest microversion."""
    return base.microversioned_client(
        request, SERVICE, api_versions.MAX_VERSION, version,
        lambda version, endpoint, **auth: cinder_client.Client(
            api_versions.APIVersion(version), os_endpoint=endpoint, **auth))


def api_version(request) -> str:
    return cinderclient(request).api_version.get_string()


def supports(request, feature: str) -> bool:
    return microversions.supports(SERVICE, feature, api_version(request))


def volume_list(request, search_opts: dict[str, Any] | None = None) -> list[Volume]:
    return base.wrap_all(Volume, cinderclient(request).volumes.list(search_opts=search_opts))


def volume_get(request, volume_id: str) -> Volume:
    return Volume(cinderclient(request).volumes.get(volume_id))


def volume_create_from_snapshot(request, snapshot: VolumeSnapshot, name: str | None,
                                description: str | None) -> Volume:
    volume = cinderclient(request).volumes.create(
        size=snapshot.size, snapshot_id=snapshot.id, name=name, description=description)
    return Volume(volume)


def volume_snapshot_list_paged(
    request, search_opts: dict[str, Any] | None = None, marker: str | None = None,
    limit: int | None = None, sort_dir: str = 'desc',
) -> tuple[list[VolumeSnapshot], bool]:
    """One page of snapshots, newest first, and whether another page follows.

    Asks for one item more than the page holds to learn whether more follow.
    """
    kwargs: dict[str, Any] = {'search_opts': search_opts, 'sort': 'created_at:%s' % sort_dir}
    if limit is not None:
        kwargs.update(marker=marker, limit=limit + 1)
    snapshots = cinderclient(request).volume_snapshots.list(**kwargs)
    has_more = limit is not None and len(snapshots) > limit
    return base.wrap_all(VolumeSnapshot, snapshots[:limit]), has_more


def volume_snapshot_get(request, snapshot_id: str) -> VolumeSnapshot:
    return VolumeSnapshot(cinderclient(request).volume_snapshots.get(snapshot_id))


def volume_snapshot_create(request, volume_id: str, name: str, description: str | None,
                           force: bool | None) -> VolumeSnapshot:
    """Create a snapshot; ``force=None`` leaves the flag out of the request."""
    snapshot = cinderclient(request).volume_snapshots.create(
        volume_id, force=force, name=name, description=description)
    return VolumeSnapshot(snapshot)


def volume_snapshot_delete(request, snapshot_id: str) -> None:
    cinderclient(request).volume_snapshots.delete(snapshot_id)


def absolute_limits(request) -> dict[str, int]:
    """The project's absolute limits and usage (maxTotalSnapshots, totalSnapshotsUsed, ...)."""
    limits = cinderclient(request).limits.get().absolute
    return {limit.name: limit.value for limit in limits}
