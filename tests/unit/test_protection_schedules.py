"""The Protection Schedules panels: the table, the create form, run now, delete, the
detail, the admin list, and the workflow service's policy in the views."""

import datetime
import json
import types
from unittest import mock

import yaml
from django.urls import reverse
from mistralclient.api import base as mistral_base
from openstack_dashboard.test import helpers

from protection_dashboard import api
from protection_dashboard.api import cinder, glance, mistral, nova
from protection_dashboard.api.base import Page
from protection_dashboard.content.protection_schedules import joins, tables
from protection_dashboard.protection import volume_backup
from protection_dashboard.schedules.retention import SCHEDULE_TAG
from tests.unit.fakes import fake, service_policy
from tests.unit.test_schedule_api import (
    FAILED_RUN_INFO,
    MISTRAL_ENDPOINT,
    ONE,
    TWO,
    execution,
    trigger,
)

INDEX_URL = reverse('horizon:project:protection_schedules:index')
VOLUMES = 'Volumes (OS::Cinder::Volume)'
SERVERS = 'Servers (OS::Nova::Server)'
CREATE_URL = reverse('horizon:project:protection_schedules:create')
PREVIEW_URL = reverse('horizon:project:protection_schedules:preview')
DETAIL_URL = reverse('horizon:project:protection_schedules:detail', args=(ONE,))
UPDATE_URL = reverse('horizon:project:protection_schedules:update', args=(ONE,))
ADMIN_URL = reverse('horizon:admin:protection_schedules:index')
#: Mistral's default rules, with creating and deleting made admin-only.
MEMBER_READS_ONLY = {
    'cron_triggers:list': 'role:member', 'workflows:list': 'role:member',
    'executions:list': 'role:member', 'cron_triggers:get': 'role:member',
    'workflows:create': 'role:admin', 'cron_triggers:create': 'role:admin',
    'cron_triggers:delete': 'role:admin', 'workflows:delete': 'role:admin',
    'executions:create': 'role:admin',
}


def make_schedule(schedule_id=ONE, last_run=None, **attrs):
    schedule = mistral.Schedule(_trigger(schedule_id, **attrs))
    schedule.last_run = last_run
    return schedule


def _trigger(schedule_id, **attrs):
    resource = mock.Mock()
    for key, value in trigger(schedule_id, **attrs).items():
        setattr(resource, key, value)
    return resource


def make_run(schedule_id, index, state='SUCCESS', state_info=None):
    return fake(mistral.Execution, **execution(schedule_id, index, state, state_info))


def make_server(server_id, name, image=None):
    """A server booted from ``image``, or from a volume (Nova's image is then '')."""
    return fake(nova.Server, id=server_id, name=name, status='ACTIVE',
                image={'id': image} if image else '', flavor={'original_name': 'm1.tiny'},
                tenant_id='1', **{'OS-EXT-STS:task_state': None,
                                  'os-extended-volumes:volumes_attached': []})


def make_volume(volume_id, name):
    return fake(cinder.Volume, id=volume_id, name=name, status='available',
                attachments=[], **{'os-vol-tenant-attr:tenant_id': '1'})


class SchedulesTestCase(helpers.TestCase):
    """Horizon's test user (a member), the workflow service in the catalog."""

    def setUp(self):
        super().setUp()
        self.service_catalog.append(MISTRAL_ENDPOINT)
        # Mistral without the dashboard's installed actions, unless a test says so.
        patcher = mock.patch.object(api.mistral, 'actions_installed', return_value=False)
        self.actions_installed = patcher.start()
        self.addCleanup(patcher.stop)
        # The project's servers, offered for server backups: one booted from an image.
        patcher = mock.patch.object(api.nova, 'server_list_paged', return_value=Page([
            make_server('srv-1', 'web', image='img-1'), make_server('srv-2', 'db')]))
        self.mock_server_list_paged = patcher.start()
        self.addCleanup(patcher.stop)


def make_point(point_id, schedule_id=None, **attrs):
    values = {'id': point_id, 'name': point_id, 'status': 'available',
              'created_at': '2026-12-01T02:30:00',
              'metadata': {SCHEDULE_TAG: schedule_id} if schedule_id else {}}
    values.update(attrs)
    return fake(cinder.VolumeSnapshot, **values)


class PointsListedMixin:
    """The project's volume snapshots: two of schedule ONE, one by hand, one of TWO's."""

    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(api.cinder, 'volume_snapshot_list', return_value=[
            make_point('s1', ONE), make_point('s2', ONE), make_point('s3'),
            make_point('s4', TWO)])
        self.mock_snapshot_list = patcher.start()
        self.addCleanup(patcher.stop)


class IndexTests(PointsListedMixin, SchedulesTestCase):

    @helpers.create_mocks({api.mistral: ['schedule_page'], api.cinder: ['volume_names']})
    def test_table_shows_pattern_preview_next_and_last_run_in_the_users_timezone(self):
        failed = make_run(ONE, 3, 'ERROR', 'Quota exceeded for snapshots')
        self.mock_schedule_page.return_value = Page([
            make_schedule(ONE, last_run=failed, name='nightly', resources=('vol-1', 'vol-2')),
            make_schedule(TWO, name='weekly')])
        self.mock_volume_names.return_value = {'vol-1': 'database', 'vol-2': 'logs'}
        self.client.cookies['django_timezone'] = 'Europe/Berlin'
        response = self.client.get(INDEX_URL)
        self.assertEqual(200, response.status_code)
        self.mock_schedule_page.assert_called_once_with(
            mock.ANY, marker=None, prev_marker=None, limit=20, all_projects=False)
        self.mock_snapshot_list.assert_called_once_with(mock.ANY, search_opts={}, limit=None)
        table = response.context['table']
        self.assertEqual({ONE: 2, TWO: 1},
                         {row.datum.id: row.datum.point_count for row in table.get_rows()})
        for text in ('nightly', 'weekly', 'database, logs', '30 2 * * * (Every day at 02:30 (UTC))',
                     'Volumes (OS::Cinder::Volume)',
                     # 02:30 UTC in December is 03:30 in Berlin.
                     'Dec. 4, 2026, 3:30 a.m. CET',
                     'Dec. 3, 2026, 3:30 a.m. CET: Quota exceeded for snapshots',
                     'Never run', 'Run Schedule Now', 'Create Schedule', UPDATE_URL,
                     reverse('horizon:project:protection_schedules:detail', args=(TWO,))):
            self.assertContains(response, text)

    @helpers.create_mocks({api.mistral: ['schedule_page'], api.manila: ['share_names',
                                                                       'share_snapshot_list']})
    def test_a_share_schedule_names_its_shares_and_counts_its_share_snapshots(self):
        shares = make_schedule(ONE, name='shares nightly', resources=('share-1',))
        shares.resource_type, shares.plugin = 'OS::Manila::Share', 'share_snapshot'
        self.mock_schedule_page.return_value = Page([shares])
        self.mock_share_names.return_value = {'share-1': 'home'}
        self.mock_share_snapshot_list.return_value = [make_point('m1', ONE)]
        response = self.client.get(INDEX_URL)
        self.assertContains(response, 'home')
        self.assertEqual([1], [row.datum.point_count
                               for row in response.context['table'].get_rows()])

    @helpers.create_mocks({api.mistral: ['schedule_page'], api.cinder: ['volume_names']})
    def test_only_a_row_whose_newest_run_is_under_way_polls(self):
        self.mock_schedule_page.return_value = Page([
            make_schedule(ONE, last_run=make_run(ONE, 1, 'RUNNING')),
            make_schedule(TWO), make_schedule('3' * 32, last_run=make_run('3' * 32, 1))])
        self.mock_volume_names.return_value = {}
        table = self.client.get(INDEX_URL).context['table']
        # Horizon's script polls the rows of class 'warning'.
        self.assertEqual({ONE: 'warning', TWO: 'status_up', '3' * 32: 'status_up'},
                         {row.datum.id: row.status_class for row in table.get_rows()})

    @helpers.create_mocks({api.mistral: ['schedule_page'], api.cinder: ['volume_names']})
    def test_the_page_links_the_pages_beside_it(self):
        self.mock_schedule_page.return_value = Page([make_schedule(TWO)],
                                                    next_marker='trigger-2222',
                                                    prev_marker='trigger-2223')
        self.mock_volume_names.return_value = {}
        response = self.client.get(INDEX_URL + '?marker=trigger-1111')
        self.mock_schedule_page.assert_called_once_with(
            mock.ANY, marker='trigger-1111', prev_marker=None, limit=20, all_projects=False)
        self.assertContains(response, '?marker=trigger-2222')
        self.assertContains(response, '?prev_marker=trigger-2223')

    @helpers.create_mocks({api.mistral: ['schedule_page']})
    def test_workflow_service_down_is_a_banner(self):
        self.mock_schedule_page.side_effect = mistral_base.APIException(503, 'down')
        response = self.client.get(INDEX_URL)
        self.assertEqual(200, response.status_code)
        self.assertMessageCount(response, error=1)

    def test_absent_without_the_workflow_service(self):
        self.service_catalog.remove(MISTRAL_ENDPOINT)
        response = self.client.get(INDEX_URL)
        self.assertEqual(403, response.status_code)
        elsewhere = self.client.get(reverse('horizon:settings:user:index'))
        self.assertNotContains(elsewhere, INDEX_URL)

    @helpers.create_mocks({api.mistral: ['schedule_page', 'schedule_run_now'],
                           api.cinder: ['volume_names']})
    def test_run_now_starts_a_run(self):
        self.mock_schedule_page.return_value = Page([make_schedule(ONE)])
        self.mock_volume_names.return_value = {}
        self.mock_schedule_run_now.return_value = make_run(ONE, 4, 'RUNNING')
        response = self.client.post(INDEX_URL, {'action': 'schedules__run_now__' + ONE})
        self.assertRedirectsNoFollow(response, INDEX_URL)
        self.mock_schedule_run_now.assert_called_once_with(mock.ANY, ONE)

    @helpers.create_mocks({api.mistral: ['schedule_page', 'schedule_run_now'],
                           api.cinder: ['volume_names']})
    def test_run_now_while_a_run_is_under_way_says_so(self):
        self.mock_schedule_page.return_value = Page([make_schedule(ONE)])
        self.mock_volume_names.return_value = {}
        self.mock_schedule_run_now.side_effect = mistral.RunUnderWay(ONE)
        response = self.client.post(INDEX_URL, {'action': 'schedules__run_now__' + ONE},
                                    follow=True)
        texts = [str(message) for message in response.context['messages']]
        self.assertEqual(['A run of this schedule is under way: run it again once that run '
                          'has ended.'], texts)

    @helpers.create_mocks({api.mistral: ['schedule_page', 'schedule_delete'],
                           api.cinder: ['volume_names']})
    def test_delete_says_the_points_stay_and_deletes_the_schedule(self):
        self.mock_schedule_page.return_value = Page([make_schedule(ONE)])
        self.mock_volume_names.return_value = {}
        page = self.client.get(INDEX_URL)
        self.assertContains(page, 'The protection points it made are kept')
        response = self.client.post(INDEX_URL, {'action': 'schedules__delete__' + ONE})
        self.assertRedirectsNoFollow(response, INDEX_URL)
        self.mock_schedule_delete.assert_called_once_with(mock.ANY, ONE)

    @helpers.create_mocks({api.mistral: ['schedule_page', 'schedule_get', 'schedule_delete'],
                           api.cinder: ['volume_names', 'volume_snapshot_delete']})
    def test_delete_with_points_deletes_only_the_schedules_own_finished_points(self):
        self.mock_schedule_page.return_value = Page([make_schedule(ONE)])
        self.mock_schedule_get.return_value = make_schedule(ONE)
        self.mock_volume_names.return_value = {}
        self.mock_snapshot_list.return_value.append(make_point('s5', ONE, status='creating'))
        page = self.client.get(INDEX_URL)
        self.assertContains(page, 'Points made by hand or by other schedules are not touched')
        response = self.client.post(INDEX_URL,
                                    {'action': 'schedules__delete_with_points__' + ONE})
        self.assertRedirectsNoFollow(response, INDEX_URL)
        self.mock_schedule_delete.assert_called_once_with(mock.ANY, ONE)
        self.assertEqual(['s1', 's2'], [c.args[1] for c in
                                        self.mock_volume_snapshot_delete.call_args_list])
        self.assertMessageCount(warning=1)

    @helpers.create_mocks({api.mistral: ['schedule_page', 'schedule_get', 'schedule_delete'],
                           api.cinder: ['volume_names', 'volume_snapshot_delete']})
    def test_delete_with_points_needs_the_points_delete_rule(self):
        self.mock_schedule_page.return_value = Page([make_schedule(ONE)])
        self.mock_schedule_get.return_value = make_schedule(ONE)
        self.mock_volume_names.return_value = {}
        with service_policy('volume', {'volume:delete_snapshot': 'role:admin',
                                       'volume:get_all_snapshots': 'role:member'}):
            page = self.client.get(INDEX_URL)
            self.client.post(INDEX_URL, {'action': 'schedules__delete_with_points__' + ONE})
        self.assertContains(page, 'Delete Schedule')
        self.assertNotContains(page, 'Delete Schedule and Its Points')
        self.mock_schedule_delete.assert_not_called()
        self.mock_volume_snapshot_delete.assert_not_called()

    @helpers.create_mocks({api.mistral: ['schedule_page', 'schedule_delete',
                                         'schedule_run_now'],
                           api.cinder: ['volume_names']})
    def test_buttons_and_actions_follow_the_workflow_policy(self):
        self.mock_schedule_page.return_value = Page([make_schedule(ONE)])
        self.mock_volume_names.return_value = {}
        with service_policy('workflow', MEMBER_READS_ONLY):
            page = self.client.get(INDEX_URL)
            self.client.post(INDEX_URL, {'action': 'schedules__delete__' + ONE})
            self.client.post(INDEX_URL, {'action': 'schedules__run_now__' + ONE})
        self.assertEqual(200, page.status_code)
        for text in ('Delete Schedule', 'Run Schedule Now', CREATE_URL, UPDATE_URL):
            self.assertNotContains(page, text)
        self.mock_schedule_delete.assert_not_called()
        self.mock_schedule_run_now.assert_not_called()

    @helpers.create_mocks({api.mistral: ['schedule_get', 'runs_of']})
    def test_row_update_shows_the_newest_run(self):
        self.mock_schedule_get.return_value = make_schedule(ONE, name='nightly')
        self.mock_runs_of.return_value = [make_run(ONE, 4, 'RUNNING')]
        response = self.client.get(INDEX_URL, {'action': 'row_update', 'table': 'schedules',
                                               'obj_id': ONE},
                                   HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertEqual(200, response.status_code)
        self.assertContains(response, 'Running')
        self.mock_runs_of.assert_called_once_with(
            mock.ANY, self.mock_schedule_get.return_value, limit=1, all_projects=False)
        self.mock_schedule_get.assert_called_once_with(mock.ANY, ONE)


class CreateTests(SchedulesTestCase):

    def valid(self, **changes):
        data = {'schedule_name': 'nightly <% $ %>', 'resource_type': 'OS::Cinder::Volume',
                'resources': ['vol-1', 'vol-2'], 'plugin': 'volume_snapshot',
                'cron_pattern': '30 2 * * *', 'keep_newest': '3'}
        data.update(changes)
        return data

    def _mock_volumes(self):
        self.mock_volume_list_paged.return_value = Page(
            [make_volume('vol-1', 'database'), make_volume('vol-2', 'logs')])

    @helpers.create_mocks({api.cinder: ['volume_list_paged']})
    def test_form_offers_the_projects_volumes_and_previews_the_pattern(self):
        self._mock_volumes()
        self.client.cookies['django_timezone'] = 'Europe/Berlin'
        with mock.patch('django.utils.timezone.now', return_value=datetime.datetime(
                2026, 12, 3, 12, 0, tzinfo=datetime.UTC)):
            response = self.client.get(CREATE_URL)
        self.assertEqual(200, response.status_code)
        form = response.context['form']
        # A group per resource type, named as the type's choice (the form's script shows
        # only the chosen type's resources and protections).
        self.assertEqual([(VOLUMES, [('vol-1', 'database'), ('vol-2', 'logs')]),
                          (SERVERS, [('srv-1', 'web'), ('srv-2', 'db')])],
                         list(form.fields['resources'].choices))
        self.assertEqual([(VOLUMES, [('volume_snapshot', 'Volume Snapshot')]),
                          (SERVERS, [('server_backup', 'Server Backup')])],
                         list(form.fields['plugin'].choices))
        self.assertEqual([VOLUMES, SERVERS],
                         [label for _name, label in form.fields['resource_type'].choices])
        self.assertContains(response, 'schedule_form.js')
        for absent in ('keep_daily', 'keep_weekly', 'keep_monthly'):
            self.assertNotIn(absent, form.fields)
        self.mock_volume_list_paged.assert_called_once_with(
            mock.ANY, search_opts={}, marker=None, prev_marker=None, limit=1000)
        for text in ('Every day at 02:30 (UTC)', 'Dec. 4, 2026, 3:30 a.m. CET',
                     'Dec. 5, 2026, 3:30 a.m. CET', 'Dec. 6, 2026, 3:30 a.m. CET'):
            self.assertContains(response, text)

    @helpers.create_mocks({api.cinder: ['volume_list_paged'], api.mistral: ['schedule_create']})
    def test_invalid_pattern_is_a_field_error_and_no_call(self):
        self._mock_volumes()
        response = self.client.post(CREATE_URL, self.valid(cron_pattern='30 25 * * *'))
        self.assertFormErrors(response, 1)
        self.assertIn('The hour field “25” is not valid',
                      str(response.context['form'].errors['cron_pattern']))
        self.mock_schedule_create.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_list_paged'], api.mistral: ['schedule_create']})
    def test_invalid_retention_is_a_field_error_and_no_call(self):
        self._mock_volumes()
        for keep in ('0', '101', 'x'):
            response = self.client.post(CREATE_URL, self.valid(keep_newest=keep))
            self.assertFormErrors(response, 1)
            self.assertIn('keep_newest', response.context['form'].errors)
        self.mock_schedule_create.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_list_paged'], api.mistral: ['schedule_create']})
    def test_a_refused_form_previews_the_posted_pattern(self):
        self._mock_volumes()
        response = self.client.post(CREATE_URL, self.valid(cron_pattern='15 4 * * 1',
                                                           keep_newest='0'))
        self.assertIn('keep_newest', response.context['form'].errors)
        self.assertContains(response, '15 4 * * 1')
        self.assertEqual('15 4 * * 1', response.context['preview']['pattern'])
        self.mock_schedule_create.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_list_paged'], api.mistral: ['schedule_create']})
    def test_a_resource_not_offered_is_refused_without_a_call(self):
        self._mock_volumes()
        response = self.client.post(CREATE_URL, self.valid(resources=['vol-9']))
        self.assertIn('resources', response.context['form'].errors)
        self.mock_schedule_create.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_list_paged'],
                           api.mistral: ['schedule_create', 'new_schedule_id']})
    def test_valid_post_creates_the_workflow_and_trigger_from_the_schedule(self):
        self._mock_volumes()
        self.mock_new_schedule_id.return_value = ONE
        self.mock_schedule_create.return_value = make_schedule(ONE, name='nightly <% $ %>')
        response = self.client.post(CREATE_URL, self.valid())
        self.assertNoFormErrors(response)
        self.assertRedirectsNoFollow(response, INDEX_URL)
        (_request, schedule_id, definition, pattern, workflow_input), _kw = \
            self.mock_schedule_create.call_args
        self.assertEqual((ONE, '30 2 * * *'), (schedule_id, pattern))
        document = yaml.safe_load(definition)
        self.assertIn('.len() < 3)', document['pd_schedule_' + ONE]['tasks']['list_points'][
            'publish']['expired'])
        # The user's text is input only, never in the definition.
        self.assertNotIn('nightly', definition)
        self.assertEqual(['vol-1', 'vol-2'], workflow_input['resources'])
        self.assertEqual('nightly <% $ %>', workflow_input['name'])
        self.assertEqual({'name': 'nightly <% $ %>', 'resource_type': 'OS::Cinder::Volume',
                          'plugin': 'volume_snapshot', 'keep_newest': 3},
                         workflow_input['schedule'])

    @helpers.create_mocks({api.cinder: ['volume_list_paged'],
                           api.mistral: ['schedule_create', 'new_schedule_id']})
    def test_periods_are_offered_and_counted_in_the_users_timezone_with_the_action(self):
        self._mock_volumes()
        self.actions_installed.return_value = True
        self.mock_new_schedule_id.return_value = ONE
        self.mock_schedule_create.return_value = make_schedule(ONE)
        self.client.cookies['django_timezone'] = 'Europe/Berlin'
        form = self.client.get(CREATE_URL).context['form']
        for name in ('keep_daily', 'keep_weekly', 'keep_monthly'):
            self.assertIn(name, form.fields)
        self.actions_installed.assert_any_call(mock.ANY, ['protection_dashboard.retention_expired'])
        response = self.client.post(CREATE_URL, self.valid(keep_daily='7', keep_weekly='0',
                                                           keep_monthly='3'))
        self.assertNoFormErrors(response)
        (_request, _id, definition, _pattern, workflow_input), _kw = \
            self.mock_schedule_create.call_args
        selection = yaml.safe_load(definition)['pd_schedule_' + ONE]['tasks']['select_expired']
        self.assertEqual((3, 7, 0, 3, 'Europe/Berlin'), tuple(selection['input'][key] for key in (
            'keep_newest', 'daily', 'weekly', 'monthly', 'timezone')))
        self.assertEqual({'keep_daily': 7, 'keep_weekly': 0, 'keep_monthly': 3,
                          'timezone': 'Europe/Berlin'},
                         {key: workflow_input['schedule'][key] for key in (
                             'keep_daily', 'keep_weekly', 'keep_monthly', 'timezone')})

    @helpers.create_mocks({api.cinder: ['volume_list_paged'],
                           api.mistral: ['schedule_create', 'new_schedule_id']})
    def test_a_server_backup_schedule_of_an_image_booted_server(self):
        self._mock_volumes()
        self.mock_new_schedule_id.return_value = ONE
        self.mock_schedule_create.return_value = make_schedule(ONE)
        response = self.client.post(CREATE_URL, self.valid(
            resource_type='OS::Nova::Server', resources=['srv-1'], plugin='server_backup'))
        self.assertNoFormErrors(response)
        (_request, _id, definition, _pattern, workflow_input), _kw = \
            self.mock_schedule_create.call_args
        tasks = yaml.safe_load(definition)['pd_schedule_' + ONE]['tasks']
        self.assertEqual('nova.servers_create_image', tasks['create_images']['action'])
        for text in ('nightly', 'web', 'srv-1'):
            self.assertNotIn(text, definition)
        self.assertEqual((['srv-1'], 'nightly <% $ %>'),
                         (workflow_input['resources'], workflow_input['name']))

    @helpers.create_mocks({api.cinder: ['volume_list_paged'],
                           api.mistral: ['schedule_create', 'new_schedule_id']})
    def test_a_server_booted_from_a_volume_is_scheduled_beside_an_image_booted_one(self):
        self._mock_volumes()
        self.mock_new_schedule_id.return_value = ONE
        self.mock_schedule_create.return_value = make_schedule(ONE)
        response = self.client.post(CREATE_URL, self.valid(
            resource_type='OS::Nova::Server', resources=['srv-1', 'srv-2'],
            plugin='server_backup'))
        self.assertNoFormErrors(response)
        (_request, _id, definition, _pattern, workflow_input), _kw = \
            self.mock_schedule_create.call_args
        tasks = yaml.safe_load(definition)['pd_schedule_' + ONE]['tasks']
        self.assertEqual('cinder.backups_create', tasks['create_backups']['action'])
        self.assertEqual(['srv-1', 'srv-2'], workflow_input['resources'])

    @helpers.create_mocks({api.cinder: ['volume_list_paged']})
    def test_server_backups_are_scheduled_where_server_snapshots_are_off(self):
        """A run records the original image of an image-booted server then
        (``ServerBackupPlugin.schedule_options``)."""
        self._mock_volumes()
        with self.settings(PROTECTION_DASHBOARD={'enable_server_snapshot': False}):
            form = self.client.get(CREATE_URL).context['form']
        self.assertEqual([(VOLUMES, [('volume_snapshot', 'Volume Snapshot')]),
                          (SERVERS, [('server_backup', 'Server Backup')])],
                         list(form.fields['plugin'].choices))
        self.assertNotIn('server_backup__enable_server_snapshot', form.fields)
        self.assertIn('server_backup__backup_volumes', form.fields)

    @helpers.create_mocks({api.cinder: ['volume_list_paged'],
                           api.mistral: ['schedule_create', 'new_schedule_id']})
    def test_a_server_backup_schedules_options_reach_each_run(self):
        self._mock_volumes()
        self.mock_new_schedule_id.return_value = ONE
        self.mock_schedule_create.return_value = make_schedule(ONE)
        form = self.client.get(CREATE_URL).context['form']
        self.assertEqual((True, False), (
            form.fields['server_backup__enable_server_snapshot'].initial,
            form.fields['server_backup__backup_volumes'].initial))
        server = self.valid(resource_type='OS::Nova::Server', resources=['srv-1'],
                            plugin='server_backup')
        # A checkbox not ticked is not posted.
        self.client.post(CREATE_URL, dict(server, server_backup__backup_volumes='on'))
        self.assertEqual((False, True), tuple(
            self.mock_schedule_create.call_args[0][4][option]
            for option in ('enable_server_snapshot', 'backup_volumes')))
        with self.settings(PROTECTION_DASHBOARD={'enable_server_snapshot': False}):
            self.client.post(CREATE_URL, dict(server, server_backup__enable_server_snapshot='on'))
        self.assertEqual((None, False), tuple(
            self.mock_schedule_create.call_args[0][4][option]
            for option in ('enable_server_snapshot', 'backup_volumes')))

    def _offer_backups(self):
        """Volume backups offered: the cloud has a backup service."""
        patcher = mock.patch.object(volume_backup, 'backup_service', return_value=True)
        patcher.start()
        self.addCleanup(patcher.stop)

    @helpers.create_mocks({api.cinder: ['volume_list_paged'],
                           api.mistral: ['schedule_create', 'new_schedule_id']})
    def test_a_protections_options_show_with_it_and_reach_each_run(self):
        self._mock_volumes()
        self._offer_backups()
        self.mock_new_schedule_id.return_value = ONE
        self.mock_schedule_create.return_value = make_schedule(ONE)
        form = self.client.get(CREATE_URL).context['form']
        names = list(form.fields)
        # The backup's container, after the protection, shown while backups are chosen;
        # never the point's name or description (the schedule's).
        between = names[names.index('plugin') + 1:names.index('cron_pattern')]
        # the protections' order, each one's options in its schema's order
        self.assertEqual(['server_backup__enable_server_snapshot',
                          'server_backup__backup_volumes', 'volume_backup__container'], between)
        self.assertFalse({'volume_backup__name', 'volume_backup__description',
                          'volume_snapshot__force'} & set(names))
        attrs = form.fields['volume_backup__container'].widget.attrs
        self.assertEqual(('plugin', 'Container Name'), (
            attrs['data-switch-on'], attrs['data-plugin-volume_backup']))
        self.assertIn('switched', attrs['class'].split())
        self.assertIn('switchable', form.fields['plugin'].widget.attrs['class'].split())
        response = self.client.post(CREATE_URL, self.valid(
            plugin='volume_backup', volume_backup__container='nightly.2'))
        self.assertNoFormErrors(response)
        (_request, _id, definition, _pattern, workflow_input), _kw = \
            self.mock_schedule_create.call_args
        protect = yaml.safe_load(definition)['pd_schedule_' + ONE]['tasks']['protect']
        self.assertEqual(('<% $.container %>', True),
                         (protect['input']['container'], protect['input']['force']))
        self.assertEqual('nightly.2', workflow_input['container'])
        self.assertNotIn('nightly.2', definition)

    @helpers.create_mocks({api.cinder: ['volume_list_paged'], api.mistral: ['schedule_create']})
    def test_an_option_its_schema_refuses_is_a_field_error_and_no_call(self):
        self._mock_volumes()
        self._offer_backups()
        for container in ('../etc', '.hidden', 'a/b', 'x' * 256, 'bad\x07'):
            response = self.client.post(CREATE_URL, self.valid(
                plugin='volume_backup', volume_backup__container=container))
            self.assertEqual(['volume_backup__container'],
                             list(response.context['form'].errors), container)
        self.mock_schedule_create.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_list_paged'],
                           api.mistral: ['schedule_create', 'new_schedule_id']})
    def test_the_options_of_a_protection_not_chosen_are_ignored(self):
        self._mock_volumes()
        self._offer_backups()
        self.mock_new_schedule_id.return_value = ONE
        self.mock_schedule_create.return_value = make_schedule(ONE)
        response = self.client.post(CREATE_URL, self.valid(volume_backup__container='../etc'))
        self.assertNoFormErrors(response)
        (_request, _id, _definition, _pattern, workflow_input), _kw = \
            self.mock_schedule_create.call_args
        self.assertNotIn('container', workflow_input)

    @helpers.create_mocks({api.cinder: ['volume_list_paged'],
                           api.mistral: ['schedule_create', 'new_schedule_id']})
    def test_an_empty_option_reaches_the_run_as_null(self):
        self._mock_volumes()
        self._offer_backups()
        self.mock_new_schedule_id.return_value = ONE
        self.mock_schedule_create.return_value = make_schedule(ONE)
        response = self.client.post(CREATE_URL, self.valid(plugin='volume_backup',
                                                           volume_backup__container=''))
        self.assertNoFormErrors(response)
        self.assertIsNone(self.mock_schedule_create.call_args[0][4]['container'])

    @helpers.create_mocks({api.cinder: ['volume_list_paged']})
    def test_a_failing_action_lookup_is_a_banner_and_offers_no_periods(self):
        self._mock_volumes()
        self.actions_installed.side_effect = mistral_base.APIException(503, 'down')
        response = self.client.get(CREATE_URL)
        self.assertEqual(200, response.status_code)
        self.assertNotIn('keep_daily', response.context['form'].fields)
        self.assertMessageCount(response, error=1)

    @helpers.create_mocks({api.cinder: ['volume_list_paged'], api.mistral: ['schedule_create']})
    def test_the_services_refusal_is_shown_in_the_form(self):
        self._mock_volumes()
        self.mock_schedule_create.side_effect = mistral_base.APIException(
            400, 'Invalid cron trigger pattern')
        response = self.client.post(CREATE_URL, self.valid())
        self.assertEqual(200, response.status_code)
        self.assertContains(response, 'Invalid cron trigger pattern')

    @helpers.create_mocks({api.cinder: ['volume_list_paged'], api.mistral: ['schedule_create']})
    def test_create_needs_the_workflow_rules(self):
        with service_policy('workflow', MEMBER_READS_ONLY):
            get = self.client.get(CREATE_URL)
            post = self.client.post(CREATE_URL, self.valid())
        for response in (get, post):
            self.assertEqual(403, response.status_code)
        self.mock_volume_list_paged.assert_not_called()
        self.mock_schedule_create.assert_not_called()


class UpdateTests(SchedulesTestCase):
    """Edit: the form filled from the trigger; type and protection stay."""

    def setUp(self):
        super().setUp()
        self.schedule = make_schedule(ONE, name='nightly', resources=['vol-1', 'vol-gone'])

    def valid(self, **changes):
        data = {'schedule_name': 'hourly', 'resource_type': 'OS::Manila::Share',
                'resources': ['vol-2'], 'plugin': 'share_snapshot',
                'cron_pattern': '0 * * * *', 'keep_newest': '5'}
        data.update(changes)
        return data

    def _mock(self):
        self.mock_schedule_get.return_value = self.schedule
        self.mock_volume_list_paged.return_value = Page(
            [make_volume('vol-1', 'database'), make_volume('vol-2', 'logs')])

    @helpers.create_mocks({api.cinder: ['volume_list_paged'], api.mistral: ['schedule_get']})
    def test_form_is_filled_from_the_schedule_and_says_what_is_gone(self):
        self._mock()
        response = self.client.get(UPDATE_URL)
        self.assertEqual(200, response.status_code)
        form = response.context['form']
        self.assertEqual(('nightly', ['vol-1', 'vol-gone'], '30 2 * * *', 3),
                         tuple(form.initial[name] for name in (
                             'schedule_name', 'resources', 'cron_pattern', 'keep_newest')))
        self.assertTrue(form.fields['plugin'].disabled)
        self.assertTrue(form.fields['resource_type'].disabled)
        self.assertContains(response, 'dropped when you save: vol-gone')
        self.assertContains(response, 'Every day at 02:30 (UTC)')
        self.assertContains(response, 'action="%s"' % UPDATE_URL)
        self.mock_volume_list_paged.assert_called_once()

    @helpers.create_mocks({api.cinder: ['volume_list_paged'],
                           api.mistral: ['schedule_get', 'schedule_update']})
    def test_save_updates_the_same_schedule_and_keeps_type_and_protection(self):
        self._mock()
        self.mock_schedule_update.return_value = make_schedule(ONE, name='hourly')
        response = self.client.post(UPDATE_URL, self.valid())
        self.assertNoFormErrors(response)
        self.assertRedirectsNoFollow(response, INDEX_URL)
        (_request, schedule_id, definition, pattern, workflow_input), _kw = \
            self.mock_schedule_update.call_args
        self.assertEqual((ONE, '0 * * * *'), (schedule_id, pattern))
        self.assertIn('.len() < 5)', definition)
        self.assertIn('cinder.volume_snapshots_create', definition)
        self.assertEqual(['vol-2'], workflow_input['resources'])
        self.assertEqual({'name': 'hourly', 'resource_type': 'OS::Cinder::Volume',
                          'plugin': 'volume_snapshot', 'keep_newest': 5},
                         workflow_input['schedule'])

    @helpers.create_mocks({api.cinder: ['volume_list_paged'],
                           api.mistral: ['schedule_get', 'schedule_update']})
    def test_a_schedules_options_fill_the_form_and_are_saved(self):
        self._mock()
        self.schedule = make_schedule(ONE, workflow_input=json.dumps({
            'resources': ['vol-1'], 'name': 'nightly', 'description': None,
            'container': 'nightly.2', 'schedule': {
                'name': 'nightly', 'resource_type': 'OS::Cinder::Volume',
                'plugin': 'volume_backup', 'keep_newest': 3}}))
        self.mock_schedule_get.return_value = self.schedule
        self.mock_schedule_update.return_value = self.schedule
        with mock.patch.object(volume_backup, 'backup_service', return_value=True):
            form = self.client.get(UPDATE_URL).context['form']
            self.assertEqual('nightly.2', form.initial['volume_backup__container'])
            response = self.client.post(UPDATE_URL, self.valid(
                resource_type='OS::Cinder::Volume', plugin='volume_backup',
                volume_backup__container='weekly'))
        self.assertNoFormErrors(response)
        self.assertEqual('weekly', self.mock_schedule_update.call_args[0][4]['container'])

    @helpers.create_mocks({api.cinder: ['volume_list_paged'],
                           api.mistral: ['schedule_get', 'schedule_update']})
    def test_invalid_input_is_a_field_error_and_no_call(self):
        self._mock()
        for field, value in (('cron_pattern', '61 * * * *'), ('keep_newest', '0'),
                             ('resources', ['vol-gone'])):
            response = self.client.post(UPDATE_URL, self.valid(**{field: value}))
            self.assertIn(field, response.context['form'].errors)
        self.mock_schedule_update.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_list_paged'],
                           api.mistral: ['schedule_get', 'schedule_update']})
    def test_a_lost_schedule_is_said_in_the_form(self):
        self._mock()
        self.mock_schedule_update.side_effect = mistral.ScheduleLost(ONE)
        response = self.client.post(UPDATE_URL, self.valid())
        self.assertEqual(200, response.status_code)
        self.assertContains(response, 'the schedule no longer runs')

    @helpers.create_mocks({api.cinder: ['volume_list_paged'],
                           api.mistral: ['schedule_get', 'schedule_update']})
    def test_update_needs_the_workflow_rules(self):
        with service_policy('workflow', MEMBER_READS_ONLY):
            get = self.client.get(UPDATE_URL)
            post = self.client.post(UPDATE_URL, self.valid())
        for response in (get, post):
            self.assertEqual(403, response.status_code)
        self.mock_schedule_get.assert_not_called()
        self.mock_schedule_update.assert_not_called()

    @helpers.create_mocks({api.mistral: ['schedule_get']})
    def test_a_schedule_not_read_goes_back_to_the_list(self):
        self.mock_schedule_get.side_effect = mistral_base.APIException(404, 'not found')
        response = self.client.get(UPDATE_URL)
        self.assertRedirectsNoFollow(response, INDEX_URL)


class PreviewTests(SchedulesTestCase):
    """The create form's live preview (JSON), computed without a service call."""

    NOW = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.UTC)

    @helpers.create_mocks({api.mistral: ['mistralclient']})
    def test_a_valid_pattern_in_words_and_its_next_runs_in_the_users_timezone(self):
        self.client.cookies['django_timezone'] = 'America/New_York'
        with mock.patch('django.utils.timezone.now', return_value=self.NOW):
            answer = self.client.get(PREVIEW_URL, {'pattern': '0 */6 * * 1-5'}).json()
        self.assertEqual('Every 6 hours at minute 0, on Monday to Friday (UTC)',
                         answer['description'])
        # 18:00 UTC on Thursday 3 December is 13:00 in New York.
        self.assertEqual(['Dec. 3, 2026, 1 p.m. EST', 'Dec. 3, 2026, 7 p.m. EST',
                          'Dec. 4, 2026, 1 a.m. EST'], answer['runs'])
        self.mock_mistralclient.assert_not_called()

    def test_an_invalid_pattern_says_which_field(self):
        answer = self.client.get(PREVIEW_URL, {'pattern': '0 0 * 13 *'}).json()
        self.assertEqual(['error'], list(answer))
        self.assertIn('The month field “13” is not valid', answer['error'])
        answer = self.client.get(PREVIEW_URL, {'pattern': '* ' * 5000}).json()
        self.assertIn('error', answer)

    def test_the_preview_needs_the_create_rules(self):
        with service_policy('workflow', MEMBER_READS_ONLY):
            response = self.client.get(PREVIEW_URL, {'pattern': '* * * * *'})
        self.assertEqual(403, response.status_code)

    @helpers.create_mocks({api.cinder: ['volume_list_paged']})
    def test_the_form_asks_the_preview(self):
        self.mock_volume_list_paged.return_value = Page([])
        response = self.client.get(CREATE_URL)
        self.assertContains(response, 'data-preview-url="%s"' % PREVIEW_URL)
        self.assertContains(response, 'protection_dashboard/js/schedule_preview.js')


class DetailTests(SchedulesTestCase):

    @helpers.create_mocks({api.mistral: ['schedule_get', 'runs_of'],
                           api.cinder: ['volume_names', 'volume_snapshot_list']})
    def test_detail_shows_runs_with_errors_and_the_schedules_points(self):
        schedule = make_schedule(ONE, name='nightly')
        schedule.keep_periods = {'daily': 7, 'weekly': 0, 'monthly': 1}
        schedule.timezone = 'Europe/Berlin'
        self.mock_schedule_get.return_value = schedule
        self.mock_runs_of.return_value = [
            make_run(ONE, 2, 'ERROR', FAILED_RUN_INFO), make_run(ONE, 1)]
        self.mock_volume_names.return_value = {'vol-1': 'database'}
        self.mock_volume_snapshot_list.return_value = [
            fake(cinder.VolumeSnapshot, id='s-own', name='made-by-schedule', status='available',
                 created_at='2026-12-01T02:30:00', metadata={SCHEDULE_TAG: ONE}),
            fake(cinder.VolumeSnapshot, id='s-hand', name='made-by-hand', status='available',
                 created_at='2026-12-01T03:00:00', metadata={}),
            fake(cinder.VolumeSnapshot, id='s-other', name='other-schedule',
                 status='available', created_at='2026-12-01T04:00:00',
                 metadata={SCHEDULE_TAG: TWO})]
        response = self.client.get(DETAIL_URL)
        self.assertEqual(200, response.status_code)
        for text in ('nightly', 'database', 'Volume vol-9 could not be found. (HTTP 404)',
                     'Success', 'Volume Snapshot',
                     'made-by-schedule',
                     'the newest 3 points, and the first point of each of the last 7 days, '
                     '1 month (Europe/Berlin)'):
            self.assertContains(response, text)
        for text in ('made-by-hand', 'other-schedule', 'mistral_lib', 'Request-ID'):
            self.assertNotContains(response, text)

    def test_the_protection_is_shown_with_the_options_the_schedule_gives_it(self):
        def backup_schedule(**options):
            return make_schedule(ONE, workflow_input=json.dumps({
                'resources': ['vol-1'], 'name': 'n', 'description': 'd', **options,
                'schedule': {'name': 'n', 'resource_type': 'OS::Cinder::Volume',
                             'plugin': 'volume_backup', 'keep_newest': 3}}))

        self.assertEqual('Volume Backup (Container Name: nightly.2)',
                         tables.protection_text(backup_schedule(container='nightly.2')))
        for unset in ({'container': None}, {'container': ''}, {}):
            self.assertEqual('Volume Backup', tables.protection_text(backup_schedule(**unset)))
        self.assertEqual('Volume Snapshot', tables.protection_text(make_schedule(ONE)))

    @helpers.create_mocks({api.mistral: ['schedule_get', 'runs_of'],
                           api.cinder: ['volume_names', 'volume_snapshot_list']})
    def test_a_run_under_way_polls_until_it_ends(self):
        self.mock_schedule_get.return_value = make_schedule(ONE, name='nightly')
        self.mock_runs_of.return_value = [make_run(ONE, 2, 'RUNNING'), make_run(ONE, 1)]
        self.mock_volume_names.return_value = {}
        self.mock_volume_snapshot_list.return_value = []
        runs = self.client.get(DETAIL_URL).context['table']
        self.assertEqual([True, False], [row.ajax and row.status is None
                                         for row in runs.get_rows()])
        with mock.patch.object(api.mistral, 'mistralclient') as client:
            client.return_value.executions.get.return_value = mock.Mock(
                **execution(ONE, 2, 'ERROR', FAILED_RUN_INFO))
            response = self.client.get(DETAIL_URL, {
                'action': 'row_update', 'table': 'runs', 'obj_id': 'ex-2'},
                HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertEqual(200, response.status_code)
        self.assertContains(response, 'Volume vol-9 could not be found. (HTTP 404)')
        client.return_value.executions.get.assert_called_once_with('ex-2')

    @helpers.create_mocks({api.mistral: ['mistralclient']})
    def test_a_malformed_id_goes_back_to_the_list_without_a_call(self):
        response = self.client.get(reverse('horizon:project:protection_schedules:detail',
                                           args=('nope',)))
        self.assertRedirectsNoFollow(response, INDEX_URL)
        self.mock_mistralclient.assert_not_called()


class AdminTests(PointsListedMixin, SchedulesTestCase, helpers.BaseAdminViewTests):

    @helpers.create_mocks({api.mistral: ['schedule_page', 'schedule_delete']})
    def test_every_projects_schedules_listed_with_delete_only(self):
        self.mock_schedule_page.return_value = Page([
            make_schedule(ONE, name='theirs', project_id='other-project')])
        response = self.client.get(ADMIN_URL)
        self.assertEqual(200, response.status_code)
        self.mock_schedule_page.assert_called_once_with(
            mock.ANY, marker=None, prev_marker=None, limit=20, all_projects=True)
        self.mock_snapshot_list.assert_called_once_with(
            mock.ANY, search_opts={'all_tenants': True}, limit=None)
        for text in ('theirs', 'other-project', 'vol-1', 'Delete Schedule'):
            self.assertContains(response, text)
        for text in ('Run Schedule Now', 'Delete Schedule and Its Points', 'Edit Schedule'):
            self.assertNotContains(response, text)
        response = self.client.post(ADMIN_URL, {'action': 'schedules__delete__' + ONE})
        self.assertRedirectsNoFollow(response, ADMIN_URL)
        self.mock_schedule_delete.assert_called_once_with(mock.ANY, ONE)


class AdminPageForMembersTests(SchedulesTestCase):

    @helpers.create_mocks({api.mistral: ['schedule_page']})
    def test_members_get_not_authorized(self):
        response = self.client.get(ADMIN_URL)
        self.assertEqual(403, response.status_code)
        self.mock_schedule_page.assert_not_called()


class ServerScheduleJoinTests(SchedulesTestCase):
    """A server backup schedule's servers are named and its backups counted."""

    @helpers.create_mocks({api.nova: ['server_names'], api.glance: ['image_list']})
    def test_servers_are_named_and_the_tagged_records_counted(self):
        schedule = make_schedule(ONE, resources=['srv-1'], workflow_input=json.dumps({
            'resources': ['srv-1'], 'name': 'nightly', 'description': None,
            'schedule': {'name': 'nightly', 'resource_type': 'OS::Nova::Server',
                         'plugin': 'server_backup', 'keep_newest': 3}}))
        self.mock_server_names.return_value = {'srv-1': 'web'}
        self.mock_image_list.return_value = [
            glance.Image(types.SimpleNamespace(
                id=image_id, created_at='2026-12-01T02:30:00Z',
                **{'protection_server_backup': 'record', SCHEDULE_TAG: tag}))
            for image_id, tag in (('rec-1', ONE), ('rec-2', None), ('rec-3', TWO))]
        request = self.request
        joins.join_resource_names(request, [schedule])
        joins.join_point_counts(request, [schedule], all_projects=False)
        self.assertEqual(({'srv-1': 'web'}, 1), (schedule.resource_names,
                                                  schedule.point_count))
        self.mock_server_names.assert_called_once_with(request, frozenset({'srv-1'}))
