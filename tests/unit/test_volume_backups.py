"""Volume backup protection: the plugin, its forms and views, the backups panel."""

from unittest import mock

import pytest
from cinderclient import exceptions as cinder_exc
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from openstack_dashboard.test import helpers

from protection_dashboard import api
from protection_dashboard.api import cinder
from protection_dashboard.api.base import Page
from protection_dashboard.protection import base as protection_base
from protection_dashboard.protection import volume_backup
from tests.unit.fakes import fake
from tests.unit.test_volume_snapshots import DENY, deny_rule, make_volume

INDEX_URL = reverse('horizon:project:volume_backups:index')
PROTECTABLES_URL = reverse('horizon:project:protectables:index')
PLUGIN = protection_base.get('volume_backup')
FORCE_REFUSAL = cinder_exc.BadRequest(
    400, message='Invalid volume: Backing up an in-use volume must use the force flag.')
#: The real check (the unit tests' conftest replaces it).
BACKUP_SERVICE = volume_backup.backup_service
LIMITS = {'maxTotalBackups': 10, 'totalBackupsUsed': 4,
          'maxTotalBackupGigabytes': 100, 'totalBackupGigabytesUsed': 8}


def make_backup(index=1, status='available', volume_id='vol-1', **attrs):
    values = {'id': 'bak-%d' % index, 'name': 'bak-%d' % index, 'description': '', 'size': 2,
              'status': status, 'volume_id': volume_id, 'container': 'backups',
              'is_incremental': False, 'has_dependent_backups': False,
              'created_at': '2026-01-01T00:00:%02d' % index,
              'data_timestamp': '2026-01-01T00:00:%02d' % index,
              'fail_reason': None, 'metadata': {},
              'os-backup-project-attr:project_id': '1'}
    values.update(attrs)
    return fake(cinder.VolumeBackup, **values)


class BackupServiceMixin:
    """The cloud has a backup service (the unit tests' default is none)."""

    @pytest.fixture(autouse=True)
    def _backup_service(self, no_backup_service):
        no_backup_service.return_value = True
        self.backup_service = no_backup_service


class BackupServiceTestCase(BackupServiceMixin, helpers.TestCase):
    pass


class PluginTests(BackupServiceTestCase):

    @helpers.create_mocks({api.cinder: ['volume_backup_create']})
    def test_protect_sends_the_options(self):
        PLUGIN.protect(self.request, 'vol-1', {'name': 'n', 'description': 'd',
                                               'container': 'c', 'incremental': True,
                                               'force': True})
        self.mock_volume_backup_create.assert_called_once_with(
            self.request, 'vol-1', name='n', description='d', container='c',
            incremental=True, force=True, metadata=None)
        PLUGIN.protect(self.request, 'vol-1', {'name': 'n', 'metadata': {'k': 'v'}})
        self.mock_volume_backup_create.assert_called_with(
            self.request, 'vol-1', name='n', description=None, container=None,
            incremental=False, force=False, metadata={'k': 'v'})

    @helpers.create_mocks({api.cinder: ['volume_backup_restore']})
    def test_restore_into_a_new_volume_or_an_existing_one(self):
        PLUGIN.restore(self.request, 'bak-1', {'name': 'new'})
        self.mock_volume_backup_restore.assert_called_once_with(
            self.request, 'bak-1', name='new')
        PLUGIN.restore(self.request, 'bak-1', {'volume_id': 'vol-2', 'name': 'ignored'})
        self.mock_volume_backup_restore.assert_called_with(
            self.request, 'bak-1', volume_id='vol-2')

    @helpers.create_mocks({api.cinder: ['volume_backup_get', 'volume_list']})
    def test_restore_choices_are_available_volumes_large_enough(self):
        self.mock_volume_backup_get.return_value = make_backup(size=2)
        self.mock_volume_list.return_value = [
            make_volume(id='small', name='small', size=1),
            make_volume(id='big', name='Big', size=5),
            make_volume(id='same', name='same', size=2),
            make_volume('in-use', id='busy', name='busy', size=9)]
        choices = PLUGIN.restore_choices(self.request, 'bak-1')['volume_id']
        self.assertEqual(['', 'big', 'same'], [value for value, _label in choices])
        self.assertEqual('Big (5 GiB)', str(choices[1][1]))
        self.mock_volume_list.assert_called_once_with(
            self.request, search_opts={'status': 'available'})

    @helpers.create_mocks({api.cinder: ['absolute_limits']})
    def test_quota_is_exceeded_when_backups_or_backup_gigabytes_are_used_up(self):
        for limits, exceeded in (
                (LIMITS, False),
                (dict(LIMITS, totalBackupsUsed=10), True),
                (dict(LIMITS, totalBackupGigabytesUsed=100), True),
                (dict(LIMITS, maxTotalBackups=-1, totalBackupsUsed=99), False),
                # snapshot limits are not the backups'
                ({'maxTotalSnapshots': 1, 'totalSnapshotsUsed': 1}, False)):
            self.mock_absolute_limits.return_value = limits
            self.assertIs(exceeded, PLUGIN.quota_exceeded(self.request), limits)

    @helpers.create_mocks({api.cinder: ['volume_backup_list']})
    def test_incremental_needs_an_available_backup_of_the_volume(self):
        self.mock_volume_backup_list.return_value = []
        self.assertFalse(PLUGIN.can_increment(self.request, 'vol-1'))
        self.mock_volume_backup_list.return_value = [make_backup()]
        self.assertTrue(PLUGIN.can_increment(self.request, 'vol-1'))
        self.mock_volume_backup_list.assert_called_with(
            self.request, search_opts={'volume_id': 'vol-1', 'status': 'available'}, limit=1)

    def test_force_refusal_reads_as_one_clear_sentence(self):
        sentence = PLUGIN.explain_refusal(FORCE_REFUSAL)
        self.assertIn('Check Force', sentence)
        self.assertNotIn('Invalid volume', sentence)
        self.assertIsNone(PLUGIN.explain_refusal(cinder_exc.BadRequest(400, message='other')))

    def test_statuses(self):
        self.assertTrue(PLUGIN.needs_force(make_volume('in-use')))
        self.assertFalse(PLUGIN.needs_force(make_volume('available')))
        self.assertTrue(PLUGIN.can_protect(make_volume('in-use')))
        self.assertFalse(PLUGIN.can_protect(make_volume('backing-up')))
        self.assertTrue(PLUGIN.can_delete('error'))
        self.assertFalse(PLUGIN.can_delete('creating'))
        self.assertIsNone(PLUGIN.status_state('creating'))

    def test_parent_of_an_incremental_is_the_newest_earlier_backup(self):
        full = make_backup(1)
        failed = make_backup(2, status='error')
        incremental = make_backup(3, is_incremental=True)
        later = make_backup(4)
        siblings = [later, incremental, failed, full]
        self.assertIs(full, PLUGIN.parent_of_incremental(incremental, siblings))
        self.assertIsNone(PLUGIN.parent_of_incremental(full, siblings))

    def test_enabled_unless_switched_off_or_known_to_have_no_backup_service(self):
        with mock.patch.object(api.base, 'is_service_enabled', return_value=True):
            self.assertTrue(PLUGIN.is_enabled(self.request))
            self.backup_service.return_value = None  # unknown: Cinder may refuse later
            self.assertTrue(PLUGIN.is_enabled(self.request))
            self.backup_service.return_value = False
            self.assertFalse(PLUGIN.is_enabled(self.request))
            self.backup_service.return_value = True
            with override_settings(PROTECTION_DASHBOARD={'enable_volume_backup': False}):
                self.assertFalse(PLUGIN.is_enabled(self.request))


class BackupServiceCheckTests(helpers.TestCase):
    """One services call per cloud and TTL, and none for users who may not make it."""

    def setUp(self):
        super().setUp()
        cache.clear()
        self.client_mock = mock.Mock()
        for patcher in (
                mock.patch.object(cinder, 'cinderclient', return_value=self.client_mock),
                mock.patch.object(cinder.base, 'endpoint_for', return_value='http://c/v3/p')):
            patcher.start()
            self.addCleanup(patcher.stop)

    def test_the_answer_is_cached_for_every_user(self):
        self.client_mock.services.list.return_value = [mock.Mock(status='enabled')]
        self.assertIs(True, cinder.backup_service_enabled(self.request))
        self.assertIs(True, cinder.backup_service_enabled(self.request, ask=False))
        self.assertIs(True, cinder.backup_service_enabled(self.request))
        self.client_mock.services.list.assert_called_once_with(binary='cinder-backup')

    def test_disabled_or_missing_services_mean_none(self):
        for services in ([], [mock.Mock(status='disabled')]):
            cache.clear()
            self.client_mock.services.list.return_value = services
            self.assertIs(False, cinder.backup_service_enabled(self.request))

    def test_a_user_who_may_not_ask_gets_unknown_without_a_call(self):
        self.assertIsNone(cinder.backup_service_enabled(self.request, ask=False))
        self.client_mock.services.list.side_effect = cinder_exc.Forbidden(403)
        self.assertIsNone(cinder.backup_service_enabled(self.request))
        self.assertEqual(1, self.client_mock.services.list.call_count)

    def test_the_plugin_asks_only_when_policy_allows(self):
        with mock.patch.object(cinder, 'backup_service_enabled', return_value=None) as check:
            with DENY:
                BACKUP_SERVICE(self.request)
            check.assert_called_once_with(self.request, ask=False)

    def test_a_failing_check_is_unknown(self):
        with mock.patch.object(cinder, 'backup_service_enabled',
                               side_effect=cinder_exc.ClientException(500)):
            self.assertIsNone(BACKUP_SERVICE(self.request))


class ProtectViewTests(BackupServiceTestCase):
    url = reverse('horizon:project:volume_backups:create', args=('vol-1',))

    def _mock_context(self, volume, backups=()):
        self.mock_volume_get.return_value = volume
        self.mock_volume_backup_list.return_value = list(backups)
        self.mock_absolute_limits.return_value = LIMITS

    def _post(self, **fields):
        return self.client.post(self.url, dict({'resource_id': 'vol-1', 'name': 'n'}, **fields))

    @helpers.create_mocks({api.cinder: ['volume_get', 'volume_backup_list', 'absolute_limits']})
    def test_in_use_volume_explains_the_non_disruptive_backup_and_force(self):
        self._mock_context(make_volume('in-use'))
        response = self.client.get(self.url)
        self.assertContains(response, 'Create Volume Backup (Force)')
        self.assertContains(response, 'temporary snapshot')
        self.assertContains(response, 'Force is required')
        self.assertContains(response, 'type="checkbox" name="force"')
        self.assertTrue(response.context['form'].initial['force'])
        self.assertContains(response, '4 of 10 Used')
        self.assertContains(response, '8 of 100 GiB Used')

    @helpers.create_mocks({api.cinder: ['volume_get', 'volume_backup_list', 'absolute_limits']})
    def test_available_volume_needs_no_force_and_incremental_needs_a_backup(self):
        self._mock_context(make_volume())
        response = self.client.get(self.url)
        self.assertNotContains(response, '(Force)')
        self.assertNotIn('force', response.context['form'].fields)
        self.assertNotIn('incremental', response.context['form'].fields)
        self.assertContains(response, 'this is a full backup')
        self._mock_context(make_volume(), backups=[make_backup()])
        response = self.client.get(self.url)
        self.assertIn('incremental', response.context['form'].fields)

    @helpers.create_mocks({api.cinder: ['volume_get', 'volume_backup_list', 'absolute_limits',
                                        'volume_backup_create']})
    def test_in_use_without_force_is_a_field_error_and_no_api_call(self):
        self._mock_context(make_volume('in-use'))
        response = self._post()
        self.assertFormErrors(response, 1)
        self.assertIn('Check Force', response.context['form'].errors['force'][0])
        self.mock_volume_backup_create.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_get', 'volume_backup_list', 'absolute_limits',
                                        'volume_backup_create']})
    def test_cinder_force_refusal_is_one_clear_sentence(self):
        # The volume was attached after the form was shown.
        self._mock_context(make_volume())
        self.mock_volume_backup_create.side_effect = FORCE_REFUSAL
        response = self._post()
        self.assertEqual(200, response.status_code)
        self.assertContains(response, 'Check Force to back it up')
        self.assertNotContains(response, 'must use the force flag')

    @helpers.create_mocks({api.cinder: ['volume_get', 'volume_backup_list', 'absolute_limits',
                                        'volume_backup_create']})
    def test_other_refusals_keep_cinder_words(self):
        self._mock_context(make_volume())
        self.mock_volume_backup_create.side_effect = cinder_exc.OverLimit(
            413, message='Maximum number of backups allowed (10) exceeded')
        response = self._post()
        self.assertContains(response, 'Unable to create the volume backup. Maximum number')

    @helpers.create_mocks({api.cinder: ['volume_get', 'volume_backup_list', 'absolute_limits',
                                        'volume_backup_create']})
    def test_in_use_with_force_and_incremental_creates_the_backup(self):
        self._mock_context(make_volume('in-use'), backups=[make_backup()])
        self.mock_volume_backup_create.return_value = make_backup(2, status='creating')
        response = self._post(force='on', incremental='on', container='nightly')
        self.assertNoFormErrors(response)
        self.assertRedirectsNoFollow(response, INDEX_URL)
        self.mock_volume_backup_create.assert_called_once_with(
            mock.ANY, 'vol-1', name='n', description=None, container='nightly',
            incremental=True, force=True, metadata=None)

    @helpers.create_mocks({api.cinder: ['volume_get', 'volume_backup_create']})
    def test_policy_is_enforced_by_the_view(self):
        with override_settings(POLICY_CHECK_FUNCTION=deny_rule('backup:create')):
            get = self.client.get(self.url)
            post = self._post()
        for response in (get, post):
            self.assertEqual(403, response.status_code)
        self.mock_volume_get.assert_not_called()
        self.mock_volume_backup_create.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_get', 'volume_backup_create']})
    def test_no_backup_service_is_refused(self):
        self.backup_service.return_value = False
        self.assertEqual(403, self._post().status_code)
        self.mock_volume_backup_create.assert_not_called()


class RestoreViewTests(BackupServiceTestCase):
    url = reverse('horizon:project:volume_backups:restore', args=('bak-1',))

    def _mock_choices(self):
        self.mock_volume_backup_get.return_value = make_backup(size=1)
        self.mock_volume_list.return_value = [make_volume(id='vol-2', name='target')]

    @helpers.create_mocks({api.cinder: ['volume_backup_get', 'volume_list']})
    def test_form_offers_a_new_volume_and_the_targets_and_warns(self):
        self._mock_choices()
        response = self.client.get(self.url)
        self.assertContains(response, 'A new volume')
        self.assertContains(response, 'target (2 GiB)')
        self.assertContains(response, 'Overwrite the chosen volume')
        # The name shows for a new volume, the confirmation for an existing one.
        form = response.context['form']
        self.assertIn('data-volume_id-', form.fields['name'].widget.attrs)
        self.assertIn('data-volume_id-vol-2', form.fields['confirm_overwrite'].widget.attrs)

    @helpers.create_mocks({api.cinder: ['volume_backup_get', 'volume_list',
                                        'volume_backup_restore']})
    def test_existing_volume_needs_the_confirmation(self):
        self._mock_choices()
        response = self.client.post(self.url, {'point_id': 'bak-1', 'volume_id': 'vol-2'})
        self.assertFormErrors(response, 1)
        self.assertIn('confirm_overwrite', response.context['form'].errors)
        self.mock_volume_backup_restore.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_backup_get', 'volume_list',
                                        'volume_backup_restore']})
    def test_a_volume_not_offered_is_refused_without_an_api_call(self):
        self._mock_choices()
        response = self.client.post(self.url, {'point_id': 'bak-1', 'volume_id': 'vol-9',
                                               'confirm_overwrite': 'on'})
        self.assertIn('volume_id', response.context['form'].errors)
        self.mock_volume_backup_restore.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_backup_get', 'volume_list',
                                        'volume_backup_restore']})
    def test_confirmed_restore_into_an_existing_volume_lands_on_its_row(self):
        self._mock_choices()
        self.mock_volume_backup_restore.return_value = fake(
            cinder.VolumeBackupRestore, backup_id='bak-1', volume_id='vol-2',
            volume_name='target')
        response = self.client.post(self.url, {'point_id': 'bak-1', 'volume_id': 'vol-2',
                                               'confirm_overwrite': 'on'})
        self.assertNoFormErrors(response)
        self.assertRedirectsNoFollow(response, PROTECTABLES_URL + '#volumes__row__vol-2')
        self.mock_volume_backup_restore.assert_called_once_with(
            mock.ANY, 'bak-1', volume_id='vol-2')

    @helpers.create_mocks({api.cinder: ['volume_backup_get', 'volume_list',
                                        'volume_backup_restore']})
    def test_restore_into_a_new_volume(self):
        self._mock_choices()
        self.mock_volume_backup_restore.return_value = fake(
            cinder.VolumeBackupRestore, backup_id='bak-1', volume_id='vol-new',
            volume_name='fresh')
        response = self.client.post(self.url, {'point_id': 'bak-1', 'name': 'fresh'})
        self.assertNoFormErrors(response)
        self.assertRedirectsNoFollow(response, PROTECTABLES_URL + '#volumes__row__vol-new')
        self.mock_volume_backup_restore.assert_called_once_with(mock.ANY, 'bak-1', name='fresh')

    @helpers.create_mocks({api.cinder: ['volume_backup_get', 'volume_backup_restore']})
    def test_policy_is_enforced_by_the_view(self):
        with override_settings(POLICY_CHECK_FUNCTION=deny_rule('backup:restore')):
            response = self.client.post(self.url, {'point_id': 'bak-1', 'name': 'x'})
        self.assertEqual(403, response.status_code)
        self.mock_volume_backup_get.assert_not_called()
        self.mock_volume_backup_restore.assert_not_called()


class IndexViewTests(BackupServiceTestCase):

    @helpers.create_mocks({api.cinder: ['volume_backup_list_paged', 'volume_names']})
    def test_page_of_20_backups_costs_two_calls(self):
        backups = [make_backup(i, volume_id='vol-%d' % (i % 3)) for i in range(20)]
        self.mock_volume_backup_list_paged.return_value = Page(backups, 'bak-19')
        self.mock_volume_names.return_value = {'vol-%d' % i: 'v%d' % i for i in range(3)}
        response = self.client.get(INDEX_URL, {'backup_marker': 'bak-x'})
        self.assertEqual(200, response.status_code)
        rows = response.context['table'].data
        self.assertEqual(20, len(rows))
        self.assertEqual('v1', rows[1].volume_name)
        self.mock_volume_backup_list_paged.assert_called_once_with(
            mock.ANY, search_opts={}, marker='bak-x', prev_marker=None, limit=20)
        self.mock_volume_names.assert_called_once_with(mock.ANY, {'vol-0', 'vol-1', 'vol-2'})
        self.assertContains(response, 'backup_marker=bak-19')
        self.assertContains(response, 'attached volumes included')

    @helpers.create_mocks({api.cinder: ['volume_backup_list_paged', 'volume_names']})
    def test_actions_follow_the_status_and_dependents(self):
        self.mock_volume_backup_list_paged.return_value = Page([
            make_backup(1, status='creating'), make_backup(2, has_dependent_backups=True),
            make_backup(3, status='error')])
        self.mock_volume_names.return_value = {}
        response = self.client.get(INDEX_URL)
        table = response.context['table']
        actions = {row.id: [a.name for a in table.get_row_actions(row)] for row in table.data}
        self.assertEqual({'bak-1': [], 'bak-2': ['restore'], 'bak-3': ['delete']}, actions)

    @helpers.create_mocks({api.cinder: ['volume_backup_get', 'volume_names',
                                        'volume_backup_list_paged']})
    def test_row_update_costs_only_the_row(self):
        self.mock_volume_backup_get.return_value = make_backup()
        self.mock_volume_names.return_value = {'vol-1': 'data-volume'}
        response = self.client.get(INDEX_URL, {
            'action': 'row_update', 'table': 'volume_backups', 'obj_id': 'bak-1'},
            HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertContains(response, 'data-volume')
        self.mock_volume_backup_list_paged.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_backup_list_paged']})
    def test_cinder_down_is_a_banner(self):
        self.mock_volume_backup_list_paged.side_effect = self.exceptions.cinder
        response = self.client.get(INDEX_URL)
        self.assertEqual(200, response.status_code)
        self.assertMessageCount(response, error=1)

    @helpers.create_mocks({api.cinder: ['volume_backup_list_paged', 'volume_names',
                                        'volume_backup_delete']})
    def test_delete_goes_through_the_plugin_and_its_policy(self):
        self.mock_volume_backup_list_paged.return_value = Page([make_backup()])
        self.mock_volume_names.return_value = {}
        with override_settings(POLICY_CHECK_FUNCTION=deny_rule('backup:delete')):
            self.client.post(INDEX_URL, {'action': 'volume_backups__delete__bak-1'})
        self.mock_volume_backup_delete.assert_not_called()
        response = self.client.post(INDEX_URL, {'action': 'volume_backups__delete__bak-1'})
        self.assertRedirectsNoFollow(response, INDEX_URL)
        self.mock_volume_backup_delete.assert_called_once_with(mock.ANY, 'bak-1')

    @helpers.create_mocks({api.cinder: ['volume_backup_list_paged',
                                        'volume_snapshot_list_paged']})
    def test_no_backup_service_hides_the_panel(self):
        self.backup_service.return_value = False
        self.mock_volume_snapshot_list_paged.return_value = Page([])
        response = self.client.get(INDEX_URL)
        self.assertEqual(403, response.status_code)
        self.mock_volume_backup_list_paged.assert_not_called()
        response = self.client.get(reverse('horizon:project:volume_snapshots:index'))
        self.assertNotContains(response, INDEX_URL)


class DetailViewTests(BackupServiceTestCase):

    @helpers.create_mocks({api.cinder: ['volume_backup_get', 'volume_names',
                                        'volume_backup_list']})
    def test_incremental_shows_its_parent_and_is_restorable(self):
        full = make_backup(1, name='nightly-full')
        incremental = make_backup(2, is_incremental=True)
        self.mock_volume_backup_get.return_value = incremental
        self.mock_volume_names.return_value = {'vol-1': 'data-volume'}
        self.mock_volume_backup_list.return_value = [incremental, full]
        response = self.client.get(reverse('horizon:project:volume_backups:detail',
                                           args=('bak-2',)))
        self.assertContains(response, 'nightly-full')
        self.assertContains(response, reverse('horizon:project:volume_backups:detail',
                                              args=('bak-1',)))
        self.assertContains(response, 'data-volume')
        self.assertContains(response, 'Yes: into a new volume')
        self.assertContains(response, 'Jan. 1, 2026')
        self.mock_volume_backup_list.assert_called_once_with(
            mock.ANY, search_opts={'volume_id': 'vol-1'})

    @helpers.create_mocks({api.cinder: ['volume_backup_get', 'volume_names']})
    def test_failed_backup_says_why_and_is_not_restorable(self):
        self.mock_volume_backup_get.return_value = make_backup(
            status='error', fail_reason='Service not found for creating backup.')
        self.mock_volume_names.return_value = {}
        response = self.client.get(reverse('horizon:project:volume_backups:detail',
                                           args=('bak-1',)))
        self.assertContains(response, 'Service not found for creating backup.')
        self.assertContains(response, 'No: only an available backup')


class ProtectablesTests(BackupServiceTestCase):
    """The registry puts "Create Backup" on volume rows; no protectables code knows it."""

    @helpers.create_mocks({api.cinder: ['volume_list_paged', 'volume_snapshot_list',
                                        'volume_backup_list', 'absolute_limits']})
    def test_volume_rows_offer_create_backup_and_count_backups(self):
        self.mock_volume_list_paged.return_value = Page([make_volume()])
        self.mock_volume_snapshot_list.return_value = []
        self.mock_volume_backup_list.return_value = [make_backup()]
        self.mock_absolute_limits.return_value = dict(LIMITS, totalBackupsUsed=10)
        with mock.patch.object(api.base, 'is_service_enabled',
                               side_effect=lambda request, service: service == 'cinder'):
            response = self.client.get(PROTECTABLES_URL)
        self.assertContains(response, reverse('horizon:project:volume_backups:create',
                                              args=('vol-1',)))
        self.assertContains(response, 'Create Backup (Quota exceeded)')
        volume = response.context['volumes_table'].data[0]
        self.assertEqual('2026-01-01T00:00:01', volume.last_protected)
        self.mock_volume_backup_list.assert_called_once_with(mock.ANY, search_opts={},
                                                             limit=None)


class AdminIndexViewTests(BackupServiceMixin, helpers.BaseAdminViewTests):
    url = reverse('horizon:admin:protection_volume_backups:index')

    @helpers.create_mocks({api.cinder: ['volume_backup_list_paged', 'volume_names']})
    def test_every_project_in_one_call_with_delete_only(self):
        self.mock_volume_backup_list_paged.return_value = Page([
            make_backup(1, **{'os-backup-project-attr:project_id': 'other'})])
        response = self.client.get(self.url)
        self.assertEqual(200, response.status_code)
        self.mock_volume_backup_list_paged.assert_called_once_with(
            mock.ANY, search_opts={'all_tenants': True}, marker=None, prev_marker=None,
            limit=20)
        self.mock_volume_names.assert_not_called()
        table = response.context['table']
        self.assertEqual('other', table.data[0].project_id)
        self.assertEqual(['delete'], [a.name for a in table.get_row_actions(table.data[0])])
        self.assertContains(response, 'vol-1')
        self.assertNotContains(response, 'attached volumes included')

class AdminPanelForMembersTests(BackupServiceTestCase):

    @helpers.create_mocks({api.cinder: ['volume_backup_list_paged']})
    def test_not_for_members(self):
        response = self.client.get(reverse('horizon:admin:protection_volume_backups:index'))
        self.assertNotEqual(200, response.status_code)
        self.mock_volume_backup_list_paged.assert_not_called()


class RestoreChoicesFailureTests(BackupServiceTestCase):

    @helpers.create_mocks({api.cinder: ['volume_backup_get', 'volume_list']})
    def test_cinder_down_is_a_banner(self):
        self.mock_volume_backup_get.return_value = make_backup()
        self.mock_volume_list.side_effect = self.exceptions.cinder
        response = self.client.get(reverse('horizon:project:volume_backups:restore',
                                           args=('bak-1',)))
        self.assertEqual(200, response.status_code)
        self.assertMessageCount(response, error=1)
