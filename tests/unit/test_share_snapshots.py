"""Share snapshot protection: the plugin, its forms, the share snapshots panel."""

import types
from unittest import mock

from django.test import override_settings
from django.urls import reverse
from manilaclient.common.apiclient import exceptions as manila_exc
from openstack_dashboard.test import helpers

from protection_dashboard import api
from protection_dashboard.api import manila
from protection_dashboard.api.base import Page
from protection_dashboard.protection import base as protection_base
from protection_dashboard.protection import share_snapshot
from tests.unit.fakes import fake, service_policy

INDEX_URL = reverse('horizon:project:share_snapshots:index')
ADMIN_URL = reverse('horizon:admin:protection_share_snapshots:index')
PROTECTABLES_URL = reverse('horizon:project:protectables:index')
PROTECT_URL = reverse('horizon:project:share_snapshots:create', args=('share-1',))
RESTORE_URL = reverse('horizon:project:share_snapshots:restore', args=('snap-1',))
PLUGIN = protection_base.get('share_snapshot')
#: The project of Horizon's test user (whose role is ``member``).
PROJECT_ID = '1'
SHARE_OFF = override_settings(PROTECTION_DASHBOARD={'enable_share_protection': False})
MANILA_ENDPOINT = {'type': 'sharev2', 'name': 'manilav2', 'endpoints_links': [],
                   'endpoints': [{'region': 'RegionOne', 'interface': interface,
                                  'url': 'http://manila.example.com:8786/v2'}
                                 for interface in ('admin', 'internal', 'public')]}


def share_policy(rules):
    """Horizon's real policy engine (openstack_auth) with Manila's rules as ``rules``.

    Horizon ships no policy for the ``share`` scope, so without one every
    Manila rule passes in Horizon (and Manila's API has the last word); an
    operator adds one, as manila-ui documents, like this.
    """
    return service_policy('share', rules)


#: A Manila policy that lets members read and restore to new shares only.
MEMBER_READS_ONLY = {
    'share:create': 'role:member',
    'share:create_snapshot': 'role:admin',
    'share:delete_snapshot': 'role:admin',
    'share:revert_to_snapshot': 'role:admin',
    'share_snapshot:get_all_snapshots': 'role:member',
}


class ManilaTestCase(helpers.TestCase):
    """Horizon's test user, with Manila in the service catalog."""

    def setUp(self):
        super().setUp()
        self.service_catalog.append(MANILA_ENDPOINT)


def make_share(status='available', **attrs):
    values = {'id': 'share-1', 'name': 'data', 'size': 1, 'status': status,
              'share_proto': 'NFS', 'share_type': 'type-1', 'share_type_name': 'gold',
              'share_network_id': 'net-1', 'availability_zone': 'az-2',
              'revert_to_snapshot_support': True, 'description': '',
              'created_at': '2026-01-01T00:00:00', 'project_id': PROJECT_ID}
    values.update(attrs)
    return fake(manila.Share, **values)


def make_snapshot(index=1, status='available', share_id='share-1', **attrs):
    values = {'id': 'snap-%d' % index, 'name': 'snap-%d' % index, 'description': '',
              'size': 1, 'status': status, 'share_id': share_id, 'share_proto': 'NFS',
              'created_at': '2026-01-01T00:00:%02d' % index, 'project_id': PROJECT_ID,
              'metadata': {}}
    values.update(attrs)
    return fake(manila.ShareSnapshot, **values)


#: A cache the compressor's entries do not evict ours from (the default holds 300).
BIG_CACHE = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
                         'LOCATION': 'big', 'OPTIONS': {'MAX_ENTRIES': 100000}}}
LIMITS = {'maxTotalShareSnapshots': 10, 'totalShareSnapshotsUsed': 3,
          'maxTotalSnapshotGigabytes': 100, 'totalSnapshotGigabytesUsed': 7}
PLAN_CALLS = {api.manila: ['share_snapshot_get', 'share_get', 'share_snapshot_list', 'supports',
                           'share_revert_to_snapshot', 'share_create_from_snapshot']}


class PlanMixin:
    """A restore plan from mocked calls: snapshot ``snap-1`` of share ``share-1``."""

    def _mock_plan(self, snapshot=None, share=None, latest=None, revert_api=True):
        snapshot = snapshot or make_snapshot()
        self.mock_share_snapshot_get.return_value = snapshot
        self.mock_share_get.return_value = share or make_share()
        self.mock_share_snapshot_list.return_value = [latest or snapshot]
        self.mock_supports.return_value = revert_api
        return snapshot


class PluginTests(PlanMixin, ManilaTestCase):

    @helpers.create_mocks({api.manila: ['share_snapshot_create']})
    def test_protect_sends_the_options(self):
        PLUGIN.protect(self.request, 'share-1', {'snapshot_name': 'a', 'description': 'd',
                                                 'force': True})
        self.mock_share_snapshot_create.assert_called_once_with(
            self.request, 'share-1', name='a', description='d', force=True)

    @helpers.create_mocks(PLAN_CALLS)
    def test_restore_to_a_new_share_inherits_from_the_source_share(self):
        snapshot = make_snapshot(size=3)
        share = make_share(size=1)
        self._mock_plan(snapshot, share)
        PLUGIN.restore(self.request, 'snap-1', {'restore_name': 'back',
                                                'restore_description': 'again'})
        self.mock_share_create_from_snapshot.assert_called_once_with(
            self.request, snapshot, share, name='back', description='again')
        self.mock_share_revert_to_snapshot.assert_not_called()

    @helpers.create_mocks(PLAN_CALLS)
    def test_restore_into_the_share_reverts_it(self):
        self._mock_plan()
        restored = PLUGIN.restore(self.request, 'snap-1', {'share_id': 'share-1'})
        self.mock_share_revert_to_snapshot.assert_called_once_with(
            self.request, 'share-1', 'snap-1')
        self.mock_share_create_from_snapshot.assert_not_called()
        self.assertEqual('share-1', restored.id)

    def test_create_from_snapshot_passes_what_manila_requires(self):
        client = mock.Mock()
        with mock.patch.object(manila, 'manilaclient', return_value=client):
            manila.share_create_from_snapshot(self.request, make_snapshot(size=3),
                                              make_share(), name='n', description=None)
        client.shares.create.assert_called_once_with(
            'NFS', 3, snapshot_id='snap-1', name='n', description=None,
            share_network='net-1', share_type='type-1', availability_zone='az-2')

    @helpers.create_mocks(PLAN_CALLS)
    def test_revert_is_offered_only_where_manila_allows_it(self):
        cases = (
            ({}, None),
            ({'revert_api': False}, 'microversion 2.27'),
            ({'share': make_share(revert_to_snapshot_support=False)},
             'share type "gold" does not support'),
            ({'latest': make_snapshot(2)}, 'latest snapshot of this share is "snap-2"'),
            ({'share': make_share('extending')}, 'share is extending'),
        )
        for kwargs, reason in cases:
            self._mock_plan(**kwargs)
            plan = share_snapshot.restore_plan(mock.Mock(), 'snap-1')
            choices = PLUGIN.restore_choices(mock.Mock(), 'snap-1')['share_id']
            if reason is None:
                self.assertIsNone(plan.revert_refusal)
                self.assertEqual(['', 'share-1'], [value for value, _label in choices])
            else:
                self.assertIn(reason, str(plan.revert_refusal))
                self.assertEqual([''], [value for value, _label in choices])
        self.mock_share_snapshot_list.assert_called_with(
            mock.ANY, {'share_id': 'share-1'}, limit=1)

    @helpers.create_mocks(PLAN_CALLS)
    def test_revert_needs_the_manila_revert_rule(self):
        self._mock_plan()
        with share_policy(MEMBER_READS_ONLY):
            plan = share_snapshot.restore_plan(self.request, 'snap-1')
        self.assertIn('not allowed', str(plan.revert_refusal))

    @helpers.create_mocks({api.manila: ['share_limits']})
    def test_quota_is_exceeded_when_snapshots_or_gigabytes_are_used_up(self):
        for limits, exceeded in (
                (LIMITS, False),
                (dict(LIMITS, totalShareSnapshotsUsed=10), True),
                (dict(LIMITS, maxTotalShareSnapshots=-1, totalShareSnapshotsUsed=99), False),
                (dict(LIMITS, totalSnapshotGigabytesUsed=100), True)):
            self.mock_share_limits.return_value = limits
            self.assertIs(exceeded, PLUGIN.quota_exceeded(self.request), limits)

    @helpers.create_mocks({api.manila: ['share_snapshot_list']})
    def test_points_of_one_share_cost_one_short_call(self):
        PLUGIN.list_points(self.request, resource_id='share-1')
        self.mock_share_snapshot_list.assert_called_once_with(
            self.request, search_opts={'share_id': 'share-1'}, limit=1)

    def test_status_sets(self):
        self.assertIs(True, PLUGIN.status_state('available'))
        self.assertIs(False, PLUGIN.status_state('error_deleting'))
        self.assertIsNone(PLUGIN.status_state('creating'))
        self.assertTrue(PLUGIN.can_delete('error'))
        self.assertFalse(PLUGIN.can_delete('deleting'))
        self.assertTrue(PLUGIN.can_protect(make_share()))
        self.assertFalse(PLUGIN.can_protect(make_share('migrating')))


class ProtectViewTests(ManilaTestCase):
    valid = {'resource_id': 'share-1', 'snapshot_name': 'n', 'description': 'd'}

    def _mock_context(self, share=None):
        self.mock_share_get.return_value = share or make_share()
        self.mock_share_limits.return_value = LIMITS

    @helpers.create_mocks({api.manila: ['share_get', 'share_limits']})
    def test_form_comes_from_the_schema_with_the_quota(self):
        self._mock_context()
        response = self.client.get(PROTECT_URL)
        self.assertContains(response, 'Snapshot Name')
        self.assertContains(response, 'name="force"')
        self.assertContains(response, '3 of 10 Used')
        self.assertContains(response, '7 of 100 GiB Used')

    @helpers.create_mocks({api.manila: ['share_get', 'share_limits',
                                        'share_snapshot_create']})
    def test_missing_description_is_a_field_error_and_no_api_call(self):
        self._mock_context()
        response = self.client.post(PROTECT_URL, dict(self.valid, description=''))
        self.assertFormErrors(response, 1)
        self.assertIn('description', response.context['form'].errors)
        self.mock_share_snapshot_create.assert_not_called()

    @helpers.create_mocks({api.manila: ['share_get', 'share_limits',
                                        'share_snapshot_create']})
    def test_valid_post_creates_snapshot_and_redirects(self):
        self._mock_context()
        self.mock_share_snapshot_create.return_value = make_snapshot(status='creating')
        response = self.client.post(PROTECT_URL, dict(self.valid, force='on'))
        self.assertNoFormErrors(response)
        self.assertRedirectsNoFollow(response, INDEX_URL)
        self.mock_share_snapshot_create.assert_called_once_with(
            mock.ANY, 'share-1', name='n', description='d', force=True)

    @helpers.create_mocks({api.manila: ['share_get', 'share_limits',
                                        'share_snapshot_create']})
    def test_manila_refusal_is_shown_in_the_form(self):
        self._mock_context()
        self.mock_share_snapshot_create.side_effect = manila_exc.BadRequest(
            message='Source share status must be available')
        response = self.client.post(PROTECT_URL, self.valid)
        self.assertEqual(200, response.status_code)
        self.assertContains(response, 'Source share status must be available')

    @helpers.create_mocks({api.manila: ['share_get', 'share_limits',
                                        'share_snapshot_create']})
    def test_manila_policy_is_enforced_by_the_view(self):
        self._mock_context()
        with share_policy(MEMBER_READS_ONLY):
            get = self.client.get(PROTECT_URL)
            post = self.client.post(PROTECT_URL, self.valid)
        for response in (get, post):
            self.assertEqual(403, response.status_code)
            self.assertTemplateUsed(response, 'not_authorized.html')
        self.mock_share_get.assert_not_called()
        self.mock_share_snapshot_create.assert_not_called()
        with share_policy(dict(MEMBER_READS_ONLY,
                                          **{'share:create_snapshot': 'role:member'})):
            self.assertEqual(200, self.client.get(PROTECT_URL).status_code)

    @helpers.create_mocks({api.manila: ['share_get', 'share_limits',
                                        'share_snapshot_create']})
    def test_a_share_of_another_project_is_refused(self):
        self._mock_context(make_share(project_id='other'))
        response = self.client.post(PROTECT_URL, self.valid)
        self.assertEqual(403, response.status_code)
        self.mock_share_snapshot_create.assert_not_called()

    @helpers.create_mocks({api.manila: ['share_get']})
    def test_switched_off_is_refused(self):
        with SHARE_OFF:
            response = self.client.get(PROTECT_URL)
        self.assertEqual(403, response.status_code)
        self.mock_share_get.assert_not_called()


class RestoreViewTests(PlanMixin, ManilaTestCase):

    @helpers.create_mocks(PLAN_CALLS)
    def test_form_offers_revert_and_explains_what_a_new_share_inherits(self):
        self._mock_plan()
        response = self.client.get(RESTORE_URL)
        self.assertContains(response, 'Revert share &quot;data&quot; to this snapshot')
        # Horizon's switchable fields: the confirmation shows for the revert only.
        self.assertContains(response, 'data-restoreto-share-1=')
        self.assertContains(response, 'name="confirm_revert"')
        for inherited in ('gold', 'net-1', 'az-2', '(NFS)'):
            self.assertContains(response, inherited)

    @helpers.create_mocks(PLAN_CALLS)
    def test_form_says_why_revert_is_not_offered(self):
        self._mock_plan(latest=make_snapshot(2))
        response = self.client.get(RESTORE_URL)
        self.assertContains(response, 'Restoring into the share is not offered')
        self.assertContains(response, 'latest snapshot of this share is &quot;snap-2&quot;')
        self.assertNotContains(response, 'Revert share')
        self.assertNotContains(response, 'name="confirm_revert"')

    @helpers.create_mocks(PLAN_CALLS)
    def test_revert_not_offered_is_refused_without_an_api_call(self):
        self._mock_plan(latest=make_snapshot(2))
        response = self.client.post(RESTORE_URL, {'point_id': 'snap-1',
                                                  'share_id': 'share-1',
                                                  'confirm_revert': 'on'})
        self.assertFormErrors(response, 1)
        self.assertIn('share_id', response.context['form'].errors)
        self.mock_share_revert_to_snapshot.assert_not_called()

    @helpers.create_mocks(PLAN_CALLS)
    def test_revert_needs_confirmation(self):
        self._mock_plan()
        response = self.client.post(RESTORE_URL, {'point_id': 'snap-1',
                                                  'share_id': 'share-1'})
        self.assertFormErrors(response, 1)
        self.assertIn('confirm_revert', response.context['form'].errors)
        self.mock_share_revert_to_snapshot.assert_not_called()

    @helpers.create_mocks(PLAN_CALLS)
    def test_confirmed_revert_lands_on_the_share_row(self):
        self._mock_plan()
        response = self.client.post(RESTORE_URL, {'point_id': 'snap-1',
                                                  'share_id': 'share-1',
                                                  'confirm_revert': 'on'})
        self.assertNoFormErrors(response)
        self.assertRedirectsNoFollow(response, PROTECTABLES_URL + '#shares__row__share-1')
        self.mock_share_revert_to_snapshot.assert_called_once_with(
            mock.ANY, 'share-1', 'snap-1')

    @helpers.create_mocks(PLAN_CALLS)
    def test_restore_to_a_new_share_lands_on_its_row(self):
        self._mock_plan()
        self.mock_share_create_from_snapshot.return_value = make_share(id='share-new')
        response = self.client.post(RESTORE_URL, {'point_id': 'snap-1',
                                                  'restore_name': 'r'})
        self.assertNoFormErrors(response)
        self.assertRedirectsNoFollow(response, PROTECTABLES_URL + '#shares__row__share-new')
        self.mock_share_create_from_snapshot.assert_called_once_with(
            mock.ANY, mock.ANY, mock.ANY, name='r', description=None)
        self.mock_share_revert_to_snapshot.assert_not_called()

    @helpers.create_mocks(PLAN_CALLS)
    def test_manila_conflict_is_shown_in_the_form(self):
        self._mock_plan()
        self.mock_share_revert_to_snapshot.side_effect = manila_exc.Conflict(
            message='Share share-1 may not be reverted while it has an active task.')
        response = self.client.post(RESTORE_URL, {'point_id': 'snap-1',
                                                  'share_id': 'share-1',
                                                  'confirm_revert': 'on'})
        self.assertEqual(200, response.status_code)
        self.assertContains(response, 'may not be reverted while it has an active task')

    @helpers.create_mocks(PLAN_CALLS)
    def test_a_snapshot_of_another_project_is_refused(self):
        self._mock_plan(make_snapshot(project_id='other'))
        response = self.client.post(RESTORE_URL, {'point_id': 'snap-1'})
        self.assertEqual(403, response.status_code)
        self.mock_share_create_from_snapshot.assert_not_called()

    @helpers.create_mocks(PLAN_CALLS)
    def test_snapshot_gone_is_a_banner_not_a_500(self):
        self.mock_share_snapshot_get.side_effect = manila_exc.NotFound()
        response = self.client.get(RESTORE_URL)
        self.assertRedirectsNoFollow(response, INDEX_URL)


class IndexViewTests(ManilaTestCase):

    @helpers.create_mocks({api.manila: ['share_snapshot_list_paged', 'share_names']})
    def test_page_of_20_snapshots_costs_two_calls(self):
        snapshots = [make_snapshot(i, share_id='share-%d' % (i % 3)) for i in range(20)]
        self.mock_share_snapshot_list_paged.return_value = Page(snapshots, '40', '0')
        self.mock_share_names.return_value = {'share-%d' % i: 's%d' % i for i in range(3)}
        response = self.client.get(INDEX_URL, {'snapshot_marker': '20'})
        self.assertEqual(200, response.status_code)
        rows = response.context['table'].data
        self.assertEqual(20, len(rows))
        self.assertEqual('s1', rows[1].share_name)
        self.mock_share_snapshot_list_paged.assert_called_once_with(
            mock.ANY, search_opts={}, marker='20', prev_marker=None, limit=20)
        self.mock_share_names.assert_called_once_with(
            mock.ANY, {'share-0', 'share-1', 'share-2'}, all_projects=False)
        self.assertContains(response, 'snapshot_marker=40')
        self.assertContains(response, 'prev_snapshot_marker=0')

    @helpers.create_mocks({api.manila: ['share_snapshot_list_paged', 'share_names']})
    def test_filter_goes_to_manila(self):
        self.mock_share_snapshot_list_paged.return_value = Page([])
        self.client.post(INDEX_URL, {'share_snapshots__filter__q_field': 'status',
                                     'share_snapshots__filter__q': 'error'})
        self.client.get(INDEX_URL)
        self.assertEqual({'status': 'error'},
                         self.mock_share_snapshot_list_paged.call_args.kwargs['search_opts'])

    @helpers.create_mocks({api.manila: ['share_snapshot_list_paged', 'share_names']})
    def test_error_snapshot_offers_delete_not_restore(self):
        self.mock_share_snapshot_list_paged.return_value = Page([make_snapshot(status='error')])
        self.mock_share_names.return_value = {}
        response = self.client.get(INDEX_URL)
        self.assertContains(response, 'Error')
        self.assertContains(response, 'Delete Share Snapshot')
        self.assertNotContains(response, 'horizon:project:share_snapshots:restore')
        self.assertNotContains(response, reverse('horizon:project:share_snapshots:restore',
                                                 args=('snap-1',)))
        # A share that is gone: the snapshot names its id.
        self.assertContains(response, 'share-1')

    @override_settings(CACHES=BIG_CACHE)
    def test_row_update_after_the_page_costs_one_call_the_snapshot(self):
        """The share's name comes from the names the page cached: one call a poll."""
        client = mock.Mock()
        client.shares.list.return_value = [
            types.SimpleNamespace(id='share-1', name='data-share')]
        client.share_snapshots.list.return_value = [
            make_snapshot(status='creating')._apiresource]
        client.share_snapshots.get.return_value = make_snapshot(status='available')._apiresource
        with mock.patch.object(manila, 'manilaclient', return_value=client):
            self.client.get(INDEX_URL)
            client.reset_mock()
            response = self.client.get(INDEX_URL, {
                'action': 'row_update', 'table': 'share_snapshots', 'obj_id': 'snap-1'},
                HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertContains(response, 'data-share')
        self.assertContains(response, 'Available')
        client.share_snapshots.get.assert_called_once_with('snap-1')
        self.assertEqual(['share_snapshots.get'], [name for name, _args, _kwargs
                                                   in client.method_calls])

    @helpers.create_mocks({api.manila: ['share_snapshot_get', 'share_names']})
    def test_row_update_of_a_snapshot_whose_share_is_gone_names_the_share_id(self):
        self.mock_share_snapshot_get.return_value = make_snapshot(share_id='share-gone')
        self.mock_share_names.return_value = {}
        response = self.client.get(INDEX_URL, {
            'action': 'row_update', 'table': 'share_snapshots', 'obj_id': 'snap-1'},
            HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertEqual(200, response.status_code)
        self.assertContains(response, 'share-gone')
        self.mock_share_names.assert_called_once_with(mock.ANY, {'share-gone'},
                                                      all_projects=False)

    @helpers.create_mocks({api.manila: ['share_snapshot_list_paged']})
    def test_manila_down_is_a_banner(self):
        self.mock_share_snapshot_list_paged.side_effect = manila_exc.ServiceUnavailable(
            message='down')
        response = self.client.get(INDEX_URL)
        self.assertEqual(200, response.status_code)
        self.assertMessageCount(response, error=1)

    @helpers.create_mocks({api.manila: ['share_snapshot_list_paged', 'share_names',
                                        'share_snapshot_delete']})
    def test_delete_goes_through_the_plugin(self):
        self.mock_share_snapshot_list_paged.return_value = Page([make_snapshot()])
        self.mock_share_names.return_value = {}
        response = self.client.post(INDEX_URL, {'action': 'share_snapshots__delete__snap-1'})
        self.assertRedirectsNoFollow(response, INDEX_URL)
        self.mock_share_snapshot_delete.assert_called_once_with(mock.ANY, 'snap-1')

    @helpers.create_mocks({api.manila: ['share_snapshot_list_paged', 'share_names',
                                        'share_snapshot_delete']})
    def test_delete_is_refused_without_the_manila_rule(self):
        self.mock_share_snapshot_list_paged.return_value = Page([make_snapshot()])
        self.mock_share_names.return_value = {}
        with share_policy(MEMBER_READS_ONLY):
            page = self.client.get(INDEX_URL)
            self.client.post(INDEX_URL, {'action': 'share_snapshots__delete__snap-1'})
        self.assertNotContains(page, 'Delete Share Snapshot')
        self.mock_share_snapshot_delete.assert_not_called()

    @helpers.create_mocks({api.manila: ['share_snapshot_list_paged']})
    def test_switched_off_is_refused_and_not_in_the_navigation(self):
        with SHARE_OFF:
            response = self.client.get(INDEX_URL)
            elsewhere = self.client.get(reverse('horizon:settings:user:index'))
        self.assertEqual(403, response.status_code)
        self.mock_share_snapshot_list_paged.assert_not_called()
        self.assertNotContains(elsewhere, INDEX_URL)
        self.assertContains(self.client.get(reverse('horizon:settings:user:index')),
                            INDEX_URL)


class DetailViewTests(ManilaTestCase):

    @helpers.create_mocks({api.manila: ['share_snapshot_get', 'share_get']})
    def test_detail_shows_the_snapshot_and_its_share(self):
        self.mock_share_snapshot_get.return_value = make_snapshot(description='nightly')
        self.mock_share_get.return_value = make_share(name='data-share')
        response = self.client.get(reverse('horizon:project:share_snapshots:detail',
                                           args=('snap-1',)))
        self.assertEqual(200, response.status_code)
        for text in ('nightly', 'data-share', 'gold', 'az-2'):
            self.assertContains(response, text)


class AdminIndexViewTests(ManilaTestCase, helpers.BaseAdminViewTests):

    @helpers.create_mocks({api.manila: ['share_snapshot_list_paged', 'share_names']})
    def test_every_project_is_listed_with_delete_but_no_restore(self):
        self.mock_share_snapshot_list_paged.return_value = Page(
            [make_snapshot(project_id='other-project')])
        self.mock_share_names.return_value = {'share-1': 'their-share'}
        response = self.client.get(ADMIN_URL)
        self.assertEqual(200, response.status_code)
        self.mock_share_snapshot_list_paged.assert_called_once_with(
            mock.ANY, search_opts={'all_tenants': True}, marker=None, prev_marker=None,
            limit=20)
        self.mock_share_names.assert_called_once_with(mock.ANY, {'share-1'},
                                                      all_projects=True)
        for text in ('other-project', 'their-share', 'Delete Share Snapshot'):
            self.assertContains(response, text)
        self.assertNotContains(response, reverse('horizon:project:share_snapshots:restore',
                                                 args=('snap-1',)))


class AdminPageForMembersTests(ManilaTestCase):

    def test_members_get_not_authorized(self):
        response = self.client.get(ADMIN_URL)
        self.assertEqual(403, response.status_code)
