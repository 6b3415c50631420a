"""What a schedule runs to back up servers (Mistral's nova.*, glance.* and cinder.*).

A scheduled server backup is the one a user makes with *Back Up Server*
(``server_backup.py``), with the schedule's two options:
``enable_server_snapshot`` (an image-booted server's backup is a server image
made by Nova's createImage, with its user data; otherwise its original image is
recorded, without them) and ``backup_volumes`` (every attached volume of the
server that is not its root volume is backed up too). A volume-booted server's
root volume is always backed up. Volume backups are forced: an in-use volume is
backed up without disruption. The record (``server_backup_record.py``) names
the parts and carries the schedule's tag, so the Server Backups panel shows it
as any other. An option the schedule's form did not offer reaches the run as
null, which a run reads as false. Mistral's own actions do every step, each for
every server (with-items, the lists in the order of ``$.resources``):

1. ``protect``: read the servers (name, flavor, original image);
2. ``read_networks``: their ports' networks (for a restore);
3. ``read_volumes``: Cinder's volumes attached to them, and of each server the
   volumes to back up (``plans``: in the order of their devices, its first
   device the root volume of a volume-booted server, as
   ``ServerBackupPlugin.volume_plan`` reads them); on only when every
   volume-booted server has its root volume;
4. ``create_records``: their records, in state ``creating`` without parts, as a
   hand-made backup's record is while its parts are made;
5. ``create_images``: createImage of each image-booted server, when
   ``enable_server_snapshot``; each image names its record (``LINK``);
6. ``create_backups``: the planned volumes' backups, naming their records;
7. ``wait_images``: list the run's images until none is being made, then go on
   only when every one is active;
8. ``wait_backups``: list the project's backups being made until none of the
   run's is, then ``check_backups`` goes on only when every one is available;
9. ``record_parts``: each record lists its parts and is ``ready``.

Everything a run makes carries ``RUN`` (the run's id). A failed step publishes
its error, and ``remove_made`` deletes the images and records the run made,
``wait_made_backups`` waits until none of its backups is being made,
``find_made_backups`` and ``delete_made_backups`` delete them, then ``fail_run``
fails the run: nothing is listed or deleted by retention, and the run's error
is the failed step's.

The retention's delete is the hand-made one (``ServerBackupPlugin.delete``):
each expired record is marked ``deleting`` (``mark_expired``), its parts are
found (``find_parts``: images naming it; ``read_expired`` and ``find_backups``:
the backups of its volumes naming it; so a part deleted by hand is no error),
the images and the backups Cinder can delete are deleted, and once Cinder has
deleted them (``wait_deletes``, bounded) the records without a backup left go
(``find_left``, ``delete_expired``). A record whose backup Cinder did not delete
stays ``deleting``; the panel's row poll carries it on as a hand-made one.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from protection_dashboard.protection import base
from protection_dashboard.protection import server_backup_record as records
from protection_dashboard.schedules.retention import SCHEDULE_TAG

#: The property of everything a run made: the run's (Mistral execution's) id.
RUN = 'protection_dashboard_run'
#: How long a run waits for the server images, the volume backups and their
#: deletes: every ``WAIT_DELAY`` seconds, at most ``WAIT_COUNT`` times (30 minutes).
WAIT_DELAY = 5
WAIT_COUNT = 360
#: Glance's statuses of an image still being made.
IMAGE_MAKING = ('queued', 'saving', 'uploading', 'importing')
#: Cinder's status of a backup being made, of one made, and of one being deleted.
BACKUP_MAKING = 'creating'
BACKUP_MADE = 'available'
BACKUP_GOING = 'deleting'
#: The protect options a run takes besides its name and description.
SNAPSHOT_OPTION = 'enable_server_snapshot'
VOLUMES_OPTION = 'backup_volumes'

_RUN_ID = '<% execution().id %>'
#: Nova's list of a server's volumes (ids only: mistral-extra's
#: ``nova.volumes_get_server_volumes`` fails at Nova's newest microversion, whose
#: attachments have no ``id``).
ATTACHED = 'os-extended-volumes:volumes_attached'
#: YAQL on a server (``$.server``): Nova's ``image`` is a dict for an image-booted
#: server, empty for a volume-booted one.
_IMAGE_BOOTED = 'isDict($.server.image)'
#: YAQL on the run's context: the run's option is true (null: false).
_SNAPSHOT = f'$.{SNAPSHOT_OPTION} = true'
#: Each server's volumes to back up (``records.Part`` fields but ``id``), from
#: Cinder's volumes of ``read_volumes``: the volumes attached to it in the order of
#: their devices, the first one the root volume of a volume-booted server; the
#: others only with ``backup_volumes``.
_PLANS = (
    f"let(volumes => task().result, all => $.{VOLUMES_OPTION} = true) -> "
    "$.servers.select(let(server => $) -> "
    "let(attached => $volumes.selectMany(let(volume => $) -> "
    "$.attachments.where($.server_id = $server.id).select(dict("
    "volume_id => $volume.id, volume_name => $volume.get('name'), device => $.device)))"
    ".orderBy($.device or '').toList()) -> "
    "$attached.select(dict(volume_id => $.volume_id, volume_name => $.volume_name, "
    "device => $.device, root => not isDict($server.image) and "
    "$.volume_id = $attached[0].volume_id)).where($.root or $all).toList()).toList()")
#: The volume-booted servers to which none of Cinder's volumes of ``read_volumes`` is
#: attached: they have no root volume to back up.
_ROOTLESS = ("let(volumes => task().result) -> $.servers.where(let(server => $) -> "
             "not isDict($server.image) and "
             "not $volumes.any($.attachments.any($.server_id = $server.id)))"
             ".select($.id).toList()")
#: A backup's metadata names the run that made it (YAQL, on a listed backup ``$``).
_MADE_BY_RUN = f"$.metadata != null and $.metadata.get('{RUN}') = execution().id"
#: The listed backups the run is making (YAQL on a backup listing's result).
_RUNS_MAKING = f'task().result.where({_MADE_BY_RUN})'
#: A backup's metadata names an expired record (YAQL, on ``$``, with ``$expired``).
_OF_EXPIRED = f"$.metadata != null and $.metadata.get('{records.LINK}') in $expired"


def _yaql_text(value: str) -> str:
    return f"'{value}'"


def _either(condition: str, yes: str, no: str) -> str:
    """YAQL: the text ``yes`` where ``condition`` holds, else ``no`` (both non-empty)."""
    return f'({condition}) and {_yaql_text(yes)} or {_yaql_text(no)}'


def _on_failure(task: dict[str, Any]) -> dict[str, Any]:
    """A step that removes what the run made and fails it, with its error, on error."""
    return {**task, 'publish-on-error': {'failure': '<% task().result %>'},
            'on-error': ['remove_made']}


def _go_on_when(condition: str, then: str) -> list[dict[str, str]]:
    """Transitions: to ``then`` when ``condition`` holds, else to the failure path
    (with the ``failure`` the step published)."""
    return [{then: f'<% {condition} %>'}, {'remove_made': f'<% not ({condition}) %>'}]


def _record_input(schedule_id: str) -> dict[str, Any]:
    """The hidden record's name and properties (``records.record_properties``) from
    the run's name and options and the item's server (``$.server``) and its
    interfaces (``$.ports``): state ``creating`` and no parts until ``record_parts``.
    It holds user data when it is a server image or a volume-booted server's."""
    return {
        'name': '<% $.name %>', 'visibility': 'private', 'os_hidden': True,
        records.KIND: records.RECORD_KIND,
        records.SERVER_ID: '<% $.server.id %>',
        records.SERVER_NAME: "<% $.server.get('name') or '' %>",
        records.FLAVOR: "<% $.server.flavor.get('original_name') or "
                        "$.server.flavor.get('id') or '' %>",
        records.SOURCE_IMAGE: f"<% {_IMAGE_BOOTED} and $.server.image.id or '' %>",
        records.BOOT: f'<% {_either(_IMAGE_BOOTED, records.BOOT_IMAGE, records.BOOT_VOLUME)} %>',
        records.USER_DATA: f"<% {_either(f'not {_IMAGE_BOOTED} or {_SNAPSHOT}', 'true', 'false')}"
                           ' %>',
        records.NETWORKS: '<% json_dump($.ports.select($.net_id).distinct().toList()) %>',
        records.STATE: records.CREATING,
        records.DESCRIPTION: '<% $.description %>',
        SCHEDULE_TAG: schedule_id,
        RUN: _RUN_ID,
    }


def _parts() -> str:
    """The record's parts (``records.Part``, as a hand-made backup lists them) of the
    item's record (``$.record``): its server image, then its volumes' backups."""
    image = (f"$.snapshots.zip($.images).where($[0].record = $record).select(dict("
             f"kind => {_yaql_text(records.IMAGE_KIND)}, id => $[1]))")
    volumes = (f"$.volume_plan.zip($.backups).where($[0].record = $record).select(dict("
               f"kind => {_yaql_text(records.VOLUME_KIND)}, id => $[1], "
               "volume_id => $[0].volume_id, volume_name => $[0].volume_name, "
               "device => $[0].device, root => $[0].root))")
    return f'<% let(record => $.record) -> json_dump({image}.concat({volumes}).toList()) %>'


def _backup_list(status: str, awaited: str) -> dict[str, Any]:
    """A task listing the project's backups in ``status`` (one small call), again every
    ``WAIT_DELAY`` seconds while ``awaited`` (YAQL: some of the listed ones) is not
    empty."""
    return {'action': 'cinder.backups_list', 'input': {'search_opts': {'status': status}},
            'retry': {'count': WAIT_COUNT, 'delay': WAIT_DELAY,
                      'continue-on': f'<% {awaited}.len() > 0 %>'}}


def _backups_of_part_volumes() -> dict[str, Any]:
    """A task listing the backups of each volume of ``$.part_volumes`` (a new mapping
    each time: a shared one would be a YAML alias, which Mistral cannot parse)."""
    return {'with-items': 'volume in <% $.part_volumes %>', 'action': 'cinder.backups_list',
            'input': {'search_opts': {'volume_id': '<% $.volume %>'}}}


def _all_done(done: str, made: str) -> str:
    """YAQL: the step's result has one item with status ``done`` per item of ``made``."""
    return f"task().result.where($.status = '{done}').len() = $.{made}.len()"


@dataclasses.dataclass(frozen=True)
class ServerBackupSchedule(base.ScheduleAction):
    """The server backup's tasks; ``create``, ``list`` and ``delete`` name its main
    actions (none is installed: they are all mistral-extra's)."""

    def protect_tasks(self, schedule_id: str, then: str) -> dict[str, Any]:
        return {**self._read_tasks(), **self._make_tasks(schedule_id),
                **self._wait_tasks(then), **self._failure_tasks()}

    @staticmethod
    def _read_tasks() -> dict[str, Any]:
        each_server = 'resource in <% $.resources %>'
        # The volumes of the servers that have some to back up.
        volumes = (f'let(all => $.{VOLUMES_OPTION} = true) -> '
                   "$.servers.where($all or not isDict($.image))"
                   f".selectMany($.get('{ATTACHED}')).select($.id).distinct()")
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
                'on-success': ['read_volumes']}),
            'read_volumes': _on_failure({
                'with-items': f'volume in <% {volumes} %>',
                'action': 'cinder.volumes_get', 'input': {'volume_id': '<% $.volume %>'},
                'publish': {'plans': f'<% {_PLANS} %>',
                            'failure': "<% 'Cinder lists no root volume attached to the "
                                       "servers booted from a volume: ' + "
                                       f'json_dump({_ROOTLESS}) %>'},
                'on-success': _go_on_when(f'{_ROOTLESS}.len() = 0', 'create_records')}),
        }

    def _make_tasks(self, schedule_id: str) -> dict[str, Any]:
        """The records, then their server images and volume backups."""
        snapshots = (f'let(snapshot => {_SNAPSHOT}) -> $.servers.zip(task().result)'
                     '.where($snapshot and isDict($[0].image))'
                     '.select(dict(server => $[0].id, record => $[1].id))')
        volume_plan = ('$.plans.zip(task().result).selectMany(let(record => $[1].id) -> '
                       '$[0].select($.set(record => $record)))')
        return {
            'create_records': _on_failure({
                'with-items': ['server in <% $.servers %>', 'ports in <% $.ports %>'],
                'action': 'glance.images_create', 'input': _record_input(schedule_id),
                'publish': {'records': '<% task().result.select($.id) %>',
                            'snapshots': f'<% {snapshots} %>',
                            'volume_plan': f'<% {volume_plan} %>'},
                'on-success': ['create_images']}),
            'create_images': _on_failure({
                'with-items': 'snapshot in <% $.snapshots %>', 'action': self.create,
                'input': {'server': '<% $.snapshot.server %>', 'image_name': '<% $.name %>',
                          'metadata': {records.KIND: records.IMAGE_KIND,
                                       records.LINK: '<% $.snapshot.record %>',
                                       RUN: _RUN_ID}},
                'publish': {'images': '<% task().result %>'},
                'on-success': ['create_backups']}),
            'create_backups': _on_failure({
                'with-items': 'part in <% $.volume_plan %>',
                'action': 'cinder.backups_create',
                'input': {'volume_id': '<% $.part.volume_id %>',
                          'name': "<% $.name + ' (' + $.part.device + ')' %>",
                          'description': '<% $.description %>', 'force': True,
                          'metadata': {records.LINK: '<% $.part.record %>', RUN: _RUN_ID}},
                'publish': {'backups': '<% task().result.select($.id) %>'},
                'on-success': ['wait_images']}),
        }

    @staticmethod
    def _wait_tasks(then: str) -> dict[str, Any]:
        """Until the images and backups are made; then the records list them."""
        all_active = _all_done('active', 'snapshots')
        all_available = _all_done(BACKUP_MADE, 'backups')
        return {
            'wait_images': _on_failure({
                'action': 'glance.images_list', 'input': {'filters': {RUN: _RUN_ID}},
                'retry': {'count': WAIT_COUNT, 'delay': WAIT_DELAY,
                          'continue-on': '<% task().result.where($.status in '
                                         f'{list(IMAGE_MAKING)}).len() > 0 %>'},
                'publish': {'failure': "<% 'Not every server image became active: ' + "
                                       "json_dump(task().result.select([$.id, $.status])) %>"},
                'on-success': _go_on_when(all_active, 'wait_backups')}),
            'wait_backups': _on_failure({**_backup_list(BACKUP_MAKING, _RUNS_MAKING),
                                         'on-success': ['check_backups']}),
            'check_backups': _on_failure({
                'with-items': 'backup in <% $.backups %>', 'action': 'cinder.backups_get',
                'input': {'backup_id': '<% $.backup %>'},
                'publish': {'failure': "<% 'Not every volume backup became available: ' + "
                                       "json_dump(task().result.select("
                                       "[$.id, $.status, $.get('fail_reason')])) %>"},
                'on-success': _go_on_when(all_available, 'record_parts')}),
            'record_parts': _on_failure({
                'with-items': 'record in <% $.records %>', 'action': 'glance.images_update',
                'input': {'image_id': '<% $.record %>', records.PARTS: _parts(),
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
            'wait_made_backups': {**_backup_list(BACKUP_MAKING, _RUNS_MAKING),
                                  'on-complete': ['find_made_backups']},
            'find_made_backups': {
                'with-items': "volume in <% $.get('volume_plan', [])"
                              '.select($.volume_id).distinct() %>',
                'action': 'cinder.backups_list',
                'input': {'search_opts': {'volume_id': '<% $.volume %>'}},
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
        ``ready`` is available, ``failed`` an error, any other state (``creating``,
        ``deleting``) in progress: neither kept nor expired."""
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
        """As a hand-made delete: each expired record marked ``deleting``, its parts
        deleted (the images naming it, and the backups of its volumes naming it that
        Cinder can delete), then, once Cinder deleted them, the records without a
        backup left."""
        volume_parts = (f"json_parse($.get('{records.PARTS}') or '[]')"
                        f".where($.kind = {_yaql_text(records.VOLUME_KIND)})")
        # The listed backups naming an expired record (one listing, or one per volume).
        of_expired = f'let(expired => $.expired) -> task().result.where({_OF_EXPIRED})'
        per_volume = ('let(expired => $.expired) -> '
                      f'task().result.selectMany($).where({_OF_EXPIRED})')
        return {
            'mark_expired': {
                'with-items': 'point in <% $.expired %>', 'action': 'glance.images_update',
                'input': {'image_id': '<% $.point %>', records.STATE: records.DELETING},
                'on-success': ['find_parts']},
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
                **_backups_of_part_volumes(),
                'publish': {'backup_parts': f'<% {per_volume}.where($.status in '
                                            f'{sorted(records.BACKUP_DELETABLE)}).select($.id) %>'},
                'on-success': ['delete_backups']},
            'delete_backups': {
                'with-items': 'backup in <% $.backup_parts %>', 'action': 'cinder.backups_delete',
                'input': {'backup': '<% $.backup %>'},
                'on-success': ['wait_deletes']},
            'wait_deletes': {**_backup_list(BACKUP_GOING, of_expired),
                             'on-success': ['find_left']},
            'find_left': {
                **_backups_of_part_volumes(),
                'publish': {'gone': f'<% let(left => {per_volume}'
                                    f".select($.metadata.get('{records.LINK}')).toList()) -> "
                                    '$.expired.where(not $ in $left) %>'},
                'on-success': ['delete_expired']},
            'delete_expired': {
                'with-items': 'point in <% $.gone %>', 'action': self.delete,
                'input': {'image_id': '<% $.point %>'}},
        }

#: A scheduled backup is named and described after its schedule (the run's input);
#: the schedule's form offers the other two protect options.
#: Glance filters the records by the tag (a property): ``list_tag_filter`` says so,
#: ``list_task`` builds the filter.
SCHEDULE = ServerBackupSchedule(
    create='nova.servers_create_image', resource_input='server',
    options={'name': 'name', 'description': 'description',
             SNAPSHOT_OPTION: SNAPSHOT_OPTION, VOLUMES_OPTION: VOLUMES_OPTION},
    metadata_input='metadata', list='glance.images_list', delete='glance.images_delete',
    delete_input='image_id', list_tag_filter=SCHEDULE_TAG)
