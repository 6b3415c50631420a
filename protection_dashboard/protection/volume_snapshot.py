"""Cinder volume snapshot protection (spec: karbor-cinder-volume-snapshot-plugin).

protect = a Cinder snapshot of the volume; restore = a new volume from the
snapshot; delete = delete the snapshot.
"""

from __future__ import annotations

from typing import Any

from protection_dashboard import api
from protection_dashboard.protection import base


def force_flag(request, force: bool) -> bool | None:
    """The ``force`` to send for a snapshot, by negotiated microversion.

    From 3.66 on Cinder snapshots in-use volumes without the flag and rejects
    ``force=False``: the flag is left out (None).  Below 3.66 it is sent as
    chosen; an in-use volume then needs True and Cinder answers 400 otherwise.
    """
    if api.cinder.supports(request, 'snapshot_in_use_implied'):
        return None
    return bool(force)


@base.register
class VolumeSnapshotPlugin(base.ProtectionPlugin):
    resource_type = 'OS::Cinder::Volume'
    name = 'volume_snapshot'
    options_schema = 'volume_snapshot_options'
    restore_schema = 'volume_snapshot_restore'
    failure_statuses = frozenset({'error', 'error_deleting'})
    transitional_statuses = frozenset({'creating', 'deleting', 'restoring', 'unmanaging',
                                       'backing-up', 'updating'})

    def protect(self, request, resource_id: str,
                options: dict[str, Any]) -> api.cinder.VolumeSnapshot:
        return api.cinder.volume_snapshot_create(
            request, resource_id, name=options['snapshot_name'],
            description=options.get('description'),
            force=force_flag(request, options.get('force', False)))

    def restore(self, request, point_id: str, options: dict[str, Any]) -> api.cinder.Volume:
        snapshot = api.cinder.volume_snapshot_get(request, point_id)
        return api.cinder.volume_create_from_snapshot(
            request, snapshot, name=options.get('restore_name'),
            description=options.get('restore_description'))

    def delete(self, request, point_id: str) -> None:
        api.cinder.volume_snapshot_delete(request, point_id)
