"""Cinder volume snapshot protection (spec: karbor-cinder-volume-snapshot-plugin).

protect = a Cinder snapshot of the volume; restore = a new volume from the
snapshot; delete = delete the snapshot.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from protection_dashboard import api
from protection_dashboard.protection import base
from protection_dashboard.protection.cinder_volume import VolumeType


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
    resource_type = VolumeType.resource_type
    name = 'volume_snapshot'
    service = 'cinder'
    parent_key = 'volume_id'
    position = 10
    options_schema = 'volume_snapshot_options'
    restore_schema = 'volume_snapshot_restore'
    protect_label = _("Create Snapshot")
    protect_url = 'horizon:project:volume_snapshots:create'
    protectable_statuses = frozenset({'available', 'in-use'})
    protect_policy = (('volume', 'volume:create_snapshot'),)
    restore_policy = (('volume', 'volume:create'),)
    delete_policy = (('volume', 'volume:delete_snapshot'),)
    # The admin's import (manage) and export (unmanage) of back-end snapshots.
    list_manageable_policy = (('volume', 'snapshot_extension:list_manageable'),)
    manage_policy = (('volume', 'snapshot_extension:snapshot_manage'),)
    unmanage_policy = (('volume', 'snapshot_extension:snapshot_unmanage'),)
    failure_statuses = frozenset({'error', 'error_deleting'})
    # Mistral's Cinder actions are python-cinderclient's methods and arguments. The
    # force flag is left out: Mistral's client speaks the newest microversion (3.71
    # on the local cloud), where an attached volume's snapshot needs none.
    schedule_action = base.ScheduleAction(
        create='cinder.volume_snapshots_create', resource_input='volume_id',
        options={'name': 'snapshot_name', 'description': 'description'},
        metadata_input='metadata', list='cinder.volume_snapshots_list',
        delete='cinder.volume_snapshots_delete', delete_input='snapshot',
        list_tag_filter='metadata')

    def list_points(self, request, *, all_projects=False, resource_id=None):
        return api.cinder.volume_snapshot_list(request,
                                               search_opts=self.search_opts(all_projects,
                                                                            resource_id),
                                               limit=1 if resource_id else None)

    quota_title = _("Snapshot Limits")
    quotas = (base.Quota(_("Number of Snapshots"), 'totalSnapshotsUsed', 'maxTotalSnapshots'),
              base.Quota(_("Total Gibibytes"), 'totalGigabytesUsed', 'maxTotalVolumeGigabytes',
                         gibibytes=True))

    def limits(self, request):
        return api.cinder.absolute_limits(request)

    def get_point(self, request, point_id):
        return api.cinder.volume_snapshot_get(request, point_id)

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
