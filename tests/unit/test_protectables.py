"""The protectable-resources pages: one list call per type, errors as banners."""

from unittest import mock

from django.urls import reverse
from openstack_dashboard.test import helpers

from protection_dashboard import api
from protection_dashboard.api import cinder, glance, manila, nova
from protection_dashboard.protection import protectables
from tests.unit.fakes import fake

INDEX_URL = reverse('horizon:project:protectables:index')
ADMIN_URL = reverse('horizon:admin:protection_protectables:index')


def volume(index, **attrs):
    defaults = {'id': 'vol-%d' % index, 'name': 'volume-%d' % index, 'size': 1,
                'status': 'available', 'attachments': [], 'description': '',
                'created_at': '2026-01-01T00:00:00'}
    defaults.update(attrs)
    return fake(cinder.Volume, **defaults)


def snapshot(index, volume_id, created_at):
    return fake(cinder.VolumeSnapshot, id='snap-%d' % index, name='s%d' % index,
                     volume_id=volume_id, created_at=created_at, status='available', size=1)


class PageMixin:

    @helpers.create_mocks({
        api.cinder: ['volume_list', 'volume_snapshot_list_paged', 'absolute_limits'],
        api.manila: ['share_list', 'share_snapshot_list'],
        api.nova: ['server_list'],
        api.glance: ['image_list'],
    })
    def _get(self, url, volumes=(), snapshots=(), limits=None):
        self.mock_volume_list.return_value = list(volumes)
        self.mock_volume_snapshot_list_paged.return_value = (list(snapshots), False)
        self.mock_absolute_limits.return_value = limits or {}
        self.mock_share_list.return_value = []
        self.mock_share_snapshot_list.return_value = []
        self.mock_server_list.return_value = []
        self.mock_image_list.return_value = []
        return self.client.get(url)


class ProtectablesViewTests(PageMixin, helpers.TestCase):

    def test_index_lists_volumes_with_newest_snapshot_and_one_call_per_type(self):
        volumes = [volume(i) for i in range(20)]
        snapshots = [snapshot(1, 'vol-3', '2026-02-01T00:00:00'),
                     snapshot(2, 'vol-3', '2026-03-01T00:00:00')]
        with mock.patch.object(api.base, 'is_service_enabled', return_value=True):
            response = self._get(INDEX_URL, volumes, snapshots)
        self.assertEqual(200, response.status_code)
        rows = response.context['volumes_table'].data
        self.assertEqual(20, len(rows))
        newest = {row.id: row.last_protected for row in rows}
        self.assertEqual('2026-03-01T00:00:00', newest['vol-3'])
        self.assertIsNone(newest['vol-4'])
        for mocked in (self.mock_volume_list, self.mock_volume_snapshot_list_paged,
                       self.mock_absolute_limits,
                       self.mock_share_list, self.mock_share_snapshot_list,
                       self.mock_server_list, self.mock_image_list):
            self.assertEqual(1, mocked.call_count)
        self.assertContains(response, 'volume-19')

    def test_snapshot_action_is_offered_per_volume_and_disabled_without_quota(self):
        with mock.patch.object(api.base, 'is_service_enabled', return_value=True):
            response = self._get(INDEX_URL, [volume(1)])
            self.assertContains(response, 'Create Snapshot')
            self.assertNotContains(response, 'Quota exceeded')
            response = self._get(INDEX_URL, [volume(1)], limits={
                'maxTotalSnapshots': 10, 'totalSnapshotsUsed': 10})
        self.assertContains(response, 'Create Snapshot (Quota exceeded)')

    def test_members_cannot_open_the_admin_page(self):
        response = self.client.get(ADMIN_URL)
        self.assertNotEqual(200, response.status_code)

    @helpers.create_mocks({api.cinder: ['volume_list', 'volume_snapshot_list_paged',
                                        'absolute_limits']})
    def test_backend_error_is_a_banner_not_a_500(self):
        self.mock_volume_list.side_effect = self.exceptions.cinder
        self.mock_volume_snapshot_list_paged.return_value = ([], False)
        self.mock_absolute_limits.return_value = {}
        with mock.patch.object(api.base, 'is_service_enabled',
                               side_effect=lambda request, service: service == 'cinder'):
            response = self.client.get(INDEX_URL)
        self.assertEqual(200, response.status_code)
        self.assertMessageCount(response, error=1)
        self.assertEqual([], response.context['volumes_table'].data)


class AdminProtectablesViewTests(PageMixin, helpers.BaseAdminViewTests):

    def test_admin_index_asks_for_all_projects(self):
        with mock.patch.object(api.base, 'is_service_enabled', return_value=True):
            response = self._get(ADMIN_URL, [volume(1)])
        self.assertEqual(200, response.status_code)
        self.mock_volume_list.assert_called_once_with(
            mock.ANY, search_opts={'all_tenants': True})
        # Clients add keys to search_opts (cinder: is_public): never share one dict.
        sent = [m.call_args.kwargs['search_opts'] for m in (
            self.mock_volume_list, self.mock_share_list, self.mock_server_list)]
        self.assertEqual(3, len({id(opts) for opts in sent}))


def test_newest_by_picks_latest_per_parent():
    points = [mock.Mock(volume_id='a', created_at='2026-01-02'),
              mock.Mock(volume_id='a', created_at='2026-01-03'),
              mock.Mock(volume_id='b', created_at='2026-01-01'),
              mock.Mock(volume_id=None, created_at='2026-01-05')]
    assert protectables.newest_by(points, 'volume_id') == {'a': '2026-01-03', 'b': '2026-01-01'}


def test_server_image_helpers():
    server = nova.Server(mock.Mock(image={'id': 'img'}, **{
        'os-extended-volumes:volumes_attached': [{'id': 'v1'}, {'id': 'v2'}]}))
    assert server.image_id == 'img'
    assert server.attached_volume_ids == ['v1', 'v2']
    assert nova.Server(mock.Mock(image='')).image_id is None
    assert nova.Server(mock.Mock(tenant_id='p1')).project_id == 'p1'
    assert fake(cinder.Volume, **{'os-vol-tenant-attr:tenant_id': 'p2'}).project_id == 'p2'
    assert manila.Share and glance.Image
