"""Cinder volume backup protection (spec: cinder-non-disruptive-backup).

protect = a Cinder backup of the volume.  An attached (in-use) volume is
backed up without detaching it when ``force`` is set: Cinder backs up a
temporary snapshot or volume of it and removes that afterwards, and the
volume returns to ``in-use``.  restore = into a new volume, or into an
existing available volume at least as large as the backup (its data is
overwritten).  delete = delete the backup.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext_lazy as _
from horizon.utils.memoized import memoized
from openstack_dashboard import policy

from protection_dashboard import api
from protection_dashboard import exceptions as pd_exceptions
from protection_dashboard.protection import base
from protection_dashboard.protection.cinder_volume import VolumeType

LOG = logging.getLogger(__name__)

#: Who may ask Cinder which services run (admins, by Cinder's default policy).
SERVICES_POLICY = (('volume', 'volume_extension:services:index'),)
#: Cinder's refusal of an in-use volume without force, and what the user reads.
FORCE_REFUSAL = 'must use the force flag'
FORCE_NEEDED = _("The volume is attached to a server (in-use). Check Force to back it up "
                 "from a temporary snapshot while it stays attached.")


@memoized
def backup_service(request) -> bool | None:
    """Whether the cloud has a backup service (None: unknown), asked once per request.

    A user who may not list Cinder's services reads the answer an allowed
    user got (cached for the cloud); until then it is unknown.  A failing
    check is unknown too: the pages that list backups report the failure.
    """
    try:
        return api.cinder.backup_service_enabled(
            request, ask=policy.check(SERVICES_POLICY, request))
    except Exception as exc:
        LOG.warning('Checking for a backup service failed: %s', exc)
        return None


@base.register
class VolumeBackupPlugin(base.ProtectionPlugin):
    resource_type = VolumeType.resource_type
    name = 'volume_backup'
    service = 'cinder'
    feature = 'enable_volume_backup'
    parent_key = 'volume_id'
    position = 20
    options_schema = 'volume_backup_options'
    restore_schema = 'volume_backup_restore'
    protect_label = _("Create Backup")
    protect_url = 'horizon:project:volume_backups:create'
    protectable_statuses = frozenset({'available', 'in-use'})
    protect_policy = (('volume', 'backup:create'),)
    restore_policy = (('volume', 'backup:restore'),)
    delete_policy = (('volume', 'backup:delete'),)
    failure_statuses = frozenset({'error', 'error_deleting'})
    #: Volume statuses Cinder restores into, besides the size check.
    restorable_into_statuses = frozenset({'available'})
    #: Scheduled backups send force: a volume attached since the schedule was made is
    #: backed up without disruption, as the non-disruptive backup spec asks. Cinder's
    #: default backup filters have no ``metadata``: a run lists each volume's backups.
    #: The form offers the container; not ``incremental``: retention deletes the
    #: oldest backups, and Cinder refuses to delete one that later ones build on.
    schedule_action = base.ScheduleAction(
        create='cinder.backups_create', resource_input='volume_id',
        options={'name': 'name', 'description': 'description', 'container': 'container'},
        metadata_input='metadata', list='cinder.backups_list',
        delete='cinder.backups_delete', delete_input='backup', fixed={'force': True},
        list_resource_filter='volume_id')

    def is_enabled(self, request) -> bool:
        """Off where the cloud is known to have no backup service."""
        return super().is_enabled(request) and backup_service(request) is not False

    def list_points(self, request, *, all_projects=False, resource_id=None):
        return api.cinder.volume_backup_list(
            request, search_opts=self.search_opts(all_projects, resource_id),
            limit=1 if resource_id else None)

    quota_title = _("Backup Limits")
    quotas = (base.Quota(_("Number of Backups"), 'totalBackupsUsed', 'maxTotalBackups'),
              base.Quota(_("Backup Gibibytes"), 'totalBackupGigabytesUsed',
                         'maxTotalBackupGigabytes', gibibytes=True))

    def limits(self, request):
        return api.cinder.absolute_limits(request)

    def can_increment(self, request, volume_id: str) -> bool:
        """An incremental backup needs an available backup of the volume to build on."""
        return bool(api.cinder.volume_backup_list(
            request, search_opts={'volume_id': volume_id, 'status': 'available'}, limit=1))

    @staticmethod
    def needs_force(volume: Any) -> bool:
        return (volume.status or '').lower() == 'in-use'

    @staticmethod
    def explain_refusal(exc: Exception) -> str | None:
        """A clear sentence for a refusal the user can fix, else None."""
        if FORCE_REFUSAL in pd_exceptions.service_message(exc):
            return str(FORCE_NEEDED)
        return None

    def get_point(self, request, point_id):
        return api.cinder.volume_backup_get(request, point_id)

    def protect(self, request, resource_id: str,
                options: dict[str, Any]) -> api.cinder.VolumeBackup:
        """Back up the volume; ``options['metadata']`` (not a form field) tags the backup."""
        return api.cinder.volume_backup_create(
            request, resource_id, name=options['name'],
            description=options.get('description'), container=options.get('container'),
            incremental=options.get('incremental', False), force=options.get('force', False),
            metadata=options.get('metadata'))

    def restore(self, request, point_id: str,
                options: dict[str, Any]) -> api.cinder.VolumeBackupRestore:
        target = options.get('volume_id')
        if target:
            return api.cinder.volume_backup_restore(request, point_id, volume_id=target)
        return api.cinder.volume_backup_restore(request, point_id, name=options.get('name'))

    def restore_targets(self, backup: Any, volumes: list[Any]) -> list[Any]:
        """The volumes Cinder restores ``backup`` into: available and large enough."""
        return [volume for volume in volumes
                if volume.status in self.restorable_into_statuses
                and volume.size >= backup.size]

    def restore_choices(self, request, point_id):
        backup = api.cinder.volume_backup_get(request, point_id)
        volumes = api.cinder.volume_list(request, search_opts={'status': 'available'})
        targets = sorted(self.restore_targets(backup, volumes),
                         key=lambda volume: (volume.name or volume.id).lower())
        return {'volume_id': [('', _("A new volume"))] + [
            (volume.id, _("%(name)s (%(size)s GiB)") % {
                'name': volume.name or volume.id, 'size': volume.size})
            for volume in targets]}

    def delete(self, request, point_id: str) -> None:
        api.cinder.volume_backup_delete(request, point_id)

    def parent_of_incremental(self, backup: Any, siblings: list[Any]) -> Any | None:
        """The backup an incremental one builds on, from its volume's backups.

        Cinder does not return the parent's id; it picks the volume's backup
        with the newest data timestamp before the incremental one, as this does.
        """
        if not backup.is_incremental:
            return None
        earlier = [sibling for sibling in siblings
                   if sibling.id != backup.id and sibling.status not in self.failure_statuses
                   and (sibling.data_timestamp or '') < (backup.data_timestamp or '')]
        return max(earlier, key=lambda sibling: sibling.data_timestamp, default=None)
