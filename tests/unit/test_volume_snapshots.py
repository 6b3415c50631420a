"""Volume snapshot protection: the plugin, its forms, the snapshots panel."""

from unittest import mock

from cinderclient import exceptions as cinder_exc
from django.urls import reverse
from openstack_dashboard.test import helpers

from protection_dashboard import api
from protection_dashboard.api import cinder
from protection_dashboard.protection import base as protection_base
from protection_dashboard.protection import volume_snapshot
from tests.unit.fakes import fake

INDEX_URL = reverse('horizon:project:volume_snapshots:index')
PLUGIN = protection_base.get('volume_snapshot')


def make_volume(status='available', **attrs):
    values = {'id': 'vol-1', 'name': 'data', 'size': 2, 'status': status,
              'attachments': [{'server_id': 'srv'}] if status == 'in-use' else [],
              'description': '', 'created_at': '2026-01-01T00:00:00'}
    values.update(attrs)
    return fake(cinder.Volume, **values)


def make_snapshot(index=1, status='available', volume_id='vol-1'):
    return fake(
        cinder.VolumeSnapshot, id='snap-%d' % index, name='snap-%d' % index, description='', size=2,
        status=status, volume_id=volume_id, created_at='2026-01-01T00:00:%02d' % index,
        metadata={})


class PluginTests(helpers.TestCase):

    @helpers.create_mocks({api.cinder: ['supports', 'volume_snapshot_create']})
    def test_force_is_left_out_from_3_66(self):
        self.mock_supports.return_value = True
        PLUGIN.protect(self.request, 'vol-1', {'snapshot_name': 'a', 'description': 'd',
                                               'force': False})
        self.mock_volume_snapshot_create.assert_called_once_with(
            self.request, 'vol-1', name='a', description='d', force=None)
        self.mock_supports.assert_called_once_with(self.request, 'snapshot_in_use_implied')

    @helpers.create_mocks({api.cinder: ['supports', 'volume_snapshot_create']})
    def test_force_is_sent_as_chosen_below_3_66(self):
        self.mock_supports.return_value = False
        for chosen in (True, False):
            PLUGIN.protect(self.request, 'vol-1', {'snapshot_name': 'a', 'description': 'd',
                                                   'force': chosen})
            self.assertIs(chosen, self.mock_volume_snapshot_create.call_args.kwargs['force'])

    @helpers.create_mocks({api.cinder: ['volume_snapshot_get', 'volume_create_from_snapshot']})
    def test_restore_creates_volume_of_snapshot_size(self):
        snapshot = make_snapshot()
        self.mock_volume_snapshot_get.return_value = snapshot
        PLUGIN.restore(self.request, 'snap-1', {'restore_name': 'back'})
        self.mock_volume_create_from_snapshot.assert_called_once_with(
            self.request, snapshot, name='back', description=None)

    def test_status_sets(self):
        self.assertIs(True, PLUGIN.status_state('available'))
        self.assertIs(False, PLUGIN.status_state('error'))
        self.assertIsNone(PLUGIN.status_state('creating'))
        self.assertTrue(PLUGIN.can_delete('error'))
        self.assertFalse(PLUGIN.can_delete('creating'))
        self.assertEqual('OS::Cinder::Volume', PLUGIN.resource_type)
        self.assertIn('volume_snapshot', protection_base.registered())
        self.assertIs(volume_snapshot.VolumeSnapshotPlugin, type(PLUGIN))


class ProtectViewTests(helpers.TestCase):
    url = reverse('horizon:project:volume_snapshots:create', args=('vol-1',))

    def _mock_context(self, volume, implied=True):
        self.mock_volume_get.return_value = volume
        self.mock_supports.return_value = implied
        self.mock_absolute_limits.return_value = {
            'maxTotalSnapshots': 10, 'totalSnapshotsUsed': 3,
            'maxTotalVolumeGigabytes': 1000, 'totalGigabytesUsed': 20}

    @helpers.create_mocks({api.cinder: ['volume_get', 'supports', 'absolute_limits']})
    def test_attached_volume_gets_warning_and_force_label(self):
        self._mock_context(make_volume('in-use'))
        response = self.client.get(self.url)
        self.assertContains(response, 'Create Volume Snapshot (Force)')
        self.assertContains(response, 'attached to an instance')
        self.assertContains(response, '3 of 10 Used')
        self.assertTrue(response.context['form'].initial['force'])

    @helpers.create_mocks({api.cinder: ['volume_get', 'supports', 'absolute_limits']})
    def test_available_volume_has_plain_label(self):
        self._mock_context(make_volume())
        response = self.client.get(self.url)
        self.assertNotContains(response, '(Force)')
        self.assertContains(response, 'Snapshot Name')

    @helpers.create_mocks({api.cinder: ['volume_get', 'supports', 'absolute_limits',
                                        'volume_snapshot_create']})
    def test_missing_name_is_a_field_error_and_no_api_call(self):
        self._mock_context(make_volume())
        response = self.client.post(self.url, {'resource_id': 'vol-1', 'snapshot_name': '',
                                               'description': 'd'})
        self.assertFormErrors(response, 1)
        self.assertIn('snapshot_name', response.context['form'].errors)
        self.mock_volume_snapshot_create.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_get', 'supports', 'absolute_limits',
                                        'volume_snapshot_create']})
    def test_valid_post_creates_snapshot_and_redirects(self):
        self._mock_context(make_volume('in-use'))
        self.mock_volume_snapshot_create.return_value = make_snapshot(status='creating')
        response = self.client.post(self.url, {'resource_id': 'vol-1', 'snapshot_name': 'n',
                                               'description': 'd', 'force': 'on'})
        self.assertNoFormErrors(response)
        self.assertRedirectsNoFollow(response, INDEX_URL)
        self.mock_volume_snapshot_create.assert_called_once_with(
            mock.ANY, 'vol-1', name='n', description='d', force=None)

    @helpers.create_mocks({api.cinder: ['volume_get', 'supports', 'absolute_limits',
                                        'volume_snapshot_create']})
    def test_cinder_refusal_is_shown_in_the_form(self):
        self._mock_context(make_volume('in-use'), implied=False)
        self.mock_volume_snapshot_create.side_effect = cinder_exc.BadRequest(
            400, message="Invalid volume: Volume vol-1 status must be available, but "
                         "current status is: in-use.")
        response = self.client.post(self.url, {'resource_id': 'vol-1', 'snapshot_name': 'n',
                                               'description': 'd'})
        self.assertEqual(200, response.status_code)
        self.assertContains(response, 'current status is: in-use')
        self.assertIs(False, self.mock_volume_snapshot_create.call_args.kwargs['force'])


class IndexViewTests(helpers.TestCase):

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged', 'volume_list']})
    def test_page_of_20_snapshots_costs_two_calls(self):
        snapshots = [make_snapshot(i, volume_id='vol-%d' % (i % 3)) for i in range(20)]
        self.mock_volume_snapshot_list_paged.return_value = (snapshots, True)
        self.mock_volume_list.return_value = [make_volume(id='vol-%d' % i, name='v%d' % i)
                                              for i in range(3)]
        response = self.client.get(INDEX_URL)
        self.assertEqual(200, response.status_code)
        rows = response.context['table'].data
        self.assertEqual(20, len(rows))
        self.assertEqual('v1', rows[1].volume.name)
        self.assertEqual(1, self.mock_volume_snapshot_list_paged.call_count)
        self.assertEqual(1, self.mock_volume_list.call_count)
        self.assertTrue(response.context['table'].has_more_data())
        self.assertContains(response, 'snapshot_marker=snap-19')

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged', 'volume_list']})
    def test_error_snapshot_is_shown_with_delete_action(self):
        self.mock_volume_snapshot_list_paged.return_value = ([make_snapshot(status='error')],
                                                             False)
        self.mock_volume_list.return_value = [make_volume()]
        response = self.client.get(INDEX_URL)
        self.assertContains(response, 'Error')
        self.assertContains(response, 'Delete Volume Snapshot')
        self.assertNotContains(response, 'Restore to New Volume')

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged']})
    def test_cinder_down_is_a_banner(self):
        self.mock_volume_snapshot_list_paged.side_effect = self.exceptions.cinder
        response = self.client.get(INDEX_URL)
        self.assertEqual(200, response.status_code)
        self.assertMessageCount(response, error=1)

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged', 'volume_list',
                                        'volume_snapshot_delete']})
    def test_delete_goes_through_the_plugin(self):
        self.mock_volume_snapshot_list_paged.return_value = ([make_snapshot()], False)
        self.mock_volume_list.return_value = [make_volume()]
        response = self.client.post(INDEX_URL, {'action': 'volume_snapshots__delete__snap-1'})
        self.assertRedirectsNoFollow(response, INDEX_URL)
        self.mock_volume_snapshot_delete.assert_called_once_with(mock.ANY, 'snap-1')


class RestoreViewTests(helpers.TestCase):
    url = reverse('horizon:project:volume_snapshots:restore', args=('snap-1',))

    @helpers.create_mocks({api.cinder: ['volume_snapshot_get', 'volume_create_from_snapshot']})
    def test_restore_lands_on_new_volume_row(self):
        self.mock_volume_snapshot_get.return_value = make_snapshot()
        self.mock_volume_create_from_snapshot.return_value = make_volume(id='vol-new')
        response = self.client.post(self.url, {'point_id': 'snap-1', 'restore_name': 'r'})
        self.assertNoFormErrors(response)
        self.assertRedirectsNoFollow(
            response, reverse('horizon:project:protectables:index') + '#volumes__row__vol-new')

    @helpers.create_mocks({api.cinder: ['volume_create_from_snapshot']})
    def test_restore_name_too_long_is_a_field_error(self):
        response = self.client.post(self.url, {'point_id': 'snap-1', 'restore_name': 'x' * 300})
        self.assertFormErrors(response, 1)
        self.mock_volume_create_from_snapshot.assert_not_called()
