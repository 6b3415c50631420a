"""Thin wrapper of python-cinderclient: volumes, snapshots, backups, limits,
and the admin's import (manage) and export (unmanage) of snapshots."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib import parse

from cinderclient import api_versions
from cinderclient import client as cinder_client
from cinderclient import exceptions as cinder_exc
from django.core.cache import cache
from horizon.utils.memoized import memoized

from protection_dashboard import exceptions
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


def _sort(ascending: bool) -> str:
    return 'created_at:%s' % ('asc' if ascending else 'desc')


def volume_list_paged(request, search_opts: dict[str, Any] | None = None,
                      marker: str | None = None, prev_marker: str | None = None,
                      limit: int = 20) -> base.Page:
    """One page of volumes, newest first."""
    def fetch(marker, limit, ascending):
        return base.wrap_all(Volume, cinderclient(request).volumes.list(
            search_opts=dict(search_opts or {}), marker=marker, limit=limit,
            sort=_sort(ascending)))
    return base.marker_page(fetch, marker, prev_marker, limit)


def volume_names(request, volume_ids: Iterable[str]) -> dict[str, str]:
    """Id -> name of the project's volumes, enough to name ``volume_ids``.

    From the cached light (non-detailed) volume list (``base.cached_names``).
    """
    def list_names():
        return {volume.id: volume.name
                for volume in cinderclient(request).volumes.list(detailed=False)}
    return base.cached_names(request, 'volume', volume_ids, list_names)


def volume_get(request, volume_id: str) -> Volume:
    volume_id = base.check_id(volume_id)
    return Volume(cinderclient(request).volumes.get(volume_id))


def volume_delete(request, volume_id: str) -> None:
    volume_id = base.check_id(volume_id)
    cinderclient(request).volumes.delete(volume_id)


def volume_set_bootable(request, volume_id: str) -> None:
    """Mark a volume bootable (Nova boots only from such a volume)."""
    volume_id = base.check_id(volume_id)
    cinderclient(request).volumes.set_bootable(volume_id, True)


def volume_create_from_snapshot(request, snapshot: VolumeSnapshot, name: str | None,
                                description: str | None) -> Volume:
    volume = cinderclient(request).volumes.create(
        size=snapshot.size, snapshot_id=snapshot.id, name=name, description=description)
    return Volume(volume)


def volume_snapshot_list(request, search_opts: dict[str, Any] | None = None,
                         limit: int | None = None) -> list[VolumeSnapshot]:
    """Snapshots, newest first (all of them unless ``limit``)."""
    snapshots = cinderclient(request).volume_snapshots.list(
        search_opts=dict(search_opts or {}), limit=limit, sort=_sort(False))
    return base.wrap_all(VolumeSnapshot, snapshots)


def volume_snapshot_list_paged(request, search_opts: dict[str, Any] | None = None,
                               marker: str | None = None, prev_marker: str | None = None,
                               limit: int = 20) -> base.Page:
    """One page of snapshots, newest first."""
    def fetch(marker, limit, ascending):
        return base.wrap_all(VolumeSnapshot, cinderclient(request).volume_snapshots.list(
            search_opts=dict(search_opts or {}), marker=marker, limit=limit,
            sort=_sort(ascending)))
    return base.marker_page(fetch, marker, prev_marker, limit)


def volume_snapshot_get(request, snapshot_id: str) -> VolumeSnapshot:
    snapshot_id = base.check_id(snapshot_id)
    return VolumeSnapshot(cinderclient(request).volume_snapshots.get(snapshot_id))


def volume_snapshot_create(request, volume_id: str, name: str, description: str | None,
                           force: bool | None) -> VolumeSnapshot:
    """Create a snapshot; ``force=None`` leaves the flag out of the request."""
    volume_id = base.check_id(volume_id)
    snapshot = cinderclient(request).volume_snapshots.create(
        volume_id, force=force, name=name, description=description)
    return VolumeSnapshot(snapshot)


def volume_snapshot_delete(request, snapshot_id: str) -> None:
    snapshot_id = base.check_id(snapshot_id)
    cinderclient(request).volume_snapshots.delete(snapshot_id)


@memoized
def absolute_limits(request) -> dict[str, int]:
    """The project's absolute limits and usage (maxTotalSnapshots, totalSnapshotsUsed, ...).

    Asked once per request: the quota checks of several plugins read the same answer.
    """
    limits = cinderclient(request).limits.get().absolute
    return {limit.name: limit.value for limit in limits}


# --- backups ------------------------------------------------------------------

#: Seconds the cloud's answer to "is there a backup service?" is trusted.
BACKUP_SERVICE_TTL = 300


class VolumeBackup(base.APIResourceWrapper):
    _attrs = ['id', 'name', 'description', 'size', 'status', 'created_at', 'updated_at',
              'volume_id', 'container', 'is_incremental', 'has_dependent_backups',
              'snapshot_id', 'data_timestamp', 'fail_reason', 'availability_zone',
              'object_count', 'metadata', 'os-backup-project-attr:project_id']

    @property
    def project_id(self) -> str | None:
        return getattr(self._apiresource, 'os-backup-project-attr:project_id', None)


class VolumeBackupRestore(base.APIResourceWrapper):
    """A started restore; ``id`` and ``name`` are those of the volume restored into."""

    _attrs = ['backup_id', 'volume_id', 'volume_name']

    @property
    def id(self) -> str:
        return self.volume_id

    @property
    def name(self) -> str | None:
        return self.volume_name


def volume_list(request, search_opts: dict[str, Any] | None = None) -> list[Volume]:
    """Every volume matching ``search_opts`` (e.g. ``{'status': 'available'}``)."""
    return base.wrap_all(Volume, cinderclient(request).volumes.list(
        search_opts=dict(search_opts or {})))


def volume_backup_list(request, search_opts: dict[str, Any] | None = None,
                       limit: int | None = None) -> list[VolumeBackup]:
    """Backups, newest first (all of them unless ``limit``)."""
    backups = cinderclient(request).backups.list(
        search_opts=dict(search_opts or {}), limit=limit, sort=_sort(False))
    return base.wrap_all(VolumeBackup, backups)


def volume_backup_list_paged(request, search_opts: dict[str, Any] | None = None,
                             marker: str | None = None, prev_marker: str | None = None,
                             limit: int = 20) -> base.Page:
    """One page of backups, newest first."""
    def fetch(marker, limit, ascending):
        return base.wrap_all(VolumeBackup, cinderclient(request).backups.list(
            search_opts=dict(search_opts or {}), marker=marker, limit=limit,
            sort=_sort(ascending)))
    return base.marker_page(fetch, marker, prev_marker, limit)


def volume_backup_get(request, backup_id: str) -> VolumeBackup:
    backup_id = base.check_id(backup_id)
    return VolumeBackup(cinderclient(request).backups.get(backup_id))


def volume_backup_create(request, volume_id: str, name: str, description: str | None,
                         container: str | None, incremental: bool,
                         force: bool, metadata: dict[str, str] | None = None) -> VolumeBackup:
    """Start a backup; ``force`` lets Cinder back up an in-use volume from a temporary copy.

    ``metadata`` is sent where the microversion has backup metadata, else left out.
    """
    volume_id = base.check_id(volume_id)
    extra = {'metadata': metadata} if metadata and supports(request, 'backup_metadata') else {}
    backup = cinderclient(request).backups.create(
        volume_id, container=container, name=name, description=description,
        incremental=incremental, force=force, **extra)
    return VolumeBackup(backup)


def volume_backup_restore(request, backup_id: str, volume_id: str | None = None,
                          name: str | None = None) -> VolumeBackupRestore:
    """Restore into ``volume_id`` (overwritten), or into a new volume named ``name``."""
    backup_id = base.check_id(backup_id)
    if volume_id is not None:
        volume_id = base.check_id(volume_id)
    return VolumeBackupRestore(cinderclient(request).restores.restore(
        backup_id, volume_id=volume_id, name=name))


def volume_backup_delete(request, backup_id: str) -> None:
    backup_id = base.check_id(backup_id)
    cinderclient(request).backups.delete(backup_id)


def backup_service_enabled(request, ask: bool = True) -> bool | None:
    """Whether the cloud runs an enabled ``cinder-backup`` service; None: unknown.

    Cinder tells only users allowed to list its services (an admin rule by
    default; it has no other way to tell, see Launchpad bug 1334856).  The
    answer is a fact about the cloud, so it is cached for every user of the
    endpoint for ``BACKUP_SERVICE_TTL`` seconds.  With ``ask=False`` (for a user
    who may not list services) only the cached answer is read; a refusal gives
    None too.
    """
    # One answer per Cinder, whose catalog URLs differ by project.
    key = 'protection_dashboard:backup_service:%s' % parse.urlsplit(
        base.endpoint_for(request, SERVICE)).netloc
    known = cache.get(key)
    if known is not None or not ask:
        return known
    try:
        services = cinderclient(request).services.list(binary='cinder-backup')
    except cinder_exc.Forbidden:
        return None
    known = any(service.status == 'enabled' for service in services)
    cache.set(key, known, BACKUP_SERVICE_TTL)
    return known


# --- manage (import) and unmanage (export) of snapshots: admin ------------------

#: What a back end (``host@backend``, optionally ``#pool``) can be named: nothing
#: that could change a request's path or query.
_HOST = re.compile(r'[A-Za-z0-9_.:@#-]{1,255}')
#: The snapshot metadata key where a manage records the reference it asked for.
MANAGE_REFERENCE_KEY = 'manage_reference'
#: Longest metadata value Cinder stores.
METADATA_VALUE_LIMIT = 255


class ManageableSnapshot(base.APIResourceWrapper):
    """A snapshot a back end holds, managed by Cinder or not (``safe_to_manage``)."""

    _attrs = ['reference', 'size', 'safe_to_manage', 'reason_not_safe', 'cinder_id',
              'source_reference', 'extra_info']

    @property
    def id(self) -> str:
        """The list's marker: the reference as canonical JSON."""
        return reference_marker(self.reference)

    @property
    def ref_type(self) -> str:
        return next(iter(self.reference or {}), '')

    @property
    def ref_value(self) -> str:
        return str((self.reference or {}).get(self.ref_type, ''))

    @property
    def source_value(self) -> str:
        """The back end's name or id of the snapshot's volume ('' if it gives none)."""
        return ' '.join(str(value) for value in (self.source_reference or {}).values())


def reference_marker(reference: dict[str, str]) -> str:
    return json.dumps(reference, sort_keys=True, separators=(',', ':'))


def check_reference_marker(marker: Any) -> str:
    """``marker`` if it is a back-end reference as JSON (a small map of strings)."""
    try:
        reference = json.loads(marker)
    except (TypeError, ValueError):
        reference = None
    if not (isinstance(reference, dict) and 0 < len(reference) <= 4
            and all(isinstance(key, str) and isinstance(value, str) and len(value) <= 255
                    for key, value in reference.items())):
        raise exceptions.InvalidId(('not a back-end reference: %r' % (marker,))[:80])
    return marker


def check_host(value: Any) -> str:
    """``value`` if it can name a Cinder back end; InvalidId (a 404) otherwise."""
    if not isinstance(value, str) or not _HOST.fullmatch(value):
        raise exceptions.InvalidId(('not a back-end host: %r' % (value,))[:80])
    return value


def manage_client(request):
    """The client of the manage calls: they need microversion 3.8 (manageable lists)."""
    client = cinderclient(request)
    version = client.api_version.get_string()
    if not microversions.supports(SERVICE, 'manage_snapshots', version):
        raise exceptions.UnsupportedVersion(
            'Cinder speaks microversion %s; managing snapshots needs %s or newer.'
            % (version, microversions.FEATURES[SERVICE]['manage_snapshots']))
    return client


def volume_backend_hosts(request) -> list[str]:
    """The back ends (``host@backend``) whose volume service is enabled and up."""
    services = cinderclient(request).services.list(binary='cinder-volume')
    return sorted(service.host for service in services
                  if service.status == 'enabled' and service.state == 'up')


def manageable_snapshot_page(request, host: str, marker: str | None = None,
                             prev_marker: str | None = None, limit: int = 20) -> base.Page:
    """One page of the snapshots back end ``host`` holds, by reference, paged by Cinder."""
    host = check_host(host)
    client = manage_client(request)

    def fetch(marker, limit, backwards):
        return base.wrap_all(ManageableSnapshot, client.volume_snapshots.list_manageable(
            host, detailed=True, marker=marker, limit=limit,
            sort='reference:%s' % ('desc' if backwards else 'asc')))
    return base.marker_page(fetch, marker, prev_marker, limit, check=check_reference_marker)


def volume_snapshot_manage(request, volume_id: str, reference: dict[str, str],
                           name: str | None = None, description: str | None = None,
                           metadata: dict[str, str] | None = None) -> VolumeSnapshot:
    """Manage a snapshot of ``volume_id`` that the back end holds as ``reference``.

    Cinder answers 404 at once for an unknown volume, but accepts a reference
    the back end does not hold: the snapshot then turns ``error`` and only the
    volume service's log says why.  The reference is recorded in the snapshot's
    metadata (``MANAGE_REFERENCE_KEY``), so that pages can say which reference
    failed (``manage_reference``).
    """
    volume_id = base.check_id(volume_id)
    metadata = dict(metadata or {})
    recorded = reference_marker(reference)
    if len(recorded) <= METADATA_VALUE_LIMIT:
        metadata[MANAGE_REFERENCE_KEY] = recorded
    return VolumeSnapshot(manage_client(request).volume_snapshots.manage(
        volume_id, reference, name=name, description=description, metadata=metadata))


def manage_reference(snapshot: VolumeSnapshot) -> dict[str, str] | None:
    """The back-end reference a snapshot was managed from, if a manage recorded it."""
    try:
        return json.loads(check_reference_marker(
            (snapshot.metadata or {}).get(MANAGE_REFERENCE_KEY)))
    except exceptions.InvalidId:
        return None


def volume_snapshot_unmanage(request, snapshot_id: str) -> None:
    """Stop managing a snapshot: Cinder forgets it, its data stays on the back end."""
    snapshot_id = base.check_id(snapshot_id)
    manage_client(request).volume_snapshots.unmanage(snapshot_id)
