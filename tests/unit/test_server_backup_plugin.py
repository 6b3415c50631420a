"""The server backup plugin on an in-memory cloud: protect, restore, delete, failures.

Every multi-step operation is walked as the panel drives it: one request, then
row polls (``advance``) while the cloud moves on (``settle``).  A failure is
injected at each step; what the operation made must be gone afterwards.
"""

import json
import types
from unittest import mock

from cinderclient import exceptions as cinder_exc
from django.test import override_settings
from glanceclient import exc as glance_exc
from novaclient import exceptions as nova_exc
from openstack_auth import utils as auth_utils
from openstack_dashboard.test import helpers

from protection_dashboard import api
from protection_dashboard.protection import base as protection_base
from protection_dashboard.protection import server_backup_record as records
from protection_dashboard.protection.steps import StepFailed
from tests.unit.fakecloud import FakeCloud

PLUGIN = protection_base.get('server_backup')
SNAPSHOT_OFF = override_settings(PROTECTION_DASHBOARD={'enable_server_snapshot': False})
#: Row polls a test allows an operation before it must be over.
POLLS = 6


class CloudTestCase(helpers.TestCase):
    """A fresh fake cloud holding one image; servers and volumes made per test."""

    def setUp(self):
        super().setUp()
        self.request.user = auth_utils.get_user(self.request)
        self.fresh_cloud()

    def fresh_cloud(self):
        self.cloud = FakeCloud.installed(self)
        self.image = self.cloud.image
        self.image_server = self.cloud.image_server

    def volume_server(self):
        root = self.cloud.add_volume(name='root', bootable='true')
        return self.cloud.add_server(volumes=[root, self.cloud.add_volume(name='data')])

    def protect(self, server, **options):
        return PLUGIN.protect(self.request, server.id, dict({'name': 'nightly'}, **options))

    def point(self, record_id):
        return PLUGIN.get_point(self.request, record_id)

    def poll(self, record_id):
        """What the row poll does: the backup, one step of what it has under way."""
        return PLUGIN.advance(self.request, self.point(record_id))

    def poll_until_gone(self, record_id):
        for _ in range(POLLS):
            if record_id not in self.cloud.images:
                return
            self.cloud.settle()
            self.poll(record_id)
        self.assertNotIn(record_id, self.cloud.images, 'the record was never removed')

    def left(self):
        """How many images besides the test's one, and how many backups, volumes, servers."""
        return self.cloud.left(ignore={self.image.id})

    def records(self):
        return [image_id for image_id, image in self.cloud.images.items()
                if getattr(image, 'protection_server_backup', '') == 'record']


class ProtectTests(CloudTestCase):

    def test_an_image_booted_server_is_snapshotted_with_its_volume_when_asked(self):
        server = self.image_server()
        record = self.protect(server, enable_server_snapshot=True, backup_volumes=True,
                              description='before the upgrade')
        image = self.cloud.images[record.id]
        self.assertEqual(('record', server.id, 'web', 'm1.tiny', self.image.id, 'image', 'true',
                          ['net-1'], 'ready', 'before the upgrade', True, 'queued'),
                         (image.protection_server_backup, image.protection_server_id,
                          image.protection_server_name, image.protection_flavor,
                          image.protection_source_image, image.protection_boot,
                          image.protection_user_data, json.loads(image.protection_networks),
                          image.protection_state, image.description, image.os_hidden,
                          image.status))
        parts = json.loads(image.protection_parts)
        self.assertEqual(['image', 'volume'], [part['kind'] for part in parts])
        snapshot = self.cloud.images[parts[0]['id']]
        self.assertEqual((server.id, 'image', record.id), (
            snapshot.instance_uuid, snapshot.protection_server_backup,
            snapshot.protection_record))
        backup = self.cloud.backups[parts[1]['id']]
        self.assertEqual((True, {'protection_record': record.id}, '/dev/vdb', False),
                         (backup.force, backup.metadata, parts[1]['device'], parts[1]['root']))

        self.assertEqual('creating', self.point(record.id).status)
        self.cloud.settle()
        point = self.point(record.id)
        self.assertEqual('available', point.status)
        self.assertEqual(94 + 1024 ** 3, point.size)
        self.assertEqual('server image + 1 volume backup', point.parts_summary())

    def test_the_setting_off_records_the_original_image_and_no_user_data(self):
        with SNAPSHOT_OFF:
            record = self.protect(self.image_server(0), enable_server_snapshot=True)
        image = self.cloud.images[record.id]
        self.assertEqual(('false', '[]'), (image.protection_user_data, image.protection_parts))
        point = self.point(record.id)
        self.assertEqual('available', point.status)
        self.assertEqual(self.image.id, point.record.boot_image)
        self.assertEqual(2, len(self.cloud.images), 'no image of the server was made')

    def test_the_option_unticked_records_the_original_image(self):
        record = self.protect(self.image_server(), enable_server_snapshot=False)
        self.assertEqual('[]', self.cloud.images[record.id].protection_parts)
        self.assertEqual(0, len(self.cloud.backups), 'volumes only when asked')

    def test_a_volume_booted_server_backs_up_its_root_volume_instead(self):
        server = self.volume_server()
        root_id = next(iter(server.devices))
        record = self.protect(server, enable_server_snapshot=True)
        image = self.cloud.images[record.id]
        self.assertEqual(('volume', 'true', ''), (
            image.protection_boot, image.protection_user_data, image.protection_source_image))
        (part,) = json.loads(image.protection_parts)
        self.assertEqual(('volume', root_id, '/dev/vda', True), (
            part['kind'], part['volume_id'], part['device'], part['root']))
        self.assertTrue(self.cloud.backups[part['id']].force)
        self.assertEqual(2, len(self.cloud.images), 'no image of the server was made')

    def test_a_failed_step_is_named_and_what_it_made_is_removed(self):
        for function, after, step in (
                ('server_create_image', 0, 'Snapshotting the server'),
                ('volume_backup_create', 0, 'Backing up volume data-0 (/dev/vdb)'),
                ('volume_backup_create', 1, 'Backing up volume data-1 (/dev/vdc)'),
                ('image_update', 0, "Recording the backup's parts")):
            with self.subTest(function=function, after=after):
                self.fresh_cloud()
                server = self.image_server(data_volumes=2)
                self.cloud.fail_on(function, cinder_exc.OverLimit(413, 'quota exceeded'),
                                   after)
                with self.assertRaises(StepFailed) as failed:
                    self.protect(server, enable_server_snapshot=True, backup_volumes=True)
                self.assertEqual('%s failed: quota exceeded' % step, str(failed.exception))
                # Backups still being made are removed by the row poll once Cinder lets go.
                self.assertIs(bool(self.cloud.backups), failed.exception.pending)
                (record_id,) = self.records() or [None]
                if record_id is not None:
                    self.assertEqual('error', self.point(record_id).status)
                    self.poll_until_gone(record_id)
                self.assertEqual({'images': 0, 'backups': 0, 'volumes': 2, 'servers': 1},
                                 self.left())

    def test_a_failed_record_makes_nothing(self):
        self.cloud.fail_on('image_create_record', glance_exc.HTTPForbidden('no'))
        with self.assertRaises(glance_exc.HTTPForbidden):
            self.protect(self.image_server(), enable_server_snapshot=True,
                         backup_volumes=True)
        self.assertEqual({'images': 0, 'backups': 0, 'volumes': 1, 'servers': 1}, self.left())

    def test_a_server_busy_or_in_a_state_nova_refuses_is_refused_with_the_reason(self):
        # Nova's createImage: vm state active, stopped, paused or suspended; no task.
        def refusal(status='ACTIVE', task_state=None):
            server = self.cloud.add_server(image_id=self.image.id, status=status)
            server.__dict__['OS-EXT-STS:task_state'] = task_state
            return PLUGIN.protect_refusal(api.nova.Server(server))

        for status in ('ACTIVE', 'SHUTOFF', 'PAUSED', 'SUSPENDED'):
            self.assertIsNone(refusal(status), status)
        for status, reason in (('ERROR', 'not in status error'),
                               ('BUILD', 'not in status build'),
                               ('SHELVED_OFFLOADED', 'not in status shelved offloaded'),
                               ('SOFT_DELETED', 'not in status soft deleted'),
                               ('DELETED', 'not in status deleted')):
            self.assertEqual(reason, refusal(status))
        for task_state, reason in (('deleting', 'not while deleting'),
                                   ('image_snapshot', 'not while image snapshot')):
            self.assertEqual(reason, refusal(task_state=task_state))
        server = api.nova.Server(self.cloud.add_server(status='ERROR'))
        self.assertFalse(PLUGIN.can_protect(server))


class StatusTests(CloudTestCase):

    def live(self, kind, status, fail_reason=None):
        part = records.Part(kind, 'p', volume_id='v', volume_name='data', device='/dev/vdb')
        return records.LivePart(part, types.SimpleNamespace(status=status, size=1,
                                                            fail_reason=fail_reason))

    def record(self, state='ready', restore=None):
        image = self.cloud.add_image(status='queued', protection_state=state)
        record = PLUGIN.get_point(self.request, image.id).record
        record.restore = restore
        return record

    def test_the_status_combines_the_parts(self):
        cases = [
            ([], 'available'),
            ([('image', 'active'), ('volume', 'available')], 'available'),
            ([('image', 'saving'), ('volume', 'available')], 'creating'),
            ([('image', 'active'), ('volume', 'creating')], 'creating'),
            ([('image', 'active'), ('volume', 'restoring')], 'restoring'),
            ([('image', 'killed'), ('volume', 'creating')], 'error'),
            ([('volume', 'error'), ('volume', 'deleting')], 'error'),
        ]
        record = self.record()
        for parts, status in cases:
            live = [self.live(kind, part_status) for kind, part_status in parts]
            self.assertEqual(status, records.combined_status(record, live)[0], parts)

    def test_a_failed_part_says_which_and_why(self):
        status, failure = records.combined_status(self.record(), [
            self.live('volume', 'error', 'Backup driver failed'),
            records.LivePart(records.Part('image', 'gone-image'), None)])
        self.assertEqual('error', status)
        self.assertEqual('volume data (/dev/vdb) failed (error): Backup driver failed; '
                         "server image is gone", failure)

    def test_the_records_own_state_wins(self):
        live = [self.live('volume', 'available')]
        self.assertEqual('deleting', records.combined_status(self.record('deleting'), live)[0])
        self.assertEqual('creating', records.combined_status(self.record('creating'), live)[0])
        restoring = self.record(restore=records.RestoreState('n', 'f', 'none', []))
        self.assertEqual('restoring', records.combined_status(restoring, live)[0])

    def test_a_record_left_creating_by_an_ended_request_is_an_error_that_can_be_deleted(self):
        record = self.record('creating')
        self.assertFalse(record.is_stale())
        record.image._apiresource.created_at = '2020-01-01T00:00:00Z'
        status, failure = records.combined_status(record, [])
        self.assertEqual('error', status)
        self.assertIn('ended before it finished', failure)
        self.assertTrue(PLUGIN.can_delete(status))


class DeleteTests(CloudTestCase):

    def test_delete_removes_every_part_then_the_record(self):
        record = self.protect(self.image_server(), enable_server_snapshot=True,
                              backup_volumes=True)
        self.cloud.settle()
        PLUGIN.delete(self.request, record.id)
        self.assertEqual('deleting', self.point(record.id).status)
        self.assertEqual({'images': 1, 'backups': 1, 'volumes': 1, 'servers': 1}, self.left(),
                         'the image part goes at once, the volume backup is deleting')
        self.poll_until_gone(record.id)
        self.assertEqual({'images': 0, 'backups': 0, 'volumes': 1, 'servers': 1}, self.left())

    def test_a_stale_record_is_deleted_with_the_parts_that_name_it(self):
        server = self.image_server()
        # Glance refuses every write after the record: it lists no parts, its parts name it.
        down = glance_exc.HTTPServiceUnavailable('down')
        with mock.patch.object(self.cloud, 'image_update', side_effect=down), \
                self.assertRaises(StepFailed) as failed:
            self.protect(server, enable_server_snapshot=True, backup_volumes=True)
        self.assertTrue(failed.exception.pending)
        (record_id,) = self.records()
        self.assertEqual('creating', self.point(record_id).status)
        self.cloud.images[record_id].created_at = '2020-01-01T00:00:00Z'
        self.cloud.settle()
        self.assertEqual('error', self.point(record_id).status)
        PLUGIN.delete(self.request, record_id)
        self.poll_until_gone(record_id)
        self.assertEqual({'images': 0, 'backups': 0, 'volumes': 1, 'servers': 1}, self.left())


class RestoreTests(CloudTestCase):

    def backup_of(self, server, **options):
        record = self.protect(server, enable_server_snapshot=True, backup_volumes=True,
                              **options)
        self.cloud.settle()
        return record

    def restore(self, record, **options):
        return PLUGIN.restore(self.request, record.id, dict({'name': 'web2'}, **options))

    def new_servers(self, *old):
        return [s for s in self.cloud.servers.values() if s.id not in {o.id for o in old}]

    def test_an_image_backup_boots_a_server_and_attaches_its_restored_volume(self):
        server = self.image_server()
        record = self.backup_of(server)
        snapshot_id = json.loads(self.cloud.images[record.id].protection_parts)[0]['id']
        self.restore(record, restore_volumes=True)
        (new,) = self.new_servers(server)
        self.assertEqual(('web2', 'flavor-1', [{'net-id': 'net-1'}], {
            'protection_restored_from': record.id}), (
            new.name, new.flavor_id, new.nics, new.metadata))
        self.assertEqual({'id': snapshot_id}, new.image)
        self.assertEqual('restoring', self.point(record.id).status)
        self.poll(record.id)   # the volume is still being restored, the server booting
        self.assertEqual({}, new.devices)
        self.cloud.settle()
        self.poll(record.id)   # attach
        self.assertEqual(1, len(new.devices))
        done = self.poll(record.id)   # attached: done
        point = self.point(record.id)
        self.assertEqual(('available', None), (point.status, point.record.restore))
        self.assertEqual(('Server "web2" restored from backup "nightly".', False),
                         (done.message, done.failed))

    def test_a_volume_backup_boots_from_the_restored_root_volume(self):
        server = self.volume_server()
        record = self.backup_of(server)
        result = self.restore(record, restore_volumes=True, flavor='flavor-1',
                              network='net-1')
        self.assertEqual('web2', result.name)
        self.assertEqual([], self.new_servers(server), 'boots once its root is restored')
        self.cloud.settle()
        self.poll(record.id)
        (new,) = self.new_servers(server)
        root_id = next(iter(new.devices))
        self.assertEqual(('true', [{'net-id': 'net-1'}]),
                         (self.cloud.volumes[root_id].bootable, new.nics))
        for _ in range(3):
            self.cloud.settle()
            self.poll(record.id)
        self.assertEqual(2, len(new.devices))
        self.assertEqual('available', self.point(record.id).status)

    def test_the_recorded_flavor_must_still_exist(self):
        record = self.backup_of(self.image_server(0))
        self.cloud.flavors[0].name = 'm2.small'
        with self.assertRaisesRegex(StepFailed, 'flavor m1.tiny no longer exists'):
            self.restore(record)
        self.assertEqual([], self.new_servers(*self.cloud.servers.values()))

    def test_a_failed_boot_removes_the_restored_volumes_and_is_recorded(self):
        server = self.image_server()
        record = self.backup_of(server)
        volumes_before = set(self.cloud.volumes)
        self.cloud.fail_on('server_create', nova_exc.BadRequest(400, 'No valid host'))
        with self.assertRaises(StepFailed) as failed:
            self.restore(record, restore_volumes=True)
        self.assertEqual('Booting the new server failed: No valid host', str(failed.exception))
        self.assertTrue(failed.exception.pending, 'the volume is still being restored')
        self.finish_and_check_undone(record, server, volumes_before,
                                     'Booting the new server failed')

    def test_each_failing_step_of_the_request_leaves_nothing_once_polled(self):
        unavailable = glance_exc.HTTPServiceUnavailable('Glance is unavailable')
        for function, after, step, error in (
                ('volume_backup_restore', 0, 'Restoring volume data-0 (/dev/vdb)',
                 cinder_exc.OverLimit(413, 'quota exceeded')),
                ('volume_backup_restore', 1, 'Restoring volume data-1 (/dev/vdc)',
                 cinder_exc.OverLimit(413, 'quota exceeded')),
                ('server_create', 0, 'Booting the new server',
                 nova_exc.BadRequest(400, 'No valid host')),
                ('image_update', 0, 'Recording the restore', unavailable)):
            with self.subTest(step=step):
                self.fresh_cloud()
                server = self.image_server(data_volumes=2)
                record = self.backup_of(server)
                volumes_before = set(self.cloud.volumes)
                self.cloud.fail_on(function, error, after)
                with self.assertRaises(StepFailed) as failed:
                    self.restore(record, restore_volumes=True)
                self.assertTrue(str(failed.exception).startswith(step + ' failed: '))
                # A new server is deleted at once; restoring volumes once Cinder lets go.
                self.assertEqual([], [new for new in self.new_servers(server)
                                      if new.__dict__['OS-EXT-STS:task_state'] != 'deleting'])
                self.assertEqual(bool(set(self.cloud.volumes) - volumes_before),
                                 failed.exception.pending)
                self.finish_and_check_undone(record, server, volumes_before,
                                             str(failed.exception))

    def test_glance_refusing_every_write_still_deletes_the_new_server_at_once(self):
        server = self.image_server(0)
        record = self.backup_of(server)
        down = glance_exc.HTTPServiceUnavailable('down')
        with mock.patch.object(self.cloud, 'image_update', side_effect=down), \
                self.assertRaises(StepFailed) as failed:
            self.restore(record)
        self.assertEqual("Recording the restore failed: down", str(failed.exception))
        self.assertTrue(failed.exception.pending, 'Nova deletes the server meanwhile')
        self.cloud.settle()
        self.assertEqual([], self.new_servers(server))
        self.assertEqual(('available', None), (self.point(record.id).status,
                                               self.point(record.id).record.restore))

    def test_a_failed_attach_removes_the_new_server_and_volumes(self):
        server = self.image_server()
        record = self.backup_of(server)
        volumes_before = set(self.cloud.volumes)
        self.restore(record, restore_volumes=True)
        self.cloud.settle()
        self.cloud.fail_on('volume_attach', nova_exc.BadRequest(400, 'bus full'))
        failed = self.poll(record.id)
        self.assertTrue(failed.failed)
        self.assertIn('Attaching the volume of /dev/vdb failed: bus full', failed.message)
        self.finish_and_check_undone(record, server, volumes_before, 'bus full')

    def test_a_server_that_fails_to_boot_is_removed(self):
        server = self.image_server(0)
        record = self.backup_of(server)
        self.restore(record)
        (new,) = self.new_servers(server)
        new.status, new.fault = 'ERROR', {'message': 'No valid host was found'}
        self.poll(record.id)
        self.finish_and_check_undone(record, server, set(self.cloud.volumes),
                                     'No valid host was found')

    def finish_and_check_undone(self, record, server, volumes_before, reason):
        for _ in range(POLLS):
            self.cloud.settle()
            self.poll(record.id)
        point = self.point(record.id)
        self.assertEqual('available', point.status)
        self.assertIsNone(point.record.restore)
        self.assertIn(reason, point.record.restore_error)
        self.assertEqual([], self.new_servers(server))
        self.assertEqual(volumes_before, set(self.cloud.volumes))

    def test_another_projects_restore_is_not_carried_on_by_an_admin(self):
        record = self.backup_of(self.image_server(0))
        self.restore(record)
        self.cloud.images[record.id].owner = 'other-project'
        self.cloud.settle()
        self.assertIsNone(PLUGIN.advance(self.request, self.point(record.id)))


class ServiceLayerTests(helpers.TestCase):
    """The Nova calls a restore makes, at the microversion Nova speaks."""

    def boot(self, version, **kwargs):
        client = mock.Mock()
        client.api_version.get_string.return_value = version
        with mock.patch.object(api.nova, 'novaclient', return_value=client):
            api.nova.server_create(self.request, 'web2', 'flavor-1', metadata={'k': 'v'},
                                   **kwargs)
        return client.servers.create.call_args

    def test_no_network_is_said_where_nova_knows_how(self):
        self.assertEqual('none', self.boot('2.96', image_id='img', nics='none').kwargs['nics'])
        self.assertIsNone(self.boot('2.36', image_id='img', nics='none').kwargs['nics'])

    def test_a_volume_boot_keeps_the_volume_and_sends_no_image(self):
        call = self.boot('2.96', boot_volume_id='vol-1', nics=[{'net-id': 'net-1'}])
        self.assertEqual(('web2', None, 'flavor-1'), call.args)
        self.assertEqual([{'uuid': 'vol-1', 'source_type': 'volume',
                           'destination_type': 'volume', 'boot_index': 0,
                           'delete_on_termination': False}],
                         call.kwargs['block_device_mapping_v2'])
