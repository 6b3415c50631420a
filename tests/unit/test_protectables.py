"""The protectable-resources pages, generated from the plugin registry."""

import html
import re
from unittest import mock

from django.test import override_settings
from django.urls import reverse
from openstack_dashboard.test import helpers

from protection_dashboard import api
from protection_dashboard.api import cinder, manila, nova
from protection_dashboard.api.base import Page
from protection_dashboard.protection import base, protectables, volume_backup
from protection_dashboard.schedules.retention import SCHEDULE_TAG
from tests.unit.fakes import fake

INDEX_URL = reverse('horizon:project:protectables:index')
ADMIN_URL = reverse('horizon:admin:protection_protectables:index')
AJAX = {'HTTP_X_REQUESTED_WITH': 'XMLHttpRequest'}
ALL_SERVICES = mock.patch.object(api.base, 'is_service_enabled', return_value=True)
LISTS = {
    api.cinder: ['volume_list_paged', 'volume_snapshot_list', 'absolute_limits',
                 'volume_get'],
    api.manila: ['share_list_paged', 'share_snapshot_list'],
    api.nova: ['server_list_paged'],
    api.glance: ['image_list'],
    api.mistral: ['schedule_list'],
}


def volume(index, **attrs):
    defaults = {'id': 'vol-%d' % index, 'name': 'volume-%d' % index, 'size': 1,
                'status': 'available', 'attachments': [], 'description': '',
                'created_at': '2026-01-01T00:00:00'}
    defaults.update(attrs)
    return fake(cinder.Volume, **defaults)


def snapshot(index, volume_id, created_at, schedule_id=None):
    """A volume snapshot, made by hand or (``schedule_id``) by a schedule."""
    return fake(cinder.VolumeSnapshot, id='snap-%d' % index, name='s%d' % index,
                volume_id=volume_id, created_at=created_at, status='available', size=1,
                metadata={SCHEDULE_TAG: schedule_id} if schedule_id else {})


def update_urls(response, table):
    """Row id -> the update URL its row polls, as the page gave it."""
    found = re.findall(r'<tr[^>]*data-update-url="([^"]+)"[^>]*id="%s__row__([^"]+)"' % table,
                       response.content.decode())
    return {row_id: html.unescape(url) for url, row_id in found}


def rows(response, table):
    return {row.id: row for row in response.context['%s_table' % table].data}


class PageMixin:
    """The page with every list mocked; ``calls`` counts what a request made."""

    def _mock_volume_with_a_snapshot(self):
        """vol-3 as a row update reads it: the volume, its newest snapshot, no limits."""
        self.mock_volume_get.return_value = volume(3)
        self.mock_volume_snapshot_list.return_value = [
            snapshot(2, 'vol-3', '2026-03-01T10:00:00')]
        self.mock_absolute_limits.return_value = {}

    def _mock(self, volumes=(), snapshots=(), limits=None, next_marker=None):
        self.mock_volume_list_paged.return_value = Page(list(volumes), next_marker)
        self.mock_volume_snapshot_list.return_value = list(snapshots)
        self.mock_absolute_limits.return_value = limits or {}
        self.mock_share_list_paged.return_value = Page([])
        self.mock_share_snapshot_list.return_value = []
        self.mock_server_list_paged.return_value = Page([])
        self.mock_image_list.return_value = []
        self.mock_schedule_list.return_value = []

    def calls(self):
        return {name: getattr(self, 'mock_' + name).call_count
                for names in LISTS.values() for name in names
                if getattr(self, 'mock_' + name).call_count}


class ProtectablesViewTests(PageMixin, helpers.TestCase):

    @helpers.create_mocks(LISTS)
    def test_one_call_per_type_and_point_source_and_the_newest_point(self):
        snapshots = [snapshot(1, 'vol-3', '2026-02-01T00:00:00'),
                     snapshot(2, 'vol-3', '2026-03-01T10:00:00')]
        self._mock([volume(i) for i in range(20)], snapshots)
        with ALL_SERVICES:
            response = self.client.get(INDEX_URL)
        self.assertEqual(200, response.status_code)
        volumes = rows(response, 'volumes')
        self.assertEqual(20, len(volumes))
        self.assertEqual('2026-03-01T10:00:00', volumes['vol-3'].last_protected)
        self.assertIsNone(volumes['vol-4'].last_protected)
        self.assertContains(response, 'Not protected', count=19)
        self.assertContains(response, 'March 1, 2026')
        self.assertEqual({'volume_list_paged': 1, 'volume_snapshot_list': 1,
                          'absolute_limits': 1, 'share_list_paged': 1,
                          'share_snapshot_list': 1, 'server_list_paged': 1,
                          'image_list': 1, 'schedule_list': 1}, self.calls())

    @helpers.create_mocks(LISTS)
    def test_row_update_costs_only_that_rows_calls_and_keeps_the_newest_point(self):
        self._mock_volume_with_a_snapshot()
        with ALL_SERVICES:
            response = self.client.get(INDEX_URL, {
                'action': 'row_update', 'table': 'volumes', 'obj_id': 'vol-3'}, **AJAX)
        self.assertEqual(200, response.status_code)
        self.assertContains(response, 'March 1, 2026')
        self.assertEqual({'volume_get': 1, 'volume_snapshot_list': 1, 'absolute_limits': 1},
                         self.calls())
        self.mock_volume_snapshot_list.assert_called_once_with(
            mock.ANY, search_opts={'volume_id': 'vol-3'}, limit=1)

    @helpers.create_mocks(LISTS)
    def test_a_row_poll_costs_one_call_and_shows_the_pages_newest_point_and_quota(self):
        """What the page showed travels in the row's update URL; the poll reads the volume."""
        self._mock([volume(3), volume(4)], [snapshot(2, 'vol-3', '2026-03-01T10:00:00')],
                   limits={'maxTotalSnapshots': 10, 'totalSnapshotsUsed': 10})
        with ALL_SERVICES:
            page = self.client.get(INDEX_URL)
            urls = update_urls(page, 'volumes')
            for mock_name in ('volume_list_paged', 'volume_snapshot_list', 'absolute_limits',
                              'share_list_paged', 'share_snapshot_list', 'server_list_paged',
                              'image_list', 'schedule_list'):
                getattr(self, 'mock_' + mock_name).reset_mock()
            self.mock_volume_get.return_value = volume(3, status='available')
            protected = self.client.get(urls['vol-3'], **AJAX)
            self.mock_volume_get.return_value = volume(4, status='available')
            unprotected = self.client.get(urls['vol-4'], **AJAX)
        self.assertContains(protected, 'March 1, 2026')
        self.assertContains(protected, 'Create Snapshot (Quota exceeded)')
        self.assertContains(unprotected, 'Not protected')
        self.assertEqual({'volume_get': 2}, self.calls())
        # The next poll's URL carries the same again.
        self.assertIn(urls['vol-3'].partition('?')[2],
                      html.unescape(protected.content.decode()))

    @helpers.create_mocks(LISTS)
    def test_a_row_poll_whose_url_carries_no_valid_newest_point_reads_the_points(self):
        self._mock_volume_with_a_snapshot()
        with ALL_SERVICES:
            response = self.client.get(INDEX_URL, {
                'action': 'row_update', 'table': 'volumes', 'obj_id': 'vol-3',
                'newest': '<script>'}, **AJAX)
        self.assertContains(response, 'March 1, 2026')
        self.assertNotContains(response, '<script>')
        self.assertEqual(1, self.mock_volume_snapshot_list.call_count)

    @helpers.create_mocks(LISTS)
    def test_row_update_of_a_resource_in_progress_asks_no_quota(self):
        self.mock_volume_get.return_value = volume(3, status='backing-up')
        self.mock_volume_snapshot_list.return_value = []
        with ALL_SERVICES:
            response = self.client.get(INDEX_URL, {
                'action': 'row_update', 'table': 'volumes', 'obj_id': 'vol-3'}, **AJAX)
        self.assertContains(response, 'Create Snapshot (not in status backing-up)')
        self.assertEqual({'volume_get': 1, 'volume_snapshot_list': 1}, self.calls())

    @helpers.create_mocks({api.cinder: ['volume_list_paged', 'volume_snapshot_list',
                                        'volume_backup_list', 'cinderclient'],
                           api.manila: ['share_list_paged', 'share_snapshot_list'],
                           api.nova: ['server_list_paged'], api.glance: ['image_list']})
    def test_the_quota_of_both_volume_plugins_costs_one_limits_call(self):
        self.mock_volume_list_paged.return_value = Page([volume(1)])
        self.mock_share_list_paged.return_value = self.mock_server_list_paged.return_value = \
            Page([])
        for points in ('volume_snapshot_list', 'volume_backup_list', 'share_snapshot_list',
                       'image_list'):
            getattr(self, 'mock_' + points).return_value = []
        limits = self.mock_cinderclient.return_value.limits
        limits.get.return_value.absolute = []
        with ALL_SERVICES, mock.patch.object(volume_backup, 'backup_service',
                                             return_value=True):
            response = self.client.get(INDEX_URL)
        self.assertContains(response, 'Create Snapshot')
        self.assertContains(response, 'Create Backup')
        self.assertEqual(1, limits.get.call_count)

    @helpers.create_mocks(LISTS)
    def test_row_update_of_an_unprotected_resource_says_so(self):
        self.mock_volume_get.return_value = volume(3)
        self.mock_volume_snapshot_list.return_value = []
        self.mock_absolute_limits.return_value = {}
        with ALL_SERVICES:
            response = self.client.get(INDEX_URL, {
                'action': 'row_update', 'table': 'volumes', 'obj_id': 'vol-3'}, **AJAX)
        self.assertContains(response, 'Not protected')

    @helpers.create_mocks(LISTS)
    def test_failing_point_list_is_a_banner_and_unknown_never_not_protected(self):
        self._mock([volume(1)])
        self.mock_volume_snapshot_list.side_effect = self.exceptions.cinder
        with ALL_SERVICES:
            response = self.client.get(INDEX_URL)
        self.assertEqual(200, response.status_code)
        self.assertMessageCount(response, error=1)
        self.assertIs(protectables.UNKNOWN, rows(response, 'volumes')['vol-1'].last_protected)
        self.assertContains(response, 'Unknown')
        self.assertNotContains(response, 'Not protected')

    @helpers.create_mocks(LISTS)
    def test_snapshot_action_is_offered_per_volume_and_disabled_without_quota(self):
        self._mock([volume(1)])
        with ALL_SERVICES:
            response = self.client.get(INDEX_URL)
            self.assertContains(response, 'Create Snapshot')
            self.assertNotContains(response, 'Quota exceeded')
            self._mock([volume(1)], limits={'maxTotalSnapshots': 10,
                                             'totalSnapshotsUsed': 10})
            response = self.client.get(INDEX_URL)
        self.assertContains(response, 'Create Snapshot (Quota exceeded)')

    @helpers.create_mocks(LISTS)
    def test_a_volume_in_a_state_cinder_refuses_shows_the_action_disabled_with_why(self):
        self._mock([volume(1, status='attaching'), volume(2)])
        with ALL_SERVICES:
            response = self.client.get(INDEX_URL)
        table = response.context['volumes_table']
        actions = {row.id: table.get_row_actions(row) for row in table.data}
        (refused,) = actions['vol-1']
        self.assertEqual(('Create Snapshot (not in status attaching)', True),
                         (refused.verbose_name, 'disabled' in refused.classes))
        (offered,) = actions['vol-2']
        self.assertEqual(('Create Snapshot', False),
                         (offered.verbose_name, 'disabled' in offered.classes))

    @helpers.create_mocks(LISTS)
    def test_each_table_pages_with_its_own_marker(self):
        self._mock([volume(i) for i in range(20)], next_marker='vol-19')
        share = fake(manila.Share, id='share-1', name='s', size=1, share_proto='NFS',
                     status='available', created_at='2026-01-01T00:00:00')
        self.mock_share_list_paged.return_value = Page([share], prev_marker='20')
        with ALL_SERVICES:
            response = self.client.get(INDEX_URL, {'volumes_marker': 'vol-x',
                                                   'prev_shares_marker': '40'})
        self.assertContains(response, 'volumes_marker=vol-19')
        self.assertContains(response, 'prev_shares_marker=20')
        self.mock_volume_list_paged.assert_called_once_with(
            mock.ANY, search_opts={}, marker='vol-x', prev_marker=None, limit=20)
        self.mock_share_list_paged.assert_called_once_with(
            mock.ANY, search_opts={}, marker=None, prev_marker='40', limit=20)

    @helpers.create_mocks(LISTS)
    def test_a_type_switched_off_or_missing_from_the_catalog_is_absent(self):
        self._mock([volume(1)])
        with override_settings(PROTECTION_DASHBOARD={'enable_share_protection': False}), \
                mock.patch.object(api.base, 'is_service_enabled',
                                  side_effect=lambda request, service: service != 'nova'):
            response = self.client.get(INDEX_URL)
        self.assertEqual(['volumes'], [t.name for t in response.context['protectable_tables']])
        self.assertEqual({'volume_list_paged': 1, 'volume_snapshot_list': 1,
                          'absolute_limits': 1, 'schedule_list': 1}, self.calls())

    @helpers.create_mocks(LISTS)
    def test_backend_error_is_a_banner_not_a_500(self):
        self._mock()
        self.mock_volume_list_paged.side_effect = self.exceptions.cinder
        with ALL_SERVICES:
            response = self.client.get(INDEX_URL)
        self.assertEqual(200, response.status_code)
        self.assertMessageCount(response, error=1)
        self.assertEqual([], response.context['volumes_table'].data)

    def test_members_get_not_authorized_on_the_admin_page(self):
        response = self.client.get(ADMIN_URL)
        self.assertEqual(403, response.status_code)
        self.assertTemplateUsed(response, 'not_authorized.html')


class AdminProtectablesViewTests(PageMixin, helpers.BaseAdminViewTests):

    @helpers.create_mocks(LISTS)
    def test_admin_page_lists_all_projects_and_offers_no_protect_action(self):
        self._mock([volume(1, **{'os-vol-tenant-attr:tenant_id': 'other'})])
        with ALL_SERVICES:
            response = self.client.get(ADMIN_URL)
        self.assertEqual(200, response.status_code)
        self.mock_volume_list_paged.assert_called_once_with(
            mock.ANY, search_opts={'all_tenants': True}, marker=None, prev_marker=None,
            limit=20)
        self.assertContains(response, 'other')
        self.assertNotContains(response, 'Create Snapshot')
        self.mock_absolute_limits.assert_not_called()
        # Clients add keys to search_opts (cinder: is_public): never share one dict.
        sent = [m.call_args.kwargs['search_opts'] for m in (
            self.mock_volume_list_paged, self.mock_share_list_paged,
            self.mock_server_list_paged)]
        self.assertEqual(3, len({id(opts) for opts in sent}))


def test_newest_by_picks_latest_per_parent():
    points = [mock.Mock(volume_id='a', created_at='2026-01-02'),
              mock.Mock(volume_id='a', created_at='2026-01-03'),
              mock.Mock(volume_id='b', created_at='2026-01-01'),
              mock.Mock(volume_id=None, created_at='2026-01-05')]
    newest = protectables.newest_by(points, lambda point: point.volume_id)
    assert newest == {'a': '2026-01-03', 'b': '2026-01-01'}


def test_server_helpers():
    server = nova.Server(mock.Mock(image={'id': 'img'}, **{
        'os-extended-volumes:volumes_attached': [{'id': 'v1'}, {'id': 'v2'}]}))
    assert server.image_id == 'img'
    assert server.attached_volume_ids == ['v1', 'v2']
    assert nova.Server(mock.Mock(image='')).image_id is None
    assert nova.Server(mock.Mock(tenant_id='p1')).project_id == 'p1'
    assert fake(cinder.Volume, **{'os-vol-tenant-attr:tenant_id': 'p2'}).project_id == 'p2'


def test_registry_holds_the_three_types_in_page_order():
    assert [t.resource_type for t in base.resource_types()] == [
        'OS::Cinder::Volume', 'OS::Manila::Share', 'OS::Nova::Server']
    assert [p.name for p in base.protection_plugins('OS::Cinder::Volume')] == [
        'volume_snapshot', 'volume_backup']
