"""The admin's snapshot import (manage) and export (unmanage): the service layer,
the Manageable Snapshots page, the manage form, the admin Volume Snapshots page."""

import contextlib
import json
from unittest import mock

from cinderclient import exceptions as cinder_exc
from django.test import override_settings
from django.urls import reverse
from keystoneauth1 import exceptions as ksa_exc
from openstack_auth import policy as auth_policy
from openstack_dashboard.test import helpers

from protection_dashboard import api
from protection_dashboard import exceptions as pd_exceptions
from protection_dashboard.api import cinder
from protection_dashboard.api.base import Page
from protection_dashboard.content.admin_manageable_snapshots.forms import ManageSnapshotForm
from protection_dashboard.schema_form import load_schema
from tests.unit.fakes import fake

MANAGEABLE_URL = reverse('horizon:admin:protection_manageable_snapshots:index')
MANAGE_URL = reverse('horizon:admin:protection_manageable_snapshots:manage')
INDEX_URL = reverse('horizon:admin:protection_manageable_snapshots:index')
SNAPSHOTS_URL = reverse('horizon:admin:protection_volume_snapshots:index')
HOST = 'node1@lvm'
REFERENCE = {'source-name': 'snapshot-1'}
DENY = mock.patch('openstack_dashboard.policy.check', return_value=False)
#: Horizon's own policy hook refusing everything (panels read it, not ``policy.check``).
DENY_ALL = override_settings(POLICY_CHECK_FUNCTION=lambda *args, **kwargs: False)


@contextlib.contextmanager
def cinder_policy():
    """Horizon's real policy engine with the Cinder rules Horizon ships (manage, unmanage
    and the manageable list are ``rule:admin_api``)."""
    auth_policy.reset()
    try:
        with override_settings(POLICY_CHECK_FUNCTION='openstack_auth.policy.check',
                               POLICY_FILES={'volume': 'cinder_policy.yaml'}):
            yield
    finally:
        auth_policy.reset()


def make_manageable(index=1, safe=True, volume_id='vol-1'):
    return fake(cinder.ManageableSnapshot, reference={'source-name': 'snapshot-%d' % index},
                size=1, safe_to_manage=safe,
                reason_not_safe=None if safe else 'already managed',
                cinder_id=None if safe else 'managed-%d' % index, extra_info=None,
                source_reference={'source-name': 'volume-%s' % volume_id})


def make_volume(volume_id='vol-1', name='data'):
    return fake(cinder.Volume, id=volume_id, name=name, size=1, status='available')


def make_snapshot(index=1, status='available', project_id='other', metadata=None):
    return fake(cinder.VolumeSnapshot, id='snap-%d' % index, name='snap-%d' % index,
                description='', size=1, status=status, volume_id='vol-1',
                created_at='2026-01-01T00:00:%02d' % index, metadata=metadata or {},
                **{'os-extended-snapshot-attributes:project_id': project_id})


class ServiceLayerTests(helpers.TestCase):
    """``api.cinder``'s manage functions against a mocked python-cinderclient."""

    def setUp(self):
        super().setUp()
        self.client = mock.Mock()
        self.client.api_version.get_string.return_value = '3.71'
        patcher = mock.patch.object(cinder, 'cinderclient', return_value=self.client)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_a_page_is_one_call_paged_by_the_reference_as_json(self):
        items = [make_manageable(i)._apiresource for i in range(1, 5)]
        self.client.volume_snapshots.list_manageable.return_value = items
        marker = json.dumps({'source-name': 'snapshot-0'})
        page = cinder.manageable_snapshot_page(self.request, HOST, marker=marker, limit=3)
        self.client.volume_snapshots.list_manageable.assert_called_once_with(
            HOST, detailed=True, marker=marker, limit=4, sort='reference:asc')
        self.assertEqual(['snapshot-1', 'snapshot-2', 'snapshot-3'],
                         [item.ref_value for item in page.items])
        self.assertEqual({'source-name': 'snapshot-3'}, json.loads(page.next_marker))
        self.assertEqual({'source-name': 'snapshot-1'}, json.loads(page.prev_marker))

    def test_the_previous_page_is_asked_backwards(self):
        self.client.volume_snapshots.list_manageable.return_value = [
            make_manageable(i)._apiresource for i in (3, 2)]
        page = cinder.manageable_snapshot_page(
            self.request, HOST, prev_marker='{"source-name":"snapshot-4"}', limit=3)
        self.assertEqual('reference:desc',
                         self.client.volume_snapshots.list_manageable.call_args.kwargs['sort'])
        self.assertEqual(['snapshot-2', 'snapshot-3'], [item.ref_value for item in page.items])
        self.assertIsNone(page.prev_marker)

    def test_a_bad_marker_or_host_makes_no_call(self):
        for host, marker in ((HOST, 'snap-1'), (HOST, '["a"]'), (HOST, '{"a": 1}'),
                             ('node1/../x', None), ('', None), ('a?b', None)):
            with self.assertRaises(pd_exceptions.InvalidId, msg=(host, marker)):
                cinder.manageable_snapshot_page(self.request, host, marker=marker)
        self.client.volume_snapshots.list_manageable.assert_not_called()

    def test_below_3_8_nothing_is_called(self):
        self.client.api_version.get_string.return_value = '3.7'
        with self.assertRaises(pd_exceptions.UnsupportedVersion):
            cinder.manageable_snapshot_page(self.request, HOST)
        with self.assertRaises(pd_exceptions.UnsupportedVersion):
            cinder.volume_snapshot_manage(self.request, 'vol-1', REFERENCE)
        with self.assertRaises(pd_exceptions.UnsupportedVersion):
            cinder.volume_snapshot_unmanage(self.request, 'snap-1')
        self.client.volume_snapshots.list_manageable.assert_not_called()
        self.client.volume_snapshots.manage.assert_not_called()
        self.client.volume_snapshots.unmanage.assert_not_called()

    def test_backend_hosts_are_the_volume_services_up(self):
        self.client.services.list.return_value = [
            mock.Mock(host='b@x', status='enabled', state='up'),
            mock.Mock(host='a@x', status='enabled', state='up'),
            mock.Mock(host='c@x', status='disabled', state='up'),
            mock.Mock(host='d@x', status='enabled', state='down')]
        self.assertEqual(['a@x', 'b@x'], cinder.volume_backend_hosts(self.request))
        self.client.services.list.assert_called_once_with(binary='cinder-volume')

    def test_manage_sends_volume_and_reference_and_records_the_reference(self):
        self.client.volume_snapshots.manage.return_value = make_snapshot(7)._apiresource
        snapshot = cinder.volume_snapshot_manage(self.request, 'vol-1', REFERENCE, name='n',
                                                 description='d', metadata={'k': 'v'})
        recorded = {'k': 'v', 'manage_reference': '{"source-name":"snapshot-1"}'}
        self.client.volume_snapshots.manage.assert_called_once_with(
            'vol-1', REFERENCE, name='n', description='d', metadata=recorded)
        self.assertEqual('snap-7', snapshot.id)
        self.assertEqual(REFERENCE, cinder.manage_reference(make_snapshot(metadata=recorded)))
        for metadata in ({}, None, {'manage_reference': 'not json'}):
            self.assertIsNone(cinder.manage_reference(make_snapshot(metadata=metadata)))

    def test_a_reference_too_long_for_metadata_is_not_recorded(self):
        self.client.volume_snapshots.manage.return_value = make_snapshot(7)._apiresource
        cinder.volume_snapshot_manage(self.request, 'vol-1', {'source-name': 'x' * 250})
        self.assertEqual({}, self.client.volume_snapshots.manage.call_args.kwargs['metadata'])

    def test_ids_are_checked_before_any_call(self):
        with self.assertRaises(pd_exceptions.InvalidId):
            cinder.volume_snapshot_manage(self.request, '../vol', REFERENCE)
        with self.assertRaises(pd_exceptions.InvalidId):
            cinder.volume_snapshot_unmanage(self.request, 'snap/1')
        self.client.volume_snapshots.manage.assert_not_called()
        self.client.volume_snapshots.unmanage.assert_not_called()


class FormSchemaTests(helpers.BaseAdminViewTests):

    @helpers.create_mocks({api.cinder: ['volume_list']})
    def test_the_fields_are_the_schemas_with_the_volumes_of_the_host(self):
        self.mock_volume_list.return_value = [make_volume('vol-2', 'b'), make_volume('vol-1', 'a')]
        form = ManageSnapshotForm(self.request, initial={'host': HOST})
        schema = load_schema('snapshot_manage')
        self.assertEqual(['host'] + list(schema['properties']), list(form.fields))
        self.assertEqual([name for name, field in form.fields.items() if field.required],
                         ['host'] + schema['required'])
        self.assertEqual(['', 'vol-1', 'vol-2'],
                         [value for value, _label in form.fields['volume_id'].choices])
        self.assertEqual(['source-name', 'source-id'],
                         [value for value, _label in form.fields['ref_type'].choices])
        self.assertEqual('source-name', form.fields['ref_type'].initial)
        self.mock_volume_list.assert_called_once_with(
            mock.ANY, {'all_tenants': True, 'host': HOST})


class ManageViewTests(helpers.BaseAdminViewTests):

    def post(self, **data):
        values = {'host': HOST, 'volume_id': 'vol-1', 'ref_type': 'source-name',
                  'ref_value': 'snapshot-1', 'name': 'imported', 'description': 'd',
                  'metadata': 'origin=array'}
        values.update(data)
        return self.client.post(MANAGE_URL, values)

    @helpers.create_mocks({api.cinder: ['volume_list']})
    def test_the_row_prefills_reference_and_volume(self):
        self.mock_volume_list.return_value = [make_volume('vol-1'), make_volume('vol-2', 'b')]
        response = self.client.get(MANAGE_URL, {
            'host': HOST, 'ref_type': 'source-id', 'ref_value': 'abc',
            'volume_hint': 'volume-vol-2'})
        self.assertEqual(200, response.status_code)
        form = response.context['form']
        self.assertEqual((HOST, 'source-id', 'abc', 'vol-2'), tuple(
            form.initial[name] for name in ('host', 'ref_type', 'ref_value', 'volume_id')))
        self.assertContains(response, 'Manage Existing Snapshot')
        self.assertContains(response, HOST)

    @helpers.create_mocks({api.cinder: ['volume_list', 'volume_snapshot_manage']})
    def test_valid_post_manages_and_lands_on_the_new_row(self):
        self.mock_volume_list.return_value = [make_volume()]
        self.mock_volume_snapshot_manage.return_value = make_snapshot(5, status='creating')
        response = self.post()
        self.assertNoFormErrors(response)
        self.assertRedirectsNoFollow(response, SNAPSHOTS_URL + '#volume_snapshots__row__snap-5')
        self.mock_volume_snapshot_manage.assert_called_once_with(
            mock.ANY, 'vol-1', REFERENCE, name='imported', description='d',
            metadata={'origin': 'array'})

    @helpers.create_mocks({api.cinder: ['volume_list', 'volume_snapshot_manage']})
    def test_bad_input_is_a_field_error_and_no_call(self):
        self.mock_volume_list.return_value = [make_volume()]
        for field, value in (('ref_value', ' '), ('ref_type', 'source-path'),
                             ('volume_id', 'vol-9'), ('name', 'x' * 256),
                             ('metadata', 'no equals sign')):
            response = self.post(**{field: value})
            self.assertEqual(200, response.status_code)
            self.assertIn(field, response.context['form'].errors, field)
        self.mock_volume_snapshot_manage.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_list', 'volume_snapshot_manage']})
    def test_an_unknown_volume_is_said_on_the_volume_field(self):
        self.mock_volume_list.return_value = [make_volume()]
        self.mock_volume_snapshot_manage.side_effect = cinder_exc.NotFound(
            404, message='Volume vol-1 could not be found.')
        response = self.post()
        self.assertEqual(200, response.status_code)
        errors = response.context['form'].errors['volume_id']
        self.assertIn('Cinder has no such volume: Volume vol-1 could not be found.', errors[0])

    @helpers.create_mocks({api.cinder: ['volume_list', 'volume_snapshot_manage']})
    def test_a_refusal_is_shown_in_the_form(self):
        self.mock_volume_list.return_value = [make_volume()]
        self.mock_volume_snapshot_manage.side_effect = cinder_exc.BadRequest(
            400, message='Invalid volume: the volume is migrating.')
        response = self.post()
        self.assertEqual(200, response.status_code)
        self.assertContains(response, 'Unable to manage the snapshot. Invalid volume: the '
                                      'volume is migrating.')

    @helpers.create_mocks({api.cinder: ['volume_list', 'volume_snapshot_manage']})
    def test_cinder_down_is_a_banner(self):
        self.mock_volume_list.return_value = [make_volume()]
        self.mock_volume_snapshot_manage.side_effect = ksa_exc.ConnectFailure('refused')
        response = self.post()
        self.assertEqual(200, response.status_code)
        self.assertMessageCount(response, error=1)

    @helpers.create_mocks({api.cinder: ['volume_list', 'volume_snapshot_manage']})
    def test_the_manage_rule_is_enforced_by_the_view(self):
        with DENY:
            responses = [self.client.get(MANAGE_URL, {'host': HOST}), self.post()]
        for response in responses:
            self.assertEqual(403, response.status_code)
        self.mock_volume_list.assert_not_called()
        self.mock_volume_snapshot_manage.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_list']})
    def test_no_host_leads_to_the_page_that_chooses_one(self):
        response = self.client.get(MANAGE_URL)
        self.assertRedirectsNoFollow(response, INDEX_URL)
        self.mock_volume_list.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_list']})
    def test_a_malformed_host_is_not_found(self):
        for host in ('', 'a/b', 'a b'):
            self.assertEqual(404, self.client.get(MANAGE_URL, {'host': host}).status_code)
        self.mock_volume_list.assert_not_called()


class IndexViewTests(helpers.BaseAdminViewTests):

    @helpers.create_mocks({api.cinder: ['volume_backend_hosts', 'manageable_snapshot_page']})
    def test_the_first_host_is_listed_with_manage_on_safe_rows_only(self):
        self.mock_volume_backend_hosts.return_value = [HOST, 'node2@lvm']
        self.mock_manageable_snapshot_page.return_value = Page(
            [make_manageable(1), make_manageable(2, safe=False)],
            next_marker='{"source-name":"snapshot-2"}')
        response = self.client.get(MANAGEABLE_URL)
        self.assertEqual(200, response.status_code)
        self.mock_manageable_snapshot_page.assert_called_once_with(
            mock.ANY, HOST, marker=None, prev_marker=None, limit=20)
        table = response.context['table']
        self.assertEqual([['manage'], []],
                         [[a.name for a in table.get_row_actions(row)] for row in table.data])
        self.assertContains(response, 'already managed')
        self.assertContains(response, 'managed-2')
        self.assertContains(response, 'volume-vol-1')
        self.assertContains(response, MANAGE_URL + '?host=node1%40lvm&amp;ref_type=source-name'
                                      '&amp;ref_value=snapshot-1&amp;volume_hint=volume-vol-1')
        self.assertContains(response, 'manageable_marker=%7B%22source-name%22%3A%22snapshot-2'
                                      '%22%7D&amp;host=node1%40lvm')
        self.assertContains(response, '<option value="node2@lvm">', html=False)

    @helpers.create_mocks({api.cinder: ['volume_backend_hosts', 'manageable_snapshot_page']})
    def test_a_host_whose_service_is_not_up_is_not_asked(self):
        self.mock_volume_backend_hosts.return_value = [HOST]
        response = self.client.get(MANAGEABLE_URL, {'host': 'gone@lvm'})
        self.assertEqual(200, response.status_code)
        self.assertMessageCount(response, error=1)
        self.mock_manageable_snapshot_page.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_backend_hosts', 'manageable_snapshot_page']})
    def test_cinder_failures_are_banners(self):
        self.mock_volume_backend_hosts.return_value = [HOST]
        for failure in (self.exceptions.cinder, pd_exceptions.UnsupportedVersion('3.7')):
            self.mock_manageable_snapshot_page.side_effect = failure
            response = self.client.get(MANAGEABLE_URL)
            self.assertEqual(200, response.status_code)
            self.assertMessageCount(response, error=1)
        self.assertContains(response, 'microversion 3.8')

    @helpers.create_mocks({api.cinder: ['volume_backend_hosts', 'manageable_snapshot_page']})
    def test_back_ends_unknown_is_one_banner_and_no_list(self):
        self.mock_volume_backend_hosts.side_effect = ksa_exc.ConnectFailure('refused')
        response = self.client.get(MANAGEABLE_URL, {'host': HOST})
        self.assertEqual(200, response.status_code)
        self.assertMessageCount(response, error=1, info=0)
        self.mock_manageable_snapshot_page.assert_not_called()
        self.assertNotContains(response, 'Manage Existing Snapshot')

    @helpers.create_mocks({api.cinder: ['volume_backend_hosts', 'manageable_snapshot_page']})
    def test_cinders_own_rules_let_the_admin_in(self):
        self.mock_volume_backend_hosts.return_value = [HOST]
        self.mock_manageable_snapshot_page.return_value = Page([make_manageable()])
        with cinder_policy():
            response = self.client.get(MANAGEABLE_URL)
        self.assertEqual(200, response.status_code)
        self.assertEqual(['manage'], [a.name for a in response.context['table']
                                      .get_row_actions(response.context['table'].data[0])])

    @helpers.create_mocks({api.cinder: ['volume_backend_hosts', 'manageable_snapshot_page']})
    def test_without_the_list_rule_the_page_is_refused(self):
        with DENY_ALL:
            response = self.client.get(MANAGEABLE_URL)
        self.assertEqual(403, response.status_code)
        self.mock_manageable_snapshot_page.assert_not_called()


class AdminSnapshotsTests(helpers.BaseAdminViewTests):

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged', 'volume_names']})
    def test_every_project_in_one_call_with_unmanage_and_delete(self):
        self.mock_volume_snapshot_list_paged.return_value = Page([make_snapshot()])
        response = self.client.get(SNAPSHOTS_URL)
        self.assertEqual(200, response.status_code)
        self.mock_volume_snapshot_list_paged.assert_called_once_with(
            mock.ANY, search_opts={'all_tenants': True}, marker=None, prev_marker=None,
            limit=20)
        self.mock_volume_names.assert_not_called()
        table = response.context['table']
        self.assertEqual(['unmanage', 'delete'],
                         [a.name for a in table.get_row_actions(table.data[0])])
        # The confirmation states the spec's side effect.
        self.assertContains(response, 'data stays on the back end')
        self.assertContains(response, 'refuse to delete the snapshot&#x27;s volume')

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged', 'volume_snapshot_get']})
    def test_a_failed_manage_says_why_in_the_list_and_the_row_poll(self):
        recorded = {'manage_reference': '{"source-name":"snapshot-1"}'}
        self.mock_volume_snapshot_list_paged.return_value = Page([
            make_snapshot(1, 'error', metadata=recorded), make_snapshot(2, metadata=recorded),
            make_snapshot(3, 'error')])
        self.mock_volume_snapshot_get.return_value = make_snapshot(1, 'error', metadata=recorded)
        response = self.client.get(SNAPSHOTS_URL)
        reasons = [row.manage_failure for row in response.context['table'].data]
        self.assertIn('Cinder could not manage "source-name: snapshot-1"', reasons[0])
        self.assertEqual(['', ''], reasons[1:])
        table = response.context['table']
        self.assertEqual(['unmanage', 'delete'],
                         [a.name for a in table.get_row_actions(table.data[0])])
        row = self.client.get(SNAPSHOTS_URL, {
            'action': 'row_update', 'table': 'volume_snapshots', 'obj_id': 'snap-1'},
            HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertContains(row, 'Cinder could not manage &quot;source-name: snapshot-1&quot;')

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged',
                                        'volume_snapshot_unmanage']})
    def test_unmanage_goes_to_cinder(self):
        self.mock_volume_snapshot_list_paged.return_value = Page([make_snapshot()])
        response = self.client.post(SNAPSHOTS_URL,
                                    {'action': 'volume_snapshots__unmanage__snap-1'})
        self.assertRedirectsNoFollow(response, SNAPSHOTS_URL)
        self.mock_volume_snapshot_unmanage.assert_called_once_with(mock.ANY, 'snap-1')

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged',
                                        'volume_snapshot_unmanage']})
    def test_unmanage_is_refused_in_a_busy_state_or_without_the_rule(self):
        self.mock_volume_snapshot_list_paged.return_value = Page([make_snapshot()])
        with override_settings(POLICY_CHECK_FUNCTION=lambda rules, *args, **kwargs: all(
                rule != 'snapshot_extension:snapshot_unmanage' for _s, rule in rules)):
            self.client.post(SNAPSHOTS_URL, {'action': 'volume_snapshots__unmanage__snap-1'})
        self.mock_volume_snapshot_list_paged.return_value = Page([make_snapshot(
            status='creating')])
        self.client.post(SNAPSHOTS_URL, {'action': 'volume_snapshots__unmanage__snap-1'})
        self.mock_volume_snapshot_unmanage.assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged']})
    def test_cinders_own_rules_offer_unmanage_to_the_admin(self):
        self.mock_volume_snapshot_list_paged.return_value = Page([make_snapshot()])
        with cinder_policy():
            response = self.client.get(SNAPSHOTS_URL)
        table = response.context['table']
        self.assertIn('unmanage', [a.name for a in table.get_row_actions(table.data[0])])


class MemberTests(helpers.TestCase):
    """A project member sees none of it, and the URLs refuse him."""

    @helpers.create_mocks({api.cinder: ['volume_backend_hosts', 'manageable_snapshot_page',
                                        'volume_snapshot_list_paged', 'volume_list',
                                        'volume_snapshot_manage', 'volume_snapshot_unmanage']})
    def test_members_get_not_authorized(self):
        responses = [self.client.get(MANAGEABLE_URL), self.client.get(SNAPSHOTS_URL),
                     self.client.get(MANAGE_URL, {'host': HOST}),
                     self.client.post(MANAGE_URL, {'host': HOST, 'volume_id': 'vol-1',
                                                   'ref_type': 'source-name',
                                                   'ref_value': 'x'}),
                     self.client.post(SNAPSHOTS_URL,
                                      {'action': 'volume_snapshots__unmanage__snap-1'})]
        self.assertEqual([403] * 5, [response.status_code for response in responses])
        for name in ('volume_backend_hosts', 'manageable_snapshot_page',
                     'volume_snapshot_list_paged', 'volume_list', 'volume_snapshot_manage',
                     'volume_snapshot_unmanage'):
            getattr(self, 'mock_' + name).assert_not_called()

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged', 'volume_names']})
    def test_members_see_no_admin_panel(self):
        self.mock_volume_snapshot_list_paged.return_value = Page([])
        response = self.client.get(reverse('horizon:project:volume_snapshots:index'))
        self.assertEqual(200, response.status_code)
        self.assertNotContains(response, MANAGEABLE_URL)
        self.assertNotContains(response, SNAPSHOTS_URL)
