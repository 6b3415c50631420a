"""Server backup protection (spec: karbor-image-boot-server-backup-with-data).

protect = back up a server without stopping it:

* an image-booted server with ``enable_server_snapshot`` (the setting, and the
  form's option it sets): Nova's createImage of the server, so the backup holds
  the data written since it booted;  otherwise only its original image is
  recorded, and the user data is NOT in the backup;
* a volume-booted server: a Cinder backup of its root volume;
* when the user asks: a non-disruptive Cinder backup of each attached volume
  (the volume backup plugin, with force).

The backup is recorded in Glance (``server_backup_record``); its status is the
combination of its parts'.  restore = a new server booted from the backup's
image (or from its restored root volume), the volume parts restored to new
volumes and attached to it (``server_restore``).  delete = every part, then
the record.

No request waits for an image or a backup: a request starts what it can and
records it; the table's row poll (``advance``) carries on, removing the parts
of a backup that failed half-way or is being deleted, and finishing a
restore.  A request that fails half-way removes what it made, or leaves the
rest to the row poll, and says which step failed.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from protection_dashboard import api, features
from protection_dashboard.protection import (
    base,
    server_backup_schedule,
    server_restore,
    volume_backup,
)
from protection_dashboard.protection import server_backup_record as records
from protection_dashboard.protection.nova_server import ServerType
from protection_dashboard.protection.steps import (
    Advanced,
    StepFailed,
    delete_if_there,
    fetch,
    step_message,
)

LOG = logging.getLogger(__name__)


@base.register
class ServerBackupPlugin(base.ProtectionPlugin):
    resource_type = ServerType.resource_type
    name = 'server_backup'
    service = 'nova'
    parent_key = records.SERVER_ID
    position = 10
    options_schema = 'server_backup_options'
    restore_schema = 'server_backup_restore'
    protect_label = gettext_lazy("Back Up Server")
    protect_url = 'horizon:project:server_backups:create'
    #: Nova snapshots a server in these states (vm states active, stopped, paused,
    #: suspended), with no task under way; so it is backed up in them only.
    protectable_statuses = frozenset({'active', 'shutoff', 'paused', 'suspended'})
    protect_policy = (('compute', 'os_compute_api:servers:create_image'),
                      ('image', 'add_image'), ('volume', 'backup:create'))
    restore_policy = (('compute', 'os_compute_api:servers:create'),
                      ('compute', 'os_compute_api:os-volumes-attachments:create'),
                      ('volume', 'backup:restore'))
    delete_policy = (('image', 'delete_image'), ('volume', 'backup:delete'))
    success_statuses = frozenset({records.AVAILABLE})
    failure_statuses = frozenset({records.ERROR_STATUS})
    deletable_statuses = frozenset({records.AVAILABLE, records.ERROR_STATUS})
    #: A schedule backs up servers as *Back Up Server* does, with the options its
    #: form offers (``schedule_options``).
    schedule_action = server_backup_schedule.SCHEDULE

    def is_enabled(self, request) -> bool:
        """Needs Nova and Glance (Cinder only for volume parts)."""
        return super().is_enabled(request) and api.base.is_service_enabled(request, 'glance')

    def protect_refusal(self, resource) -> str | None:
        """Nova's refusal of createImage: a task under way (deleting, image_snapshot,
        ...) or a status other than ``protectable_statuses`` (ERROR, SHELVED, ...)."""
        if resource.task_state:
            return _("not while %(task)s") % {
                'task': resource.task_state.replace('_', ' ')}
        return super().protect_refusal(resource)

    def schedule_options(self, request) -> list[str]:
        """Where the operator turned server images off, a schedule's form does not offer
        them: its runs record an image-booted server's original image."""
        options = super().schedule_options(request)
        if self.snapshot_enabled():
            return options
        return [option for option in options
                if option != server_backup_schedule.SNAPSHOT_OPTION]

    #: A server backup counts against the volume backups' quotas only when it backs
    #: up volumes: shown beside the form of such a server, never disabling the action.
    quota_title = gettext_lazy("Volume Backup Limits")

    def protect_quotas(self, request, resource):
        """The volume backups' quotas, where the server has volumes to back up."""
        if (resource.attached_volume_ids
                and volume_backup.backup_service(request) is not False):
            return volume_backup.VolumeBackupPlugin.quotas
        return ()

    def limits(self, request):
        return api.cinder.absolute_limits(request)

    def parent_of(self, point):
        return point.prop(self.parent_key)

    # --- listing -----------------------------------------------------------------

    def record_filters(self, request, all_projects: bool,
                       resource_id: str | None = None) -> dict[str, Any]:
        """Glance filters of the records: hidden images of our kind, of one project or all."""
        filters = dict(self.search_opts(False, resource_id), os_hidden=True)
        filters[records.KIND] = records.RECORD_KIND
        if not all_projects:
            # An admin's Glance lists every project's images.
            filters['owner'] = request.user.project_id
        return filters

    def list_points(self, request, *, all_projects=False, resource_id=None):
        """The backups, their parts not read (one call): each with its record's status."""
        return [records.ServerBackup(records.Record.from_image(image), [])
                for image in api.glance.image_list(
                    request, filters=self.record_filters(request, all_projects, resource_id))]

    def list_page(self, request, *, all_projects, filters, marker, prev_marker,
                  limit) -> api.base.Page:
        """A page of backups, newest first, each with its parts' statuses.

        Three calls whatever the page holds: the records, and, where the page
        has such parts, its server images (by id) and the volume backups (in
        parallel).
        """
        page = api.glance.image_list_paged(
            request, filters=dict(filters, **self.record_filters(request, all_projects)),
            marker=marker, prev_marker=prev_marker, limit=limit)
        found = [records.Record.from_image(image) for image in page.items]
        calls = {}
        image_parts = [record.image_part.id for record in found if record.image_part]
        if image_parts:
            calls['images'] = lambda: api.glance.image_list_by_ids(request, image_parts)
        if any(record.volume_parts for record in found):
            calls['backups'] = lambda: api.cinder.volume_backup_list(
                request, search_opts=base.all_projects_opts(all_projects))
        results = api.base.run_all(calls)
        resources = {**api.base.index_by_id(results.get('images', [])),
                     **api.base.index_by_id(results.get('backups', []))}
        page.items = [records.ServerBackup(record, [
            records.LivePart(part, resources.get(part.id)) for part in record.parts])
            for record in found]
        return page

    def get_point(self, request, point_id: str) -> records.ServerBackup:
        """One backup, its parts read one by one (a row's or a form's calls only)."""
        record = records.Record.from_image(api.glance.image_get(request, point_id))
        return records.ServerBackup(record, [
            records.LivePart(part, self.part_resource(request, part)) for part in record.parts])

    @staticmethod
    def part_resource(request, part: records.Part) -> Any | None:
        if part.is_image:
            return fetch(api.glance.image_get, request, part.id)
        return fetch(api.cinder.volume_backup_get, request, part.id)

    # --- protect -----------------------------------------------------------------

    @staticmethod
    def snapshot_enabled() -> bool:
        return features.get_feature('enable_server_snapshot')

    def volume_plan(self, request, server: api.nova.Server,
                    backup_volumes: bool) -> list[records.Part]:
        """The volume parts to make: the root volume of a volume-booted server
        (Nova's first device), and the other attached volumes when asked."""
        if not server.attached_volume_ids:
            return []
        attachments = sorted(api.nova.server_volumes(request, server.id),
                             key=lambda attachment: attachment.device or '')
        names = api.cinder.volume_names(request, [a.volume_id for a in attachments])
        parts = [records.Part(records.VOLUME_KIND, '', attachment.volume_id,
                              names.get(attachment.volume_id), attachment.device,
                              root=index == 0 and server.image_id is None)
                 for index, attachment in enumerate(attachments)]
        return [part for part in parts if part.root or backup_volumes]

    def protect(self, request, resource_id: str, options: dict[str, Any]) -> api.glance.Image:
        server = api.nova.server_get(request, resource_id)
        name = options['name']
        snapshot = bool(server.image_id and self.snapshot_enabled()
                        and options.get('enable_server_snapshot'))
        planned = self.volume_plan(request, server, options.get('backup_volumes', False))
        if server.image_id is None and not any(part.root for part in planned):
            raise StepFailed(_("The server boots from a volume, but Nova lists no volume "
                               "attached to it."))
        record = api.glance.image_create_record(request, name, records.record_properties(
            server=server, source_image=server.image_id,
            boot=records.BOOT_IMAGE if server.image_id else records.BOOT_VOLUME,
            user_data=snapshot or server.image_id is None,
            networks=api.nova.server_network_ids(request, server.id),
            description=options.get('description')))
        made: list[records.Part] = []
        step = _("Snapshotting the server")
        try:
            if snapshot:
                made.append(records.Part(records.IMAGE_KIND, api.nova.server_create_image(
                    request, server.id, name,
                    {records.KIND: records.IMAGE_KIND, records.LINK: record.id})))
            for part in planned:
                step = _("Backing up %s") % part.label()
                backup = base.get('volume_backup').protect(request, part.volume_id, {
                    'name': '%s (%s)' % (name, part.device), 'force': True,
                    'description': _("Part of server backup %s") % name,
                    'metadata': {records.LINK: record.id}})
                made.append(records.Part(records.VOLUME_KIND, backup.id, part.volume_id,
                                         part.volume_name, part.device, part.root))
            step = _("Recording the backup's parts")
            api.glance.image_update(request, record.id, {
                records.PARTS: records.dumps(made), records.STATE: records.READY})
        except Exception as exc:
            self.fail(request, record, made, step_message(step, exc))
        return record

    def fail(self, request, record: api.glance.Image, made: list[records.Part],
             message: str) -> None:
        """Record the failure and remove what was made; raise StepFailed."""
        LOG.warning('Server backup %s failed: %s', record.id, message)
        try:
            gone = self.remove(request, records.Record.from_image(api.glance.image_update(
                request, record.id, {records.PARTS: records.dumps(made),
                                     records.STATE: records.FAILED, records.ERROR: message})))
        except Exception as exc:
            LOG.warning('Removing what server backup %s made failed: %s', record.id, exc)
            gone = False
        raise StepFailed(message, pending=not gone)

    # --- delete and removal ------------------------------------------------------------

    def delete(self, request, point_id: str) -> None:
        """Mark the backup deleted, and delete what can be deleted now (the row poll
        deletes the rest: a volume backup takes a while)."""
        record = records.Record.from_image(api.glance.image_get(request, point_id))
        api.glance.image_update(request, record.id, {records.STATE: records.DELETING})
        record.state = records.DELETING
        self.remove(request, record)

    def linked_parts(self, request, record: records.Record) -> list[records.Part]:
        """Parts that name the record but that it does not list (its request ended early)."""
        images = api.glance.image_list(request, filters={records.LINK: record.id})
        backups = api.cinder.volume_backup_list(
            request, search_opts=base.all_projects_opts(
                record.image.owner != request.user.project_id))
        return ([records.Part(records.IMAGE_KIND, image.id) for image in images]
                + [records.Part(records.VOLUME_KIND, backup.id, backup.volume_id)
                   for backup in backups
                   if (backup.metadata or {}).get(records.LINK) == record.id])

    def remove(self, request, record: records.Record) -> bool:
        """Delete the parts that can be deleted now, and the record once they are
        all gone; True when everything is gone."""
        parts = record.parts
        if not record.parts_recorded:
            parts = self.linked_parts(request, record)
        left = False
        for part in parts:
            resource = self.part_resource(request, part)
            if resource is None:
                continue
            if part.is_image:  # Glance deletes at once
                delete_if_there(api.glance.image_delete, request, part.id)
                continue
            left = True
            if resource.status in records.BACKUP_DELETABLE:
                delete_if_there(api.cinder.volume_backup_delete, request, part.id)
        if not left:
            delete_if_there(api.glance.image_delete, request, record.id)
        return not left

    # --- restore -----------------------------------------------------------------

    def restore_choices(self, request, point_id):
        return server_restore.choices(request, self.get_point(request, point_id).record)

    def restore(self, request, point_id: str, options: dict[str, Any]) -> Any:
        return server_restore.start(request, self.get_point(request, point_id), options)

    # --- the row poll --------------------------------------------------------------

    def advance(self, request, backup: records.ServerBackup) -> Advanced | None:
        """Carry on with what the backup has under way (None: nothing was due)."""
        record = backup.record
        if record.state in (records.FAILED, records.DELETING):
            self.remove(request, record)
            return Advanced()
        # A restore lands in the backup's project: only its members carry it on.
        if (record.restore is not None and record.state == records.READY
                and record.image.owner == request.user.project_id):
            return server_restore.advance(request, record)
        return None
