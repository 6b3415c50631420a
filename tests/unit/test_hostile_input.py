"""Malformed ids, actions and text: refused before any API call, never a 1xx or 5xx.

The Cinder client is replaced by a mock (not the service-layer functions), so
the service layer's own checks run and the mock shows whether a call was made.
"""

from unittest import mock

import pytest
from cinderclient import exceptions as cinder_exc
from django.urls import reverse
from openstack_dashboard.test import helpers

from protection_dashboard import api
from protection_dashboard import exceptions as pd_exceptions
from protection_dashboard.api import cinder
from protection_dashboard.schema_form import load_schema, text_problem
from tests.unit.fakes import fake
from tests.unit.test_schedule_api import MISTRAL_ENDPOINT
from tests.unit.test_schemas import form_class
from tests.unit.test_share_snapshots import MANILA_ENDPOINT

PROTECTABLES = reverse('horizon:project:protectables:index')
SNAPSHOTS = reverse('horizon:project:volume_snapshots:index')
AJAX = {'HTTP_X_REQUESTED_WITH': 'XMLHttpRequest'}
TRAVERSALS = ['../../volumes/1234', '../../1/snapshots/5678', 'a/b', 'a?b=c', '%2e%2e',
              'x' * 65, '', 'snap 1', '\u00e9t\u00e9']
ONLY_CINDER = mock.patch.object(api.base, 'is_service_enabled',
                                side_effect=lambda request, service: service == 'cinder')


class ClientMockMixin:
    """Every Cinder call goes to ``self.cinder``; nothing else answers."""

    def setUp(self):
        super().setUp()
        self.cinder = mock.Mock()
        self.cinder.api_version.get_string.return_value = '3.71'
        self.cinder.limits.get.return_value.absolute = []
        patcher = mock.patch.object(cinder, 'cinderclient', return_value=self.cinder)
        patcher.start()
        self.addCleanup(patcher.stop)


class RowUpdateTests(ClientMockMixin, helpers.TestCase):

    def test_traversal_ids_in_row_updates_make_no_call_and_answer_404(self):
        for table, url in (('volumes', PROTECTABLES), ('volume_snapshots', SNAPSHOTS)):
            for bad in TRAVERSALS[:-3]:
                with ONLY_CINDER:
                    response = self.client.get(url, {'action': 'row_update', 'table': table,
                                                     'obj_id': bad}, **AJAX)
                self.assertEqual(404, response.status_code, (table, bad))
        self.assertEqual([], self.cinder.mock_calls)

    def test_a_failing_service_in_a_row_update_is_a_client_error_not_1xx(self):
        self.cinder.volume_snapshots.get.side_effect = cinder_exc.ClientException(503)
        response = self.client.get(SNAPSHOTS, {'action': 'row_update',
                                               'table': 'volume_snapshots',
                                               'obj_id': 'snap-1'}, **AJAX)
        self.assertEqual(424, response.status_code)

    def test_malformed_table_actions_are_bad_requests(self):
        self.cinder.volume_snapshots.list.return_value = []
        for action in ('volume_snapshots', '', 'nonsense'):
            response = self.client.post(SNAPSHOTS, {'action': action})
            self.assertEqual(400, response.status_code, action)
            with ONLY_CINDER:
                response = self.client.post(PROTECTABLES, {'action': action})
            self.assertEqual(400, response.status_code, action)

    def test_a_bad_page_marker_is_a_banner_and_no_call(self):
        response = self.client.get(SNAPSHOTS, {'snapshot_marker': '../../volumes'})
        self.assertEqual(200, response.status_code)
        self.assertMessageCount(response, error=1)
        self.assertEqual([], self.cinder.mock_calls)

    def test_delete_of_a_traversal_id_makes_no_call(self):
        self.cinder.volume_snapshots.list.return_value = []
        self.client.post(SNAPSHOTS, {'action': 'volume_snapshots__delete__../../volumes/1'})
        self.assertFalse(self.cinder.volume_snapshots.delete.called)


class FormTests(ClientMockMixin, helpers.TestCase):

    def restore_url(self, point_id='snap-1'):
        return reverse('horizon:project:volume_snapshots:restore', args=(point_id,))

    def own_snapshot(self):
        """The view reads its point (snap-1 of the user's project) before the form."""
        snapshot = fake(cinder.VolumeSnapshot, id='snap-1', status='available', size=1,
                        **{'os-extended-snapshot-attributes:project_id': '1'})
        self.cinder.volume_snapshots.get.return_value = snapshot._apiresource

    def assert_only_the_point_was_read(self):
        self.assertEqual([mock.call.volume_snapshots.get('snap-1')], self.cinder.mock_calls)

    def test_a_traversal_id_in_the_hidden_field_creates_nothing(self):
        self.own_snapshot()
        response = self.client.post(self.restore_url(), {
            'point_id': '../../snapshots/snap-1', 'restore_name': 'r'})
        self.assertEqual(200, response.status_code)
        self.assertContains(response, 'The protection point to restore is missing')
        self.assert_only_the_point_was_read()

    def test_a_hidden_field_that_is_not_the_forms_own_target_is_refused(self):
        self.own_snapshot()
        response = self.client.post(self.restore_url(), {'point_id': 'snap-2',
                                                         'restore_name': 'r'})
        self.assertContains(response, 'The protection point to restore is missing')
        self.assert_only_the_point_was_read()

    def test_a_missing_or_empty_hidden_field_says_so(self):
        self.own_snapshot()
        for data in ({'restore_name': 'r'}, {'point_id': '', 'restore_name': 'r'}):
            response = self.client.post(self.restore_url(), data)
            self.assertContains(response, 'The protection point to restore is missing')
        self.assertFalse(self.cinder.volumes.create.called)

    def test_a_traversal_id_in_the_url_of_the_restore_form_makes_no_call(self):
        response = self.client.post(self.restore_url('..'), {'point_id': '..',
                                                             'restore_name': 'r'})
        self.assertEqual(302, response.status_code)
        self.assertEqual([], self.cinder.mock_calls)

    def test_a_traversal_id_in_the_url_of_the_protect_form_redirects_with_a_message(self):
        url = reverse('horizon:project:volume_snapshots:create', args=('..',))
        response = self.client.get(url)
        self.assertEqual(302, response.status_code)
        self.assertEqual([], self.cinder.mock_calls)

    def test_emoji_in_a_text_field_is_a_field_error_and_no_call(self):
        volume = fake(cinder.Volume, id='vol-1', name='v', status='available', size=1,
                      attachments=[], **{'os-vol-tenant-attr:tenant_id': '1'})
        self.cinder.volumes.get.return_value = volume._apiresource
        url = reverse('horizon:project:volume_snapshots:create', args=('vol-1',))
        for field in ('snapshot_name', 'description'):
            data = {'resource_id': 'vol-1', 'snapshot_name': 'n', 'description': 'd'}
            data[field] = 'backup \U0001F4BE'
            response = self.client.post(url, data)
            self.assertIn(field, response.context['form'].errors)
            self.assertContains(response, 'beyond U+FFFF')
        self.assertFalse(self.cinder.volume_snapshots.create.called)


TEXT_FIELDS = [(name, prop) for name in ('volume_snapshot_options', 'volume_snapshot_restore',
                                         'share_snapshot_options', 'share_snapshot_restore',
                                         'volume_backup_options', 'volume_backup_restore',
                                         'server_backup_options', 'server_backup_restore',
                                         'snapshot_manage')
               for prop, spec in load_schema(name)['properties'].items()
               if spec['type'] in ('string', 'object') and 'enum' not in spec]


@pytest.mark.parametrize(('schema', 'prop'), TEXT_FIELDS)
def test_every_text_field_of_every_schema_refuses_emoji_and_control_characters(schema, prop):
    for bad in ('a\U0001F600b', 'a\x00b', 'a\x1bb'):
        value = 'k=%s' % bad if load_schema(schema)['properties'][prop]['type'] == 'object' \
            else bad
        form = form_class(schema)(data={prop: value})
        assert not form.is_valid()
        assert prop in form.errors, (schema, prop, bad, form.errors)


def test_text_problem_accepts_ordinary_unicode_and_line_breaks():
    for good in ('caf\u00e9', '\u05e9\u05dc\u05d5\u05dd', '\u4e91', 'two\nlines\ttab', {'k': 'v'}):
        assert text_problem(good) is None


def test_a_long_service_refusal_is_one_short_sentence():
    regex = '^' + '[\\\\w ]' * 400 + '$'
    exc = cinder_exc.BadRequest(400, message="Invalid input for field/attribute description. "
                                             "Value: x. '%s' does not match" % regex)
    message = pd_exceptions.service_message(exc)
    assert message == 'Invalid input for field/attribute description.'
    long_sentence = cinder_exc.BadRequest(400, message='x' * 500)
    assert len(pd_exceptions.service_message(long_sentence)) == pd_exceptions.MESSAGE_LIMIT


#: Every table of ours: (index URL name, table name, admin page?).
TABLES = [
    ('horizon:project:protectables:index', 'volumes', False),
    ('horizon:project:protectables:index', 'shares', False),
    ('horizon:project:protectables:index', 'servers', False),
    ('horizon:project:volume_snapshots:index', 'volume_snapshots', False),
    ('horizon:project:share_snapshots:index', 'share_snapshots', False),
    ('horizon:project:volume_backups:index', 'volume_backups', False),
    ('horizon:project:server_backups:index', 'server_backups', False),
    ('horizon:admin:protection_share_snapshots:index', 'share_snapshots', True),
    ('horizon:admin:protection_volume_backups:index', 'volume_backups', True),
    ('horizon:admin:protection_server_backups:index', 'server_backups', True),
    ('horizon:project:protection_schedules:index', 'schedules', False),
    ('horizon:admin:protection_schedules:index', 'schedules', True),
]
#: Every page of ours that takes an id in its URL.
ID_PAGES = ['horizon:project:%s:%s' % (panel, page)
            for panel in ('volume_snapshots', 'share_snapshots', 'volume_backups',
                          'server_backups')
            for page in ('detail', 'restore')] + [
    'horizon:project:volume_snapshots:create', 'horizon:project:share_snapshots:create',
    'horizon:project:volume_backups:create', 'horizon:project:server_backups:create',
    'horizon:project:protection_schedules:detail']


class EveryPanelMixin:
    """Every client is a mock, every service enabled, the cloud runs a backup service."""

    def setUp(self):
        super().setUp()
        self.service_catalog.extend((MANILA_ENDPOINT, MISTRAL_ENDPOINT))
        self.clients = {}
        for module, factory in ((api.cinder, 'cinderclient'), (api.manila, 'manilaclient'),
                                (api.nova, 'novaclient'), (api.glance, 'glanceclient_v2'),
                                (api.mistral, 'mistralclient')):
            self.clients[factory] = mock.Mock()
            patcher = mock.patch.object(module, factory, return_value=self.clients[factory])
            patcher.start()
            self.addCleanup(patcher.stop)
        for patcher in (mock.patch.object(api.base, 'is_service_enabled', return_value=True),
                        mock.patch('protection_dashboard.protection.volume_backup.'
                                   'backup_service', return_value=True)):
            patcher.start()
            self.addCleanup(patcher.stop)

    def calls(self):
        return {name: client.mock_calls for name, client in self.clients.items()
                if client.mock_calls}

    def check_row_updates(self, admin):
        bad_ids = ('../../volumes/1', 'a/b', '..', 'x?y=1')
        for url_name, table, admin_page in TABLES:
            if admin_page is not admin:
                continue
            for client in self.clients.values():
                client.reset_mock()
            for bad in bad_ids:
                response = self.client.get(reverse(url_name), {
                    'action': 'row_update', 'table': table, 'obj_id': bad}, **AJAX)
                self.assertEqual(404, response.status_code, (url_name, table, bad))
            self.assertEqual({}, self.calls(), (url_name, table))
            for bad in bad_ids:
                # A delete loads the page's lists first; no call may carry the id.
                response = self.client.post(reverse(url_name), {
                    'action': '%s__delete__%s' % (table, bad)})
                self.assertLess(response.status_code, 500, (url_name, table, bad))
                for calls in self.calls().values():
                    self.assertNotIn(bad, repr(calls), (url_name, table))


class EveryProjectPanelTests(EveryPanelMixin, helpers.TestCase):

    def test_traversal_ids_in_every_row_update_and_delete_make_no_call(self):
        self.check_row_updates(admin=False)

    def test_traversal_ids_in_every_page_url_make_no_call(self):
        for url_name in ID_PAGES:
            for bad in ('..', 'a.b', 'x' * 65):
                response = self.client.get(reverse(url_name, args=(bad,)))
                self.assertIn(response.status_code, (302, 404), (url_name, bad))
        self.assertEqual({}, self.calls())


class EveryAdminPanelTests(EveryPanelMixin, helpers.BaseAdminViewTests):

    def test_traversal_ids_in_every_row_update_and_delete_make_no_call(self):
        self.check_row_updates(admin=True)
