"""What a schedule runs to back up image-booted servers (Mistral's nova.* and glance.*).

A scheduled server backup is the one a user makes with *Include user data* and
no volumes (``server_backup.py``): a server image made by Nova's createImage,
and a record (``server_backup_record.py``) naming it, which also carries the
schedule's tag, so the Server Backups panel shows it as any other. Mistral's own
actions do every step, each for every server of the schedule (with-items, the
lists in the order of ``$.resources``):

1. ``protect``: read the servers (name, flavor, original image) and
2. ``read_networks``: their ports' networks (for a restore);
3. ``create_images``: createImage of each server;
4. ``wait_images``: list the run's images until none is being made, then go on
   only when every server has an active image;
5. ``create_records``: the records, in state ``ready`` with their parts;
6. ``link_images``: each image names its record (``LINK``), as a hand-made
   backup's parts do; a delete finds the parts by it.

Everything a run makes carries ``RUN`` (the run's id). A failed step publishes
its error, and ``remove_made`` deletes what the run made, then ``fail_run``
fails the run: nothing is listed or deleted by retention, and the run's error
is the failed step's. The retention's delete first finds each expired record's
parts (``find_parts``: images naming it, so a part deleted by hand is no
error), deletes them, then the records.

Servers booted from a volume are refused (``ServerBackupPlugin.schedule_refusal``):
their backup is a Cinder backup of the root volume, not scheduled yet.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from protection_dashboard.protection import base
from protection_dashboard.protection import server_backup_record as records
from protection_dashboard.schedules.retention import SCHEDULE_TAG

#: The property of everything a run made: the run's (Mistral execution's) id.
RUN = 'protection_dashboard_run'
#: How long a run waits for the server images: every ``WAIT_DELAY`` seconds, at
#: most ``WAIT_COUNT`` times (30 minutes).
WAIT_DELAY = 5
WAIT_COUNT = 360
#: Glance's statuses of an image still being made.
IMAGE_MAKING = ('queued', 'saving', 'uploading', 'importing')

_RUN_ID = '<% execution().id %>'


def _yaql_text(value: str) -> str:
    return f"'{value}'"


def _on_failure(task: dict[str, Any]) -> dict[str, Any]:
    """A step that removes what the run made and fails it, with its error, on error."""
    return {**task, 'publish-on-error': {'failure': '<% task().result %>'},
            'on-error': ['remove_made']}


def _record_properties(schedule_id: str) -> dict[str, str]:
    """The record's properties (``records.record_properties``), from the item's server
    (``$.server``), its interfaces (``$.ports``) and its image (``$.image``)."""
    parts = f"[dict(kind => {_yaql_text(records.IMAGE_KIND)}, id => $.image)]"
    return {
        records.KIND: records.RECORD_KIND,
        records.SERVER_ID: '<% $.server.id %>',
        records.SERVER_NAME: "<% $.server.get('name') or '' %>",
        records.FLAVOR: "<% $.server.flavor.get('original_name') or "
                        "$.server.flavor.get('id') or '' %>",
        records.SOURCE_IMAGE: '<% $.server.image.id %>',
        records.BOOT: records.BOOT_IMAGE,
        records.USER_DATA: 'true',
        records.NETWORKS: '<% json_dump($.ports.select($.net_id).distinct().toList()) %>',
        records.PARTS: f'<% json_dump({parts}) %>',
        records.STATE: records.READY,
        records.DESCRIPTION: '<% $.description %>',
        SCHEDULE_TAG: schedule_id,
        RUN: _RUN_ID,
    }


@dataclasses.dataclass(frozen=True)
class ServerBackupSchedule(base.ScheduleAction):
    """The server backup's tasks; ``create``, ``list`` and ``delete`` name its main
    actions (none is installed: they are all mistral-extra's)."""

    def protect_tasks(self, schedule_id: str, then: str) -> dict[str, Any]:
        each_server = 'resource in <% $.resources %>'
        all_active = "task().result.where($.status = 'active').len() = $.resources.len()"
        return {
            'protect': _on_failure({
                'with-items': each_server, 'action': 'nova.servers_get',
                'input': {'server': '<% $.resource %>'},
                'publish': {'servers': '<% task().result %>'},
                'on-success': ['read_networks']}),
            'read_networks': _on_failure({
                'with-items': each_server, 'action': 'nova.servers_interface_list',
                'input': {'server': '<% $.resource %>'},
                'publish': {'ports': '<% task().result %>'},
                'on-success': ['create_images']}),
            'create_images': _on_failure({
                'with-items': each_server, 'action': self.create,
                'input': {'server': '<% $.resource %>', 'image_name': '<% $.name %>',
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
                'with-items': ['server in <% $.servers %>', 'ports in <% $.ports %>',
                               'image in <% $.images %>'],
                'action': 'glance.images_create',
                'input': {'name': '<% $.name %>', 'visibility': 'private',
                          'os_hidden': True, **_record_properties(schedule_id)},
                'publish': {'records': '<% task().result.select($.id) %>'},
                'on-success': ['link_images']}),
            'link_images': _on_failure({
                'with-items': ['image in <% $.images %>', 'record in <% $.records %>'],
                'action': 'glance.images_update',
                'input': {'image_id': '<% $.image %>', records.LINK: '<% $.record %>'},
                'on-success': [then]}),
            'remove_made': {
                'with-items': 'hidden in <% [true, false] %>',
                'action': 'glance.images_list',
                'input': {'filters': {RUN: _RUN_ID, 'os_hidden': '<% $.hidden %>'}},
                'publish': {'leftovers': '<% task().result.selectMany($).select($.id) %>'},
                'on-complete': ['delete_made']},
            'delete_made': {
                'with-items': 'image in <% $.leftovers %>', 'action': 'glance.images_delete',
                'input': {'image_id': '<% $.image %>'},
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
        """Each expired record's parts (the images naming it), then the records."""
        return {
            'find_parts': {
                'with-items': 'point in <% $.expired %>', 'action': 'glance.images_list',
                'input': {'filters': {records.LINK: '<% $.point %>'}},
                'publish': {'parts': '<% task().result.selectMany($).select($.id) %>'},
                'on-success': ['delete_parts']},
            'delete_parts': {
                'with-items': 'part in <% $.parts %>', 'action': self.delete,
                'input': {'image_id': '<% $.part %>'},
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
