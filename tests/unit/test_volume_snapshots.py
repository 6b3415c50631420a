"""Volume snapshot protection: the plugin, its forms, the snapshots panel."""

import types
from unittest import mock

from cinderclient import exceptions as cinder_exc
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from openstack_dashboard.test import helpers

from protection_dashboard import api
from protection_dashboard.api import cinder
from protection_dashboard.api.base import Page
from protection_dashboard.protection import base as protection_base
from tests.unit.fakes import fake

INDEX_URL = reverse('horizon:project:volume_snapshots:index')
PLUGIN = protection_base.get('volume_snapshot')
#: The project of Horizon's test user.
PROJECT_ID = '1'


def deny_rule(denied):
    """A policy check that refuses one rule and allows the rest."""
    def check(rules, request, *args, **kwargs):
        return all(rule != denied for _service, rule in rules)
    return check


DENY = mock.patch('openstack_dashboard.policy.check', return_value=False)


def make_volume(status='available', **attrs):
    values = {'id': 'vol-1', 'name': 'data', 'size': 2, 'status': status,
              'attachments': [{'server_id': 'srv'}] if status == 'in-use' else [],
              'description': '', 'created_at': '2026-01-01T00:00:00',
              'os-vol-tenant-attr:tenant_id': PROJECT_ID}
    values.update(attrs)
    return fake(cinder.Volume, **values)


def make_snapshot(index=1, status='available', volume_id='vol-1', project_id=PROJECT_ID):
    return fake(
        cinder.VolumeSnapshot, id='snap-%d' % index, name='snap-%d' % index, description='', size=2,
        status=status, volume_id=volume_id, created_at='2026-01-01T00:00:%02d' % index,
        metadata={}, **{'os-extended-snapshot-attributes:project_id': project_id})


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
        self.assertTrue(PLUGIN.can_protect(make_volume('in-use')))
        self.assertFalse(PLUGIN.can_protect(make_volume('attaching')))

    @helpers.create_mocks({api.cinder: ['absolute_limits']})
    def test_quota_is_exceeded_when_snapshots_or_gigabytes_are_used_up(self):
        for limits, exceeded in (
                ({'maxTotalSnapshots': 10, 'totalSnapshotsUsed': 9}, False),
                ({'maxTotalSnapshots': 10, 'totalSnapshotsUsed': 10}, True),
                ({'maxTotalSnapshots': -1, 'totalSnapshotsUsed': 99}, False),
                ({'maxTotalVolumeGigabytes': 5, 'totalGigabytesUsed': 5}, True)):
            self.mock_absolute_limits.return_value = limits
            self.assertIs(exceeded, PLUGIN.quota_exceeded(self.request), limits)


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
    def test_force_box_only_where_the_flag_is_sent(self):
        self._mock_context(make_volume('in-use'), implied=True)
        response = self.client.get(self.url)
        self.assertContains(response, 'without the force flag')
        self.assertContains(response, '<input type="hidden" name="force"', html=False)
        self.assertNotContains(response, 'type="checkbox" name="force"')
        self._mock_context(make_volume('in-use'), implied=False)
        response = self.client.get(self.url)
        self.assertContains(response, 'type="checkbox" name="force"')
        self.assertContains(response, 'keep Force checked')

    @helpers.create_mocks({api.cinder: ['volume_get', 'supports', 'absolute_limits',
                                        'volume_snapshot_create']})
    def test_policy_is_enforced_by_the_view(self):
        with DENY:
            get = self.client.get(self.url)
            post = self.client.post(self.url, {'resource_id': 'vol-1', 'snapshot_name': 'n',
                                               'description': 'd'})
        for response in (get, post):
            self.assertEqual(403, response.status_code)
            self.assertTemplateUsed(response, 'not_authorized.html')
        self.mock_volume_get.assert_not_called()
        self.mock_volume_snapshot_create.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_get', 'supports', 'absolute_limits',
                                        'volume_snapshot_create']})
    def test_a_volume_of_another_project_is_refused(self):
        self._mock_context(make_volume(**{'os-vol-tenant-attr:tenant_id': 'other'}))
        response = self.client.post(self.url, {'resource_id': 'vol-1', 'snapshot_name': 'n',
                                               'description': 'd'})
        self.assertEqual(403, response.status_code)
        self.mock_volume_snapshot_create.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_get', 'supports', 'absolute_limits',
                                        'volume_snapshot_create']})
    def test_a_volume_in_a_state_cinder_refuses_is_refused_by_the_view(self):
        self._mock_context(make_volume('attaching'))
        refusal = '"data" cannot be protected now (not in status attaching).'
        get = self.client.get(self.url)
        self.assertEqual([refusal], get.context['form'].warnings)
        post = self.client.post(self.url, {'resource_id': 'vol-1', 'snapshot_name': 'n',
                                           'description': 'd'})
        self.assertEqual([refusal], post.context['form'].non_field_errors())
        self.mock_volume_snapshot_create.assert_not_called()

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

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged', 'volume_names']})
    def test_page_of_20_snapshots_costs_two_calls(self):
        snapshots = [make_snapshot(i, volume_id='vol-%d' % (i % 3)) for i in range(20)]
        self.mock_volume_snapshot_list_paged.return_value = Page(snapshots, 'snap-19')
        self.mock_volume_names.return_value = {'vol-%d' % i: 'v%d' % i for i in range(3)}
        response = self.client.get(INDEX_URL, {'snapshot_marker': 'snap-x'})
        self.assertEqual(200, response.status_code)
        rows = response.context['table'].data
        self.assertEqual(20, len(rows))
        self.assertEqual('v1', rows[1].volume_name)
        self.mock_volume_snapshot_list_paged.assert_called_once_with(
            mock.ANY, search_opts={}, marker='snap-x', prev_marker=None, limit=20)
        self.mock_volume_names.assert_called_once_with(mock.ANY, {'vol-0', 'vol-1', 'vol-2'})
        self.assertContains(response, 'snapshot_marker=snap-19')

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged', 'volume_names']})
    def test_a_row_actions_policy_is_checked_once_a_page_and_still_decides(self):
        self.mock_volume_snapshot_list_paged.return_value = Page(
            [make_snapshot(i) for i in range(20)])
        self.mock_volume_names.return_value = {}
        for allowed in (True, False):
            checked = []

            def check(rules, request, target=None, allowed=allowed, checked=checked):
                checked.append(rules)
                return allowed or rules != PLUGIN.restore_policy

            with override_settings(POLICY_CHECK_FUNCTION=check):
                response = self.client.get(INDEX_URL)
            self.assertEqual(1, checked.count(PLUGIN.restore_policy))
            self.assertEqual(1, checked.count(PLUGIN.delete_policy))
            self.assertEqual(20 if allowed else 0,
                             response.content.decode().count('Restore to New Volume'))
            self.assertContains(response, 'Delete Volume Snapshot')

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged', 'volume_names']})
    def test_error_snapshot_is_shown_with_delete_action(self):
        self.mock_volume_snapshot_list_paged.return_value = Page([make_snapshot(status='error')])
        self.mock_volume_names.return_value = {}
        response = self.client.get(INDEX_URL)
        self.assertContains(response, 'Error')
        self.assertContains(response, 'Delete Volume Snapshot')
        self.assertNotContains(response, 'Restore to New Volume')
        # A volume that is gone: the snapshot names its id.
        self.assertContains(response, 'vol-1')

    @helpers.create_mocks({api.cinder: ['volume_snapshot_get', 'volume_names',
                                        'volume_snapshot_list_paged']})
    def test_row_update_names_the_volume_and_lists_nothing(self):
        self.mock_volume_snapshot_get.return_value = make_snapshot()
        self.mock_volume_names.return_value = {'vol-1': 'data-volume'}
        response = self.client.get(INDEX_URL, {
            'action': 'row_update', 'table': 'volume_snapshots', 'obj_id': 'snap-1'},
            HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertContains(response, 'data-volume')
        self.mock_volume_names.assert_called_once_with(mock.ANY, {'vol-1'})
        self.mock_volume_snapshot_list_paged.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged']})
    def test_cinder_down_is_a_banner(self):
        self.mock_volume_snapshot_list_paged.side_effect = self.exceptions.cinder
        response = self.client.get(INDEX_URL)
        self.assertEqual(200, response.status_code)
        self.assertMessageCount(response, error=1)

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged', 'volume_names',
                                        'volume_snapshot_delete']})
    def test_delete_goes_through_the_plugin(self):
        self.mock_volume_snapshot_list_paged.return_value = Page([make_snapshot()])
        self.mock_volume_names.return_value = {}
        response = self.client.post(INDEX_URL, {'action': 'volume_snapshots__delete__snap-1'})
        self.assertRedirectsNoFollow(response, INDEX_URL)
        self.mock_volume_snapshot_delete.assert_called_once_with(mock.ANY, 'snap-1')

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged', 'volume_names',
                                        'volume_snapshot_delete']})
    def test_delete_is_refused_without_the_policy_rule(self):
        self.mock_volume_snapshot_list_paged.return_value = Page([make_snapshot()])
        self.mock_volume_names.return_value = {}
        with override_settings(POLICY_CHECK_FUNCTION=deny_rule('volume:delete_snapshot')):
            self.client.post(INDEX_URL, {'action': 'volume_snapshots__delete__snap-1'})
        self.mock_volume_snapshot_delete.assert_not_called()


class VolumeNamesTests(helpers.TestCase):
    """Naming a page of snapshots costs one light list at most, whatever the counts."""

    def setUp(self):
        super().setUp()
        cache.clear()
        self.client_mock = mock.Mock()
        self.client_mock.volumes.list.return_value = [
            types.SimpleNamespace(id='vol-%d' % i, name='v%d' % i) for i in range(3000)]
        patcher = mock.patch.object(cinder, 'cinderclient', return_value=self.client_mock)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_names_come_from_one_light_list_then_from_the_cache(self):
        wanted = {'vol-%d' % i for i in range(0, 3000, 150)}
        names = cinder.volume_names(self.request, wanted)
        self.assertEqual('v150', names['vol-150'])
        cinder.volume_names(self.request, wanted)
        self.client_mock.volumes.list.assert_called_once_with(detailed=False)

    def test_a_gone_volume_costs_one_more_list_once(self):
        cinder.volume_names(self.request, {'vol-1'})
        cinder.volume_names(self.request, {'vol-1', 'gone'})
        cinder.volume_names(self.request, {'vol-1', 'gone'})
        self.assertEqual(2, self.client_mock.volumes.list.call_count)


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

    @helpers.create_mocks({api.cinder: ['volume_snapshot_get', 'volume_create_from_snapshot']})
    def test_restore_name_too_long_is_a_field_error(self):
        self.mock_volume_snapshot_get.return_value = make_snapshot()
        response = self.client.post(self.url, {'point_id': 'snap-1', 'restore_name': 'x' * 300})
        self.assertFormErrors(response, 1)
        self.mock_volume_create_from_snapshot.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_snapshot_get', 'volume_create_from_snapshot']})
    def test_a_point_of_another_project_is_refused(self):
        self.mock_volume_snapshot_get.return_value = make_snapshot(project_id='other')
        response = self.client.post(self.url, {'point_id': 'snap-1', 'restore_name': 'r'})
        self.assertEqual(403, response.status_code)
        self.mock_volume_create_from_snapshot.assert_not_called()
