"""What a schedule runs to back up servers (Mistral's nova.*, glance.* and cinder.*).

A scheduled server backup is the one a user makes with *Include user data* and
no volumes (``server_backup.py``): for an image-booted server a server image
made by Nova's createImage, for a volume-booted one a Cinder backup of its root
volume (forced: an in-use volume is backed up without disruption); and a record
(``server_backup_record.py``) naming its part, which also carries the
schedule's tag, so the Server Backups panel shows it as any other. Mistral's own
actions do every step, each for every server of its kind (with-items, the lists
in the order of ``$.resources``):

1. ``protect``: read the servers (name, flavor, original image) and
2. ``read_networks``: their ports' networks (for a restore); it splits the
   servers into image-booted and volume-booted ones (Nova's ``image`` is empty
   for the latter);
3. ``create_images``: createImage of each image-booted server;
4. ``wait_images``: list the run's images until none is being made, then go on
   only when every such server has an active image;
5. ``create_records``: their records, in state ``ready`` with their parts;
6. ``link_images``: each image names its record (``LINK``), as a hand-made
   backup's parts do; a delete finds the parts by it;
7. ``read_volumes``: the volumes of the volume-booted servers, and of each its
   root volume (attached at its first device, as ``ServerBackupPlugin.volume_plan``
   reads it);
8. ``create_volume_records``: their records, in state ``creating``, as a
   hand-made backup's record is while its parts are made;
9. ``create_backups``: the root volumes' backups, naming their records;
10. ``wait_backups``: list the project's backups being made until none of the
    run's is, then ``check_backups`` goes on only when every one is available;
11. ``record_backups``: each record lists its part and is ``ready``.

Everything a run makes carries ``RUN`` (the run's id). A failed step publishes
its error, and ``remove_made`` deletes the images and records the run made,
``wait_made_backups`` waits until none of its backups is being made,
``find_made_backups`` and ``delete_made_backups`` delete them, then ``fail_run``
fails the run: nothing is listed or deleted by retention, and the run's error
is the failed step's. The retention's delete first finds each expired record's
parts (``find_parts``: images naming it; ``read_expired`` and ``find_backups``:
the backups of its volumes naming it; so a part deleted by hand is no error),
deletes them, then the records.

Attached (non-root) volumes are not backed up by a schedule yet.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from protection_dashboard.protection import base
from protection_dashboard.protection import server_backup_record as records
from protection_dashboard.schedules.retention import SCHEDULE_TAG

#: The property of everything a run made: the run's (Mistral execution's) id.
RUN = 'protection_dashboard_run'
#: How long a run waits for the server images and the volume backups: every
#: ``WAIT_DELAY`` seconds, at most ``WAIT_COUNT`` times (30 minutes).
WAIT_DELAY = 5
WAIT_COUNT = 360
#: Glance's statuses of an image still being made.
IMAGE_MAKING = ('queued', 'saving', 'uploading', 'importing')
#: Cinder's status of a backup being made, and of one made.
BACKUP_MAKING = 'creating'
BACKUP_MADE = 'available'

_RUN_ID = '<% execution().id %>'
#: Nova's list of a server's volumes (ids only: mistral-extra's
#: ``nova.volumes_get_server_volumes`` fails at Nova's newest microversion, whose
#: attachments have no ``id``).
ATTACHED = 'os-extended-volumes:volumes_attached'
#: Each volume-booted server's root volume, from Cinder's volumes of ``read_volumes``:
#: the one attached at its first device, as ``ServerBackupPlugin.volume_plan`` reads it.
_ROOTS = ("let(volumes => task().result) -> $.volume_servers.select(let(server => $.id) -> "
          "$volumes.selectMany(let(volume => $) -> $.attachments.where($.server_id = $server)"
          ".select(dict(volume_id => $volume.id, volume_name => $volume.get('name'), "
          "device => $.device))).orderBy($.device).first())")
#: A backup's metadata names the run that made it (YAQL, on a listed backup ``$``).
_MADE_BY_RUN = f"$.metadata != null and $.metadata.get('{RUN}') = execution().id"


def _yaql_text(value: str) -> str:
    return f"'{value}'"


def _on_failure(task: dict[str, Any]) -> dict[str, Any]:
    """A step that removes what the run made and fails it, with its error, on error."""
    return {**task, 'publish-on-error': {'failure': '<% task().result %>'},
            'on-error': ['remove_made']}


def _split(booted: str) -> dict[str, str]:
    """The servers of one boot source (YAQL on a server: Nova's ``image`` is a dict
    for an image-booted server, empty for a volume-booted one) and their ports, from
    ``read_networks``'s result."""
    image = 'isDict($[0].image)' if booted == records.BOOT_IMAGE else 'not isDict($[0].image)'
    pairs = f'$.servers.zip(task().result).where({image})'
    return {f'{booted}_servers': f'<% {pairs}.select($[0]) %>',
            f'{booted}_ports': f'<% {pairs}.select($[1]) %>'}


def _record_input(schedule_id: str, boot: str) -> dict[str, Any]:
    """The hidden record's name and properties (``records.record_properties``), from
    the run's name and the item's server (``$.server``), its interfaces (``$.ports``)
    and, of an image-booted server, its image (``$.image``): made ``ready`` with it.
    A volume-booted server's record is ``creating`` until its backup is made
    (``record_backups``)."""
    properties = {
        'name': '<% $.name %>', 'visibility': 'private', 'os_hidden': True,
        records.KIND: records.RECORD_KIND,
        records.SERVER_ID: '<% $.server.id %>',
        records.SERVER_NAME: "<% $.server.get('name') or '' %>",
        records.FLAVOR: "<% $.server.flavor.get('original_name') or "
                        "$.server.flavor.get('id') or '' %>",
        records.SOURCE_IMAGE: '',
        records.BOOT: boot,
        records.USER_DATA: 'true',
        records.NETWORKS: '<% json_dump($.ports.select($.net_id).distinct().toList()) %>',
        records.STATE: records.CREATING,
        records.DESCRIPTION: '<% $.description %>',
        SCHEDULE_TAG: schedule_id,
        RUN: _RUN_ID,
    }
    if boot == records.BOOT_IMAGE:
        parts = f"[dict(kind => {_yaql_text(records.IMAGE_KIND)}, id => $.image)]"
        properties.update({records.SOURCE_IMAGE: '<% $.server.image.id %>',
                           records.PARTS: f'<% json_dump({parts}) %>',
                           records.STATE: records.READY})
    return properties


def _root_part() -> str:
    """The record's parts of a volume-booted server (``records.Part``, as a hand-made
    backup lists them): the backup (``$.backup``) of its root volume (``$.root``)."""
    part = (f"dict(kind => {_yaql_text(records.VOLUME_KIND)}, id => $.backup, "
            "volume_id => $.root.volume_id, volume_name => $.root.volume_name, "
            "device => $.root.device, root => true)")
    return f'<% json_dump([{part}]) %>'


def _wait_for_backups() -> dict[str, Any]:
    """A task listing the project's backups being made (one small call), again every
    ``WAIT_DELAY`` seconds while one of them is the run's."""
    return {'action': 'cinder.backups_list',
            'input': {'search_opts': {'status': BACKUP_MAKING}},
            'retry': {'count': WAIT_COUNT, 'delay': WAIT_DELAY,
                      'continue-on': f'<% task().result.where({_MADE_BY_RUN}).len() > 0 %>'}}


def _all_done(done: str, servers: str) -> str:
    """YAQL: the step's result has one item with status ``done`` per server."""
    return f"task().result.where($.status = '{done}').len() = $.{servers}.len()"


@dataclasses.dataclass(frozen=True)
class ServerBackupSchedule(base.ScheduleAction):
    """The server backup's tasks; ``create``, ``list`` and ``delete`` name its main
    actions (none is installed: they are all mistral-extra's)."""

    def protect_tasks(self, schedule_id: str, then: str) -> dict[str, Any]:
        return {**self._read_tasks(), **self._image_tasks(schedule_id),
                **self._volume_tasks(schedule_id, then), **self._failure_tasks()}

    @staticmethod
    def _read_tasks() -> dict[str, Any]:
        each_server = 'resource in <% $.resources %>'
        return {
            'protect': _on_failure({
                'with-items': each_server, 'action': 'nova.servers_get',
                'input': {'server': '<% $.resource %>'},
                'publish': {'servers': '<% task().result %>'},
                'on-success': ['read_networks']}),
            'read_networks': _on_failure({
                'with-items': each_server, 'action': 'nova.servers_interface_list',
                'input': {'server': '<% $.resource %>'},
                'publish': {**_split(records.BOOT_IMAGE), **_split(records.BOOT_VOLUME)},
                'on-success': ['create_images']}),
        }

    def _image_tasks(self, schedule_id: str) -> dict[str, Any]:
        """Of the image-booted servers: their images, then their records."""
        all_active = _all_done('active', 'image_servers')
        return {
            'create_images': _on_failure({
                'with-items': 'server in <% $.image_servers %>', 'action': self.create,
                'input': {'server': '<% $.server.id %>', 'image_name': '<% $.name %>',
                          'metadata': {records.KIND: records.IMAGE_KIND, RUN: _RUN_ID}},
                'publish': {'images': '<% task().result %>'},
                'on-success': ['wait_images']}),
            'wait_images': _on_failure({
                'action': 'glance.images_list', 'input': {'filters': {RUN: _RUN_ID}},
                'retry': {'count': WAIT_COUNT, 'delay': WAIT_DELAY,
                          'continue-on': '<% task().result.where($.status in '
                                         f'{list(IMAGE_MAKING)}).len() > 0 %>'},
                'publish': {'failure': "<% 'Not every server image became active: ' + "
                                       "json_dump(task().result.select([$.id, $.status])) %>"},
                'on-success': [{'create_records': f'<% {all_active} %>'},
                               {'remove_made': f'<% not ({all_active}) %>'}]}),
            'create_records': _on_failure({
                'with-items': ['server in <% $.image_servers %>',
                               'ports in <% $.image_ports %>', 'image in <% $.images %>'],
                'action': 'glance.images_create',
                'input': _record_input(schedule_id, records.BOOT_IMAGE),
                'publish': {'records': '<% task().result.select($.id) %>'},
                'on-success': ['link_images']}),
            'link_images': _on_failure({
                'with-items': ['image in <% $.images %>', 'record in <% $.records %>'],
                'action': 'glance.images_update',
                'input': {'image_id': '<% $.image %>', records.LINK: '<% $.record %>'},
                'on-success': ['read_volumes']}),
        }

    @staticmethod
    def _volume_tasks(schedule_id: str, then: str) -> dict[str, Any]:
        """Of the volume-booted servers: their records, their root volumes' backups,
        then the records list them."""
        all_available = _all_done(BACKUP_MADE, 'backups')
        return {
            'read_volumes': _on_failure({
                'with-items': 'volume in <% $.volume_servers.selectMany('
                              f"$.get('{ATTACHED}')).select($.id) %>",
                'action': 'cinder.volumes_get', 'input': {'volume_id': '<% $.volume %>'},
                'publish': {'roots': f'<% {_ROOTS} %>'},
                'on-success': ['create_volume_records']}),
            'create_volume_records': _on_failure({
                'with-items': ['server in <% $.volume_servers %>',
                               'ports in <% $.volume_ports %>'],
                'action': 'glance.images_create',
                'input': _record_input(schedule_id, records.BOOT_VOLUME),
                'publish': {'volume_records': '<% task().result.select($.id) %>'},
                'on-success': ['create_backups']}),
            'create_backups': _on_failure({
                'with-items': ['root in <% $.roots %>', 'record in <% $.volume_records %>'],
                'action': 'cinder.backups_create',
                'input': {'volume_id': '<% $.root.volume_id %>',
                          'name': "<% $.name + ' (' + $.root.device + ')' %>",
                          'description': '<% $.description %>', 'force': True,
                          'metadata': {records.LINK: '<% $.record %>', RUN: _RUN_ID}},
                'publish': {'backups': '<% task().result.select($.id) %>'},
                'on-success': ['wait_backups']}),
            'wait_backups': _on_failure({**_wait_for_backups(),
                                         'on-success': ['check_backups']}),
            'check_backups': _on_failure({
                'with-items': 'backup in <% $.backups %>', 'action': 'cinder.backups_get',
                'input': {'backup_id': '<% $.backup %>'},
                'publish': {'failure': "<% 'Not every volume backup became available: ' + "
                                       "json_dump(task().result.select("
                                       "[$.id, $.status, $.get('fail_reason')])) %>"},
                'on-success': [{'record_backups': f'<% {all_available} %>'},
                               {'remove_made': f'<% not ({all_available}) %>'}]}),
            'record_backups': _on_failure({
                'with-items': ['record in <% $.volume_records %>', 'root in <% $.roots %>',
                               'backup in <% $.backups %>'],
                'action': 'glance.images_update',
                'input': {'image_id': '<% $.record %>', records.PARTS: _root_part(),
                          records.STATE: records.READY},
                'on-success': [then]}),
        }

    @staticmethod
    def _failure_tasks() -> dict[str, Any]:
        """What a failed step reaches: the run's images, records and backups deleted,
        then the run failed with the step's error."""
        return {
            'remove_made': {
                'with-items': 'hidden in <% [true, false] %>',
                'action': 'glance.images_list',
                'input': {'filters': {RUN: _RUN_ID, 'os_hidden': '<% $.hidden %>'}},
                'publish': {'leftovers': '<% task().result.selectMany($).select($.id) %>'},
                'on-complete': ['delete_made']},
            'delete_made': {
                'with-items': 'image in <% $.leftovers %>', 'action': 'glance.images_delete',
                'input': {'image_id': '<% $.image %>'},
                'on-complete': ['wait_made_backups']},
            # Cinder deletes a backup only once it is made.
            'wait_made_backups': {**_wait_for_backups(),
                                  'on-complete': ['find_made_backups']},
            'find_made_backups': {
                'with-items': "root in <% $.get('roots', []) %>",
                'action': 'cinder.backups_list',
                'input': {'search_opts': {'volume_id': '<% $.root.volume_id %>'}},
                'publish': {'made_backups': '<% task().result.selectMany($)'
                                            f'.where({_MADE_BY_RUN}).select($.id) %>'},
                'on-complete': ['delete_made_backups']},
            'delete_made_backups': {
                'with-items': "backup in <% $.get('made_backups', []) %>",
                'action': 'cinder.backups_delete', 'input': {'backup': '<% $.backup %>'},
                'on-complete': ['fail_run']},
            'fail_run': {'action': 'std.fail', 'input': {'error_data': '<% $.failure %>'}},
        }

    def list_task(self, schedule_id: str) -> tuple[dict[str, Any], str]:
        """The schedule's records (Glance filters by the tag), read as points: a record
        ``ready`` is available, ``failed`` an error, any other state in progress."""
        task = {'action': self.list, 'input': {'filters': {
            records.KIND: records.RECORD_KIND, SCHEDULE_TAG: schedule_id, 'os_hidden': True}}}
        state = f"$.get('{records.STATE}')"
        point = (f"dict(id => $.id, created_at => $.created_at, "
                 f"status => dict({records.READY} => '{records.AVAILABLE}', "
                 f"{records.FAILED} => '{records.ERROR_STATUS}').get({state}, {state}), "
                 f"metadata => dict({SCHEDULE_TAG} => $.get('{SCHEDULE_TAG}')), "
                 f"{records.SERVER_ID} => $.get('{records.SERVER_ID}'))")
        return task, f'task().result.select({point})'

    def delete_tasks(self) -> dict[str, Any]:
        """Each expired record's parts (the images naming it, and the backups of its
        volumes naming it), then the records. Cinder deletes a backup in the
        background: the record goes at once, as a part already gone does."""
        volume_parts = (f"json_parse($.get('{records.PARTS}') or '[]')"
                        f".where($.kind = {_yaql_text(records.VOLUME_KIND)})")
        naming_expired = (f"$.metadata != null and $.metadata.get('{records.LINK}') "
                          'in $expired')
        return {
            'find_parts': {
                'with-items': 'point in <% $.expired %>', 'action': 'glance.images_list',
                'input': {'filters': {records.LINK: '<% $.point %>'}},
                'publish': {'parts': '<% task().result.selectMany($).select($.id) %>'},
                'on-success': ['delete_parts']},
            'delete_parts': {
                'with-items': 'part in <% $.parts %>', 'action': self.delete,
                'input': {'image_id': '<% $.part %>'},
                'on-success': ['read_expired']},
            'read_expired': {
                'with-items': 'point in <% $.expired %>', 'action': 'glance.images_get',
                'input': {'image_id': '<% $.point %>'},
                'publish': {'part_volumes': f'<% task().result.selectMany({volume_parts})'
                                            '.select($.volume_id).distinct() %>'},
                'on-success': ['find_backups']},
            'find_backups': {
                'with-items': 'volume in <% $.part_volumes %>', 'action': 'cinder.backups_list',
                'input': {'search_opts': {'volume_id': '<% $.volume %>'}},
                'publish': {'backup_parts': '<% let(expired => $.expired) -> '
                                            'task().result.selectMany($)'
                                            f'.where({naming_expired}).select($.id) %>'},
                'on-success': ['delete_backups']},
            'delete_backups': {
                'with-items': 'backup in <% $.backup_parts %>', 'action': 'cinder.backups_delete',
                'input': {'backup': '<% $.backup %>'},
                'on-success': ['delete_expired']},
            'delete_expired': {
                'with-items': 'point in <% $.expired %>', 'action': self.delete,
                'input': {'image_id': '<% $.point %>'}},
        }

#: A scheduled backup is named and described after its schedule (the run's input).
#: Glance filters the records by the tag (a property): ``list_tag_filter`` says so,
#: ``list_task`` builds the filter.
SCHEDULE = ServerBackupSchedule(
    create='nova.servers_create_image', resource_input='server',
    options={'name': 'name', 'description': 'description'}, metadata_input='metadata',
    list='glance.images_list', delete='glance.images_delete', delete_input='image_id',
    list_tag_filter=SCHEDULE_TAG)
