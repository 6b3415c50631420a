"""The Server Backups panel: its forms (from the schemas), views, table, policy, row poll."""

from unittest import mock

from django.template import defaultfilters
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from horizon.utils import filters
from openstack_dashboard.test import helpers

from protection_dashboard import api
from protection_dashboard.api.base import Page
from protection_dashboard.protection import base as protection_base
from tests.unit.fakecloud import FakeCloud
from tests.unit.test_volume_backups import BackupServiceMixin
from tests.unit.test_volume_snapshots import deny_rule

INDEX_URL = reverse('horizon:project:server_backups:index')
ADMIN_URL = reverse('horizon:admin:protection_server_backups:index')
PROTECTABLES_URL = reverse('horizon:project:protectables:index')
AJAX = {'HTTP_X_REQUESTED_WITH': 'XMLHttpRequest'}
PLUGIN = protection_base.get('server_backup')
ALL_SERVICES = mock.patch.object(api.base, 'is_service_enabled', return_value=True)
SNAPSHOT_OFF = override_settings(PROTECTION_DASHBOARD={'enable_server_snapshot': False})


def create_url(server_id):
    return reverse('horizon:project:server_backups:create', args=(server_id,))


def restore_url(backup_id):
    return reverse('horizon:project:server_backups:restore', args=(backup_id,))


class PanelTestMixin(BackupServiceMixin):
    """The fake cloud behind the service layer; every service in the catalog."""

    def setUp(self):
        super().setUp()
        self.cloud = FakeCloud.installed(self)
        self.image_server = self.cloud.image_server
        ALL_SERVICES.start()
        self.addCleanup(ALL_SERVICES.stop)

    def backup(self, server, **options):
        request = self.client.get(INDEX_URL).wsgi_request
        record = PLUGIN.protect(request, server.id, dict(
            {'name': 'nightly', 'enable_server_snapshot': True, 'backup_volumes': True},
            **options))
        self.cloud.settle()
        return record


class PanelTestCase(PanelTestMixin, helpers.TestCase):
    pass


class ProtectViewTests(PanelTestCase):
    """The form says what the backup of this server holds."""


    def test_image_booted_server_offers_user_data_checked_and_its_volumes(self):
        server = self.image_server(data_volumes=2)
        response = self.client.get(create_url(server.id))
        self.assertEqual(200, response.status_code)
        form = response.context['form']
        self.assertEqual(['name', 'description', 'enable_server_snapshot', 'backup_volumes',
                          'resource_id'], list(form.fields))
        self.assertTrue(form.fields['enable_server_snapshot'].initial)
        self.assertContains(response, 'Back up the 2 attached volumes')
        self.assertContains(response, 'the user data is NOT included')
        self.assertContains(response, 'Create Server Backup')

    def test_with_the_setting_off_the_form_says_user_data_is_not_included(self):
        server = self.image_server(data_volumes=0)
        with SNAPSHOT_OFF:
            response = self.client.get(create_url(server.id))
        self.assertNotIn('enable_server_snapshot', response.context['form'].fields)
        self.assertNotIn('backup_volumes', response.context['form'].fields)
        self.assertContains(response, 'User data is NOT included: this cloud backs up')

    def test_a_volume_booted_server_says_its_root_volume_is_backed_up(self):
        root = self.cloud.add_volume(name='root')
        server = self.cloud.add_server(volumes=[root])
        response = self.client.get(create_url(server.id))
        self.assertNotIn('enable_server_snapshot', response.context['form'].fields)
        self.assertNotIn('backup_volumes', response.context['form'].fields)
        self.assertContains(response, 'a Cinder backup of its root volume')

    def test_a_volume_booted_server_needs_a_backup_service(self):
        self.backup_service.return_value = False
        server = self.cloud.add_server(volumes=[self.cloud.add_volume(name='root')])
        response = self.client.post(create_url(server.id), {'resource_id': server.id,
                                                            'name': 'b'})
        self.assertContains(response, 'runs no volume backup service')
        self.assertEqual(0, self.cloud.calls['volume_backup_create'])

    def test_submit_creates_the_backup_and_lands_on_the_panel(self):
        server = self.image_server()
        response = self.client.post(create_url(server.id), {
            'resource_id': server.id, 'name': 'nightly', 'enable_server_snapshot': 'on',
            'backup_volumes': 'on'})
        self.assertNoFormErrors(response)
        self.assertRedirectsNoFollow(response, INDEX_URL)
        self.assertEqual((1, 1), (self.cloud.calls['server_create_image'],
                                  self.cloud.calls['volume_backup_create']))

    def test_bad_input_is_a_field_error_and_no_call(self):
        server = self.image_server()
        response = self.client.post(create_url(server.id), {'resource_id': server.id,
                                                            'name': 'x' * 256})
        self.assertIn('name', response.context['form'].errors)
        self.assertEqual(0, self.cloud.calls['image_create_record'])

    def test_a_failed_step_with_nothing_left_is_said_in_the_form(self):
        server = self.image_server()
        self.cloud.fail_on('server_create_image',
                           self.exceptions.nova.__class__(409, 'Instance is busy'))
        response = self.client.post(create_url(server.id), {
            'resource_id': server.id, 'name': 'nightly', 'enable_server_snapshot': 'on'})
        self.assertContains(response, 'Snapshotting the server failed: Instance is busy')
        self.assertEqual({'images': 1, 'backups': 0, 'volumes': 1, 'servers': 1},
                         self.cloud.left(), 'the record is gone: only the test image is left')

    def test_a_failed_step_with_backups_under_way_sends_to_the_panel(self):
        server = self.image_server(data_volumes=2)
        self.cloud.fail_on('volume_backup_create',
                           self.exceptions.cinder.__class__(413, 'Backup quota exceeded'), 1)
        response = self.client.post(create_url(server.id), {
            'resource_id': server.id, 'name': 'nightly', 'backup_volumes': 'on'})
        self.assertRedirectsNoFollow(response, INDEX_URL)
        self.assertMessageCount(error=1)

    def test_a_server_nova_would_refuse_is_refused_by_the_view_with_the_reason(self):
        server = self.image_server()
        server.__dict__['OS-EXT-STS:task_state'] = 'deleting'
        refusal = '"web" cannot be protected now (not while deleting).'
        with SNAPSHOT_OFF:  # its warning gives way to the refusal
            get = self.client.get(create_url(server.id))
        self.assertContains(get, refusal.replace('"', '&quot;'))
        self.assertEqual([refusal], get.context['form'].warnings)
        post = self.client.post(create_url(server.id), {
            'resource_id': server.id, 'name': 'nightly', 'enable_server_snapshot': 'on'})
        self.assertEqual([refusal], post.context['form'].non_field_errors())
        self.assertEqual((0, 0), (self.cloud.calls['image_create_record'],
                                  self.cloud.calls['server_create_image']))

    def test_the_volume_backup_quotas_are_shown_where_volumes_can_be_backed_up(self):
        self.cloud.backup_limits = {'maxTotalBackups': 5, 'maxTotalBackupGigabytes': 50}
        self.backup(self.image_server())
        response = self.client.get(create_url(self.image_server().id))
        self.assertContains(response, 'Volume Backup Limits')
        self.assertEqual([('Number of Backups', 1, 5), ('Backup Gibibytes', 1, 50)],
                         [(str(q.label), q.used, q.limit) for q in response.context['quotas']])
        self.assertContains(response, '1 of 5 Used')
        root = self.cloud.add_volume(name='root')
        response = self.client.get(create_url(self.cloud.add_server(volumes=[root]).id))
        self.assertEqual(2, len(response.context['quotas']), 'a root volume is backed up')

    def test_no_quotas_where_no_volume_is_backed_up(self):
        without_volumes = self.image_server(data_volumes=0)
        response = self.client.get(create_url(without_volumes.id))
        self.assertNotContains(response, 'Volume Backup Limits')
        self.assertNotContains(response, 'quota-dynamic')
        self.backup_service.return_value = False
        response = self.client.get(create_url(self.image_server().id))
        self.assertNotContains(response, 'Volume Backup Limits')
        self.assertEqual(0, self.cloud.calls['absolute_limits'])

    def test_policy_is_enforced_by_the_view(self):
        server = self.image_server()
        for rule in ('os_compute_api:servers:create_image', 'add_image'):
            with override_settings(POLICY_CHECK_FUNCTION=deny_rule(rule)):
                get = self.client.get(create_url(server.id))
                post = self.client.post(create_url(server.id), {'resource_id': server.id,
                                                                'name': 'n'})
            for response in (get, post):
                self.assertEqual(403, response.status_code, rule)
        self.assertEqual(0, self.cloud.calls['server_get'])
        self.assertEqual(0, self.cloud.calls['image_create_record'])


class IndexViewTests(PanelTestCase):


    def test_a_page_of_backups_costs_three_calls_whatever_it_holds(self):
        server = self.image_server()
        for _ in range(5):
            self.backup(server)
        self.cloud.calls.clear()
        response = self.client.get(INDEX_URL)
        self.assertEqual(200, response.status_code)
        rows = response.context['table'].data
        self.assertEqual(5, len(rows))
        self.assertEqual({'image_list_paged': 1, 'image_list_by_ids': 1,
                          'volume_backup_list': 1}, dict(self.cloud.calls))
        self.assertEqual(sorted(row.record.image_part.id for row in rows),
                         self.cloud.filters['image_list_by_ids'], "the page's images only")
        self.assertEqual(('available', 'web', 'server image + 1 volume backup'),
                         (rows[0].status, rows[0].server_name, rows[0].parts_summary()))
        self.assertContains(response, '1.0\xa0GB')

    def test_the_delete_confirmation_lists_every_part(self):
        self.backup(self.image_server())
        response = self.client.get(INDEX_URL)
        self.assertContains(response, 'data-display="nightly (server image; '
                                      'volume data-0 (/dev/vdb))"')
        self.assertContains(response, 'Every part listed is deleted with the server backup')

    def test_delete_goes_through_the_plugin_and_its_policy(self):
        record = self.backup(self.image_server())
        action = {'action': 'server_backups__delete__%s' % record.id}
        with override_settings(POLICY_CHECK_FUNCTION=deny_rule('delete_image')):
            self.client.post(INDEX_URL, action)
        self.assertEqual(0, self.cloud.calls['image_delete'])
        response = self.client.post(INDEX_URL, action)
        self.assertRedirectsNoFollow(response, INDEX_URL)
        self.assertEqual('deleting', self.cloud.images[record.id].protection_state)

    def test_the_row_poll_carries_on_and_drops_a_deleted_backup(self):
        record = self.backup(self.image_server())
        self.client.post(INDEX_URL, {'action': 'server_backups__delete__%s' % record.id})
        poll = {'action': 'row_update', 'table': 'server_backups', 'obj_id': record.id}
        response = self.client.get(INDEX_URL, poll, **AJAX)
        self.assertContains(response, 'Deleting')
        self.cloud.settle()
        response = self.client.get(INDEX_URL, poll, **AJAX)
        self.assertEqual(404, response.status_code)
        self.assertEqual({'images': 1, 'backups': 0, 'volumes': 1, 'servers': 1},
                         self.cloud.left())

    def test_actions_follow_the_status(self):
        record = self.backup(self.image_server())
        self.cloud.images[record.id].protection_state = 'creating'
        response = self.client.get(INDEX_URL)
        table = response.context['table']
        self.assertEqual([], [a.name for a in table.get_row_actions(table.data[0])])
        self.cloud.images[record.id].protection_state = 'ready'
        response = self.client.get(INDEX_URL)
        table = response.context['table']
        self.assertEqual(['restore', 'delete'],
                         [a.name for a in table.get_row_actions(table.data[0])])

    def test_a_failing_glance_is_a_banner(self):
        with mock.patch.object(api.glance, 'image_list_paged',
                               side_effect=self.exceptions.glance):
            response = self.client.get(INDEX_URL)
        self.assertEqual(200, response.status_code)
        self.assertMessageCount(response, error=1)

    def test_the_detail_page_lists_the_parts(self):
        record = self.backup(self.image_server())
        response = self.client.get(reverse('horizon:project:server_backups:detail',
                                           args=(record.id,)))
        self.assertContains(response, 'server_backup_parts')
        self.assertContains(response, 'volume data-0 (/dev/vdb)')
        self.assertContains(response, 'Included')
        self.assertContains(response, 'm1.tiny')
        # Glance's time ends in Z, which Horizon's parse_date cannot read ("None").
        created = timezone.localtime(filters.parse_isotime(record.created_at))
        self.assertContains(response, defaultfilters.date(created, 'DATETIME_FORMAT'))


class RestoreViewTests(PanelTestCase):


    def test_the_form_offers_flavors_networks_and_the_volumes(self):
        record = self.backup(self.image_server())
        response = self.client.get(restore_url(record.id))
        self.assertEqual(200, response.status_code)
        form = response.context['form']
        self.assertEqual('web-restored', form.initial['name'])
        self.assertEqual(['', 'flavor-1'], [value for value, _ in form.fields['flavor'].choices])
        self.assertEqual(['', 'net-1'], [value for value, _ in form.fields['network'].choices])
        self.assertContains(response, "The backup&#x27;s flavor (m1.tiny)")
        self.assertContains(response, "The backup&#x27;s networks (private)")
        self.assertContains(response, 'Restore the backed-up volume and attach it')

    def test_restore_starts_and_lands_on_the_panel(self):
        record = self.backup(self.image_server())
        response = self.client.post(restore_url(record.id), {
            'point_id': record.id, 'name': 'web2', 'flavor': '', 'network': '',
            'restore_volumes': 'on'})
        self.assertNoFormErrors(response)
        self.assertRedirectsNoFollow(response, INDEX_URL)
        self.assertEqual((1, 1), (self.cloud.calls['server_create'],
                                  self.cloud.calls['volume_backup_restore']))

    def test_a_flavor_not_offered_is_a_field_error_and_no_call(self):
        record = self.backup(self.image_server())
        response = self.client.post(restore_url(record.id), {
            'point_id': record.id, 'name': 'web2', 'flavor': 'm1.huge'})
        self.assertIn('flavor', response.context['form'].errors)
        self.assertEqual(0, self.cloud.calls['server_create'])

    def test_policy_is_enforced_by_the_view(self):
        record = self.backup(self.image_server())
        for rule in ('os_compute_api:servers:create',
                     'os_compute_api:os-volumes-attachments:create', 'backup:restore'):
            with override_settings(POLICY_CHECK_FUNCTION=deny_rule(rule)):
                response = self.client.post(restore_url(record.id), {
                    'point_id': record.id, 'name': 'web2'})
            self.assertEqual(403, response.status_code, rule)
        self.assertEqual(0, self.cloud.calls['server_create'])


class AdminIndexTests(PanelTestMixin, helpers.BaseAdminViewTests):


    def test_every_projects_backups_with_delete_only(self):
        record = self.backup(self.image_server())
        self.cloud.images[record.id].owner = 'other'
        response = self.client.get(ADMIN_URL)
        table = response.context['table']
        self.assertEqual([record.id], [row.id for row in table.data])
        self.assertContains(response, 'other')
        self.assertEqual(['delete'], [a.name for a in table.get_row_actions(table.data[0])])
        self.assertNotIn('owner', self.cloud.filters['image_list_paged'])


class ProtectablesTests(helpers.TestCase):
    """The registry puts "Back Up Server" on server rows; no Protectables code knows it."""

    @helpers.create_mocks({api.nova: ['server_list_paged'], api.glance: ['image_list'],
                           api.cinder: ['volume_list_paged', 'volume_snapshot_list',
                                        'absolute_limits'],
                           api.manila: ['share_list_paged', 'share_snapshot_list']})
    def test_server_rows_offer_back_up_server_and_count_server_backups(self):
        server = api.nova.Server(FakeCloud().add_server(image_id='img'))
        self.mock_server_list_paged.return_value = Page([server])
        record = FakeCloud().add_image(status='queued', protection_server_id=server.id,
                                       created_at='2026-03-01T10:00:00Z')
        self.mock_image_list.return_value = [api.glance.Image(record)]
        for name in ('volume_list_paged', 'share_list_paged'):
            getattr(self, 'mock_' + name).return_value = Page([])
        for name in ('volume_snapshot_list', 'share_snapshot_list'):
            getattr(self, 'mock_' + name).return_value = []
        self.mock_absolute_limits.return_value = {}
        with ALL_SERVICES:
            response = self.client.get(PROTECTABLES_URL)
        self.assertContains(response, create_url(server.id))
        self.assertContains(response, 'March 1, 2026')
        self.assertNotContains(response, 'Back Up Server (')
        filters = self.mock_image_list.call_args.kwargs['filters']
        self.assertEqual({'os_hidden': True, 'protection_server_backup': 'record',
                          'owner': self.tenant.id}, filters)

    @helpers.create_mocks({api.nova: ['server_list_paged'], api.glance: ['image_list']})
    def test_a_server_nova_would_refuse_shows_back_up_server_disabled_with_why(self):
        cloud = FakeCloud()
        deleting = cloud.add_server(image_id='img', name='going')
        deleting.__dict__['OS-EXT-STS:task_state'] = 'deleting'
        servers = [api.nova.Server(server) for server in (
            deleting, cloud.add_server(image_id='img', status='ERROR', name='broken'),
            cloud.add_server(image_id='img', status='SHUTOFF', name='off'))]
        self.mock_server_list_paged.return_value = Page(servers)
        self.mock_image_list.return_value = []
        with mock.patch.object(api.base, 'is_service_enabled',
                               side_effect=lambda request, service: service != 'cinder'
                               and service != 'manila'):
            response = self.client.get(PROTECTABLES_URL)
        table = response.context['servers_table']
        actions = {row.name: table.get_row_actions(row) for row in table.data}
        self.assertEqual({'going': ('Back Up Server (not while deleting)', True),
                          'broken': ('Back Up Server (not in status error)', True),
                          'off': ('Back Up Server', False)},
                         {name: (action.verbose_name, 'disabled' in action.classes)
                          for name, (action,) in actions.items()})
        self.assertContains(response, 'Back Up Server (not while deleting)')
        # A task under way keeps the row polling (as a status in progress), so the
        # action comes back by itself once Nova is done.
        rows = {row.datum.name: row for row in table.get_rows()}
        self.assertEqual({'going': None, 'broken': False, 'off': True},
                         {name: row.status for name, row in rows.items()})
        self.assertEqual('deleting', rows['going'].cells['task'].data)
