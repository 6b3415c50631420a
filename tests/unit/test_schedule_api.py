"""The schedules' service layer (``api.mistral``) against Mistral's HTTP API, stubbed.

python-mistralclient runs for real; ``requests_mock`` answers as Mistral's v2 API
does, so the tests see the requests the dashboard sends (paths, queries, token).
"""

import json
from unittest import mock

import requests_mock
from django.core.cache import cache
from openstack_auth import utils as auth_utils
from openstack_dashboard.test import helpers

from protection_dashboard import exceptions as pd_exceptions
from protection_dashboard.api import mistral

MISTRAL_URL = 'http://mistral.example.com:8989/v2'
MISTRAL_ENDPOINT = {'type': 'workflowv2', 'name': 'mistral', 'endpoints_links': [],
                    'endpoints': [{'region': 'RegionOne', 'interface': interface,
                                   'url': MISTRAL_URL}
                                  for interface in ('admin', 'internal', 'public')]}
ONE = '1' * 32
TWO = '2' * 32


def trigger(schedule_id, name='nightly', resources=('vol-1',), **attrs):
    wf_name = 'pd_schedule_%s' % schedule_id
    values = {'id': 'trigger-%s' % schedule_id[:4], 'name': wf_name, 'pattern': '30 2 * * *',
              'workflow_name': wf_name, 'workflow_id': 'wf-%s' % schedule_id[:4],
              'workflow_input': json.dumps({
                  'resources': list(resources), 'name': name, 'description': None,
                  'schedule': {'name': name, 'resource_type': 'OS::Cinder::Volume',
                               'plugin': 'volume_snapshot', 'keep_newest': 3}}),
              'next_execution_time': '2026-12-04 02:30:00', 'project_id': '1',
              'created_at': '2026-12-01 10:00:00'}
    values.update(attrs)
    return values


def execution(schedule_id, index, state='SUCCESS', state_info=None):
    return {'id': 'ex-%d' % index, 'workflow_name': 'pd_schedule_%s' % schedule_id,
            'state': state, 'state_info': state_info, 'project_id': '1',
            'created_at': '2026-12-0%d 02:30:00' % index,
            'updated_at': '2026-12-0%d 02:31:00' % index}


class MistralTestCase(helpers.TestCase):
    """Horizon's test user, with the workflow service in the catalog."""

    def setUp(self):
        super().setUp()
        self.service_catalog.append(MISTRAL_ENDPOINT)
        self.request.user = auth_utils.get_user(self.request)


class CreateTests(MistralTestCase):

    def test_create_makes_the_workflow_then_its_trigger(self):
        with requests_mock.Mocker() as http:
            workflows = http.post(MISTRAL_URL + '/workflows', status_code=201,
                                  json={'workflows': [{'id': 'wf-1111', 'name': 'x'}]})
            triggers = http.post(MISTRAL_URL + '/cron_triggers', status_code=201,
                                 json=trigger(ONE))
            schedule = mistral.schedule_create(
                self.request, ONE, 'version: "2.0"\n', '30 2 * * *',
                {'resources': ['vol-1'], 'schedule': {'name': 'nightly'}})
        self.assertEqual('version: "2.0"\n', workflows.last_request.text)
        self.assertEqual(self.request.user.token.id,
                         workflows.last_request.headers['X-Auth-Token'])
        sent = triggers.last_request.json()
        self.assertEqual('pd_schedule_' + ONE, sent['name'])
        self.assertEqual('pd_schedule_' + ONE, sent['workflow_name'])
        self.assertEqual('30 2 * * *', sent['pattern'])
        self.assertEqual(['vol-1'], json.loads(sent['workflow_input'])['resources'])
        self.assertEqual(ONE, schedule.id)
        self.assertEqual('nightly', schedule.name)

    def test_a_refused_trigger_leaves_no_workflow(self):
        with requests_mock.Mocker() as http:
            http.post(MISTRAL_URL + '/workflows', status_code=201,
                      json={'workflows': [{'id': 'wf-1111', 'name': 'x'}]})
            http.post(MISTRAL_URL + '/cron_triggers', status_code=400,
                      json={'faultstring': 'Invalid cron pattern'})
            deleted = http.delete(MISTRAL_URL + '/workflows/wf-1111', status_code=204)
            with self.assertRaises(pd_exceptions.RECOVERABLE) as raised:
                mistral.schedule_create(self.request, ONE, 'x', '30 2 * * *',
                                        {'resources': ['vol-1']})
        self.assertEqual(1, deleted.call_count)
        self.assertIn('Invalid cron pattern', str(raised.exception))

    def test_a_refused_workflow_makes_no_trigger(self):
        with requests_mock.Mocker() as http:
            http.post(MISTRAL_URL + '/workflows', status_code=409,
                      json={'faultstring': 'Duplicate'})
            triggers = http.post(MISTRAL_URL + '/cron_triggers', status_code=201, json={})
            with self.assertRaises(pd_exceptions.RECOVERABLE):
                mistral.schedule_create(self.request, ONE, 'x', '30 2 * * *', {})
        self.assertFalse(triggers.called)


class UpdateTests(MistralTestCase):
    """An edit: the workflow updated, the trigger made again (never two at once)."""

    TRIGGER = MISTRAL_URL + '/cron_triggers/pd_schedule_' + ONE
    WORKFLOW = MISTRAL_URL + '/workflows/wf-1111'
    NEW_INPUT = {'resources': ['vol-2'], 'schedule': {'name': 'hourly'}}

    def _mock(self, http, new_trigger_status=201, old_trigger_status=201):
        http.get(self.TRIGGER, json=trigger(ONE))
        http.get(self.WORKFLOW, json={'id': 'wf-1111', 'definition': 'old definition'})
        updates = http.put(self.WORKFLOW, json={'id': 'wf-1111', 'name': 'x'})
        deleted = http.delete(MISTRAL_URL + '/cron_triggers/trigger-1111', status_code=204)
        created = http.post(MISTRAL_URL + '/cron_triggers', [
            {'status_code': new_trigger_status, 'json': trigger(ONE, pattern='0 * * * *')
             if new_trigger_status == 201 else {'faultstring': 'Too many triggers'}},
            {'status_code': old_trigger_status, 'json': trigger(ONE)
             if old_trigger_status == 201 else {'faultstring': 'Service unavailable'}},
        ])
        return updates, deleted, created

    def test_update_changes_the_workflow_then_makes_the_trigger_again(self):
        with requests_mock.Mocker() as http:
            updates, deleted, created = self._mock(http)
            schedule = mistral.schedule_update(self.request, ONE, 'new definition',
                                               '0 * * * *', self.NEW_INPUT)
        calls = [(r.method, r.path) for r in http.request_history]
        self.assertEqual([('GET', '/v2/cron_triggers/pd_schedule_' + ONE),
                          ('GET', '/v2/workflows/wf-1111'), ('PUT', '/v2/workflows/wf-1111'),
                          ('DELETE', '/v2/cron_triggers/trigger-1111'),
                          ('POST', '/v2/cron_triggers')], calls)
        self.assertEqual('new definition', updates.last_request.text)
        sent = created.last_request.json()
        self.assertEqual(('pd_schedule_' + ONE, 'pd_schedule_' + ONE, '0 * * * *'),
                         (sent['name'], sent['workflow_name'], sent['pattern']))
        self.assertEqual(self.NEW_INPUT, json.loads(sent['workflow_input']))
        self.assertEqual((ONE, '0 * * * *'), (schedule.id, schedule.pattern))

    def test_a_refused_trigger_brings_the_old_schedule_back(self):
        with requests_mock.Mocker() as http:
            updates, deleted, created = self._mock(http, new_trigger_status=400)
            with self.assertRaises(pd_exceptions.RECOVERABLE) as raised:
                mistral.schedule_update(self.request, ONE, 'new definition', '0 * * * *',
                                        self.NEW_INPUT)
        self.assertIn('Too many triggers', str(raised.exception))
        self.assertEqual(['new definition', 'old definition'],
                         [r.text for r in updates.request_history])
        old = created.last_request.json()
        self.assertEqual(('30 2 * * *', json.loads(trigger(ONE)['workflow_input'])),
                         (old['pattern'], json.loads(old['workflow_input'])))

    def test_a_refused_trigger_delete_restores_the_definition(self):
        with requests_mock.Mocker() as http:
            updates, deleted, created = self._mock(http)
            http.delete(MISTRAL_URL + '/cron_triggers/trigger-1111', status_code=503,
                        json={'faultstring': 'down'})
            with self.assertRaises(pd_exceptions.RECOVERABLE):
                mistral.schedule_update(self.request, ONE, 'new definition', '0 * * * *',
                                        self.NEW_INPUT)
        self.assertEqual(['new definition', 'old definition'],
                         [r.text for r in updates.request_history])
        self.assertFalse(created.called)

    def test_an_old_trigger_not_made_again_is_a_lost_schedule(self):
        with requests_mock.Mocker() as http:
            self._mock(http, new_trigger_status=400, old_trigger_status=503)
            with self.assertRaises(mistral.ScheduleLost):
                mistral.schedule_update(self.request, ONE, 'new definition', '0 * * * *',
                                        self.NEW_INPUT)


class ActionsInstalledTests(MistralTestCase):
    """Whether Mistral has the actions a deployer installs (share schedules')."""

    NAMES = ['protection_dashboard.share_snapshots_create',
             'protection_dashboard.share_snapshots_list']

    def setUp(self):
        super().setUp()
        cache.clear()

    def test_installed_actions_are_read_once_then_cached(self):
        with requests_mock.Mocker() as http:
            for name in self.NAMES:
                http.get(MISTRAL_URL + '/actions/%s/' % name, json={'name': name})
            self.assertTrue(mistral.actions_installed(self.request, self.NAMES))
            self.assertTrue(mistral.actions_installed(self.request, self.NAMES))
        self.assertEqual(2, len(http.request_history))

    def test_a_missing_or_hidden_action_is_not_installed(self):
        for status in (404, 403):
            cache.clear()
            with requests_mock.Mocker() as http:
                http.get(MISTRAL_URL + '/actions/%s/' % self.NAMES[0], status_code=status,
                         json={'faultstring': 'Action not found'})
                self.assertFalse(mistral.actions_installed(self.request, self.NAMES))

    def test_a_failing_service_is_an_error(self):
        with requests_mock.Mocker() as http:
            http.get(MISTRAL_URL + '/actions/%s/' % self.NAMES[0], status_code=500,
                     json={'faultstring': 'down'})
            with self.assertRaises(pd_exceptions.RECOVERABLE):
                mistral.actions_installed(self.request, self.NAMES)


def mock_lists(http, triggers, workflows, executions):
    """Mistral's three lists; the run listing's mock is returned."""
    http.get(MISTRAL_URL + '/cron_triggers', json={'cron_triggers': triggers})
    http.get(MISTRAL_URL + '/workflows', json={'workflows': workflows})
    return http.get(MISTRAL_URL + '/executions', json={'executions': executions})


class ListTests(MistralTestCase):

    def test_list_joins_triggers_tagged_workflows_and_newest_runs(self):
        foreign = trigger(TWO, workflow_id='wf-not-tagged')
        not_ours = dict(trigger(ONE), name='hourly-backup', id='t-x')
        with requests_mock.Mocker() as http:
            runs = mock_lists(
                http, [trigger(ONE, name='b nightly'), foreign, not_ours,
                       trigger('3' * 32, name='A weekly')],
                [{'id': 'wf-1111'}, {'id': 'wf-3333'}],
                [execution(ONE, 3, 'ERROR', 'Quota exceeded'), execution(ONE, 2)])
            schedules = mistral.schedule_list(self.request)
        self.assertEqual(['A weekly', 'b nightly'], [s.name for s in schedules])
        weekly, nightly = schedules
        self.assertIsNone(weekly.last_run)
        self.assertEqual(('ERROR', 'Quota exceeded'),
                         (nightly.last_run.state, nightly.last_run.state_info))
        self.assertEqual(['vol-1'], nightly.resources)
        self.assertEqual(('OS::Cinder::Volume', 'volume_snapshot', 3),
                         (nightly.resource_type, nightly.plugin, nightly.keep_newest))
        tags = [r for r in http.request_history if r.path.endswith('/workflows')]
        self.assertEqual(['protection-dashboard'], tags[0].qs['tags'])
        self.assertEqual(1, runs.call_count)
        query = runs.last_request.qs
        self.assertEqual(['in:pd_schedule_%s,pd_schedule_%s' % (ONE, '3' * 32)],
                         query['workflow_name'])
        self.assertEqual((['created_at'], ['desc']), (query['sort_keys'], query['sort_dirs']))
        self.assertEqual(3, len(http.request_history))

    def test_more_schedules_than_a_page_are_listed_page_by_page(self):
        # Two pages of two: each full page goes on from its last id; a short page ends.
        ids = ['%032x' % number for number in range(1, 6)]
        triggers = [trigger(schedule_id, workflow_id='wf-%d' % number, id='t-%d' % number)
                    for number, schedule_id in enumerate(ids)]
        workflows = [{'id': 'wf-%d' % number} for number in range(5)]

        def pages(items, key):
            def answer(request, context):
                marker = request.qs.get('marker', [''])[0]
                start = next((i + 1 for i, item in enumerate(items)
                              if item['id'] == marker), 0)
                return {key: items[start:start + 2]}
            return answer

        with mock.patch.object(mistral, 'LIST_PAGE', 2), requests_mock.Mocker() as http:
            listed_triggers = http.get(MISTRAL_URL + '/cron_triggers',
                                       json=pages(triggers, 'cron_triggers'))
            listed_workflows = http.get(MISTRAL_URL + '/workflows',
                                        json=pages(workflows, 'workflows'))
            schedules = mistral.schedule_list(self.request, with_runs=False)
        self.assertEqual(sorted(ids), sorted(schedule.id for schedule in schedules))
        self.assertEqual(['', 't-1', 't-3'], [sent.qs.get('marker', [''])[0]
                                             for sent in listed_triggers.request_history])
        self.assertEqual(3, listed_workflows.call_count)
        first = listed_triggers.request_history[0].qs
        self.assertEqual((['2'], ['created_at,id'], ['has:pd_schedule_']),
                         (first['limit'], first['sort_keys'], first['name']))

    def test_no_schedules_no_run_listing(self):
        with requests_mock.Mocker() as http:
            runs = mock_lists(http, [], [], [])
            self.assertEqual([], mistral.schedule_list(self.request))
        self.assertFalse(runs.called)

    def test_without_runs_no_run_listing(self):
        with requests_mock.Mocker() as http:
            runs = mock_lists(http, [trigger(ONE)], [{'id': 'wf-1111'}], [])
            (listed,) = mistral.schedule_list(self.request, with_runs=False)
        self.assertEqual((ONE, None), (listed.id, listed.last_run))
        self.assertFalse(runs.called)
        self.assertEqual(2, len(http.request_history))

    def test_admin_lists_all_projects(self):
        with requests_mock.Mocker() as http:
            runs = mock_lists(http, [trigger(ONE)], [{'id': 'wf-1111'}], [])
            mistral.schedule_list(self.request, all_projects=True)
        for sent in http.request_history:
            self.assertEqual(['true'], sent.qs['all_projects'], sent.url)
        self.assertTrue(runs.called)


class PageTests(MistralTestCase):
    """The Schedules page: one page of triggers, newest first, then two joined calls."""

    def test_a_page_asks_for_one_more_than_it_shows_newest_first(self):
        third = '3' * 32
        with requests_mock.Mocker() as http:
            runs = mock_lists(
                http, [trigger(ONE), trigger(TWO, workflow_id='wf-not-tagged'), trigger(third)],
                [{'id': 'wf-1111'}], [execution(ONE, 2)])
            page = mistral.schedule_page(self.request, marker=None, prev_marker=None, limit=2)
        self.assertEqual([ONE], [s.id for s in page.items])  # TWO's workflow is not ours
        self.assertEqual('ex-2', page.items[0].last_run.id)
        self.assertEqual(('trigger-2222', None), (page.next_marker, page.prev_marker))
        triggers, workflows = http.request_history[:2]
        self.assertEqual({'limit': ['3'], 'sort_keys': ['created_at,id'],
                          'sort_dirs': ['desc,desc'], 'name': ['has:pd_schedule_']},
                         triggers.qs)
        self.assertEqual({'name': ['in:pd_schedule_%s,pd_schedule_%s' % (ONE, TWO)],
                          'tags': ['protection-dashboard'], 'fields': ['id']}, workflows.qs)
        self.assertEqual(['pd_schedule_%s' % ONE], runs.last_request.qs['workflow_name'])
        self.assertEqual(3, len(http.request_history))

    def test_the_page_before_is_asked_for_oldest_first_and_shown_newest_first(self):
        with requests_mock.Mocker() as http:
            mock_lists(http, [trigger(ONE), trigger(TWO), trigger('3' * 32)],
                             [{'id': 'wf-1111'}, {'id': 'wf-2222'}], [])
            page = mistral.schedule_page(self.request, marker=None,
                                         prev_marker='trigger-4444', limit=2)
        self.assertEqual([TWO, ONE], [s.id for s in page.items])
        self.assertEqual(('trigger-1111', 'trigger-2222'), (page.next_marker, page.prev_marker))
        query = http.request_history[0].qs
        self.assertEqual((['trigger-4444'], ['asc,asc']), (query['marker'], query['sort_dirs']))

    def test_a_forged_marker_makes_no_call_and_an_empty_page_one(self):
        with requests_mock.Mocker() as http:
            with self.assertRaises(pd_exceptions.InvalidId):
                mistral.schedule_page(self.request, marker='../x', prev_marker=None, limit=2)
            self.assertEqual(0, len(http.request_history))
            mock_lists(http, [], [], [])
            page = mistral.schedule_page(self.request, marker=None, prev_marker=None, limit=2,
                                         all_projects=True)
        self.assertEqual(([], None), (page.items, page.next_marker))
        self.assertEqual(1, len(http.request_history))
        self.assertEqual(['true'], http.request_history[0].qs['all_projects'])


class ScheduleTests(MistralTestCase):

    def test_run_now_starts_the_workflow_with_the_triggers_input(self):
        with requests_mock.Mocker() as http:
            http.get(MISTRAL_URL + '/cron_triggers/pd_schedule_' + ONE, json=trigger(ONE))
            newest = http.get(MISTRAL_URL + '/executions',
                              json={'executions': [execution(ONE, 3, 'ERROR')]})
            started = http.post(MISTRAL_URL + '/executions', status_code=201,
                                json=execution(ONE, 4, 'RUNNING'))
            run = mistral.schedule_run_now(self.request, ONE)
        sent = started.last_request.json()
        self.assertEqual('pd_schedule_' + ONE, sent['workflow_name'])
        self.assertEqual(json.loads(trigger(ONE)['workflow_input']), json.loads(sent['input']))
        self.assertEqual('RUNNING', run.state)
        self.assertEqual((['1'], ['pd_schedule_' + ONE]), (
            newest.last_request.qs['limit'], newest.last_request.qs['workflow_name']))

    def test_run_now_refuses_while_a_run_is_under_way(self):
        for state in ('RUNNING', 'PAUSED', 'IDLE'):
            with requests_mock.Mocker() as http:
                http.get(MISTRAL_URL + '/cron_triggers/pd_schedule_' + ONE, json=trigger(ONE))
                http.get(MISTRAL_URL + '/executions',
                         json={'executions': [execution(ONE, 3, state)]})
                started = http.post(MISTRAL_URL + '/executions', status_code=201,
                                    json=execution(ONE, 4, 'RUNNING'))
                with self.assertRaises(mistral.RunUnderWay):
                    mistral.schedule_run_now(self.request, ONE)
            self.assertFalse(started.called, state)

    def test_delete_removes_the_trigger_then_the_workflow(self):
        with requests_mock.Mocker() as http:
            http.get(MISTRAL_URL + '/cron_triggers/pd_schedule_' + ONE, json=trigger(ONE))
            http.delete(MISTRAL_URL + '/cron_triggers/trigger-1111', status_code=204)
            http.delete(MISTRAL_URL + '/workflows/wf-1111', status_code=204)
            mistral.schedule_delete(self.request, ONE)
        deletes = [r.path for r in http.request_history if r.method == 'DELETE']
        self.assertEqual(['/v2/cron_triggers/trigger-1111', '/v2/workflows/wf-1111'], deletes)

    def test_a_failed_trigger_delete_keeps_the_workflow(self):
        with requests_mock.Mocker() as http:
            http.get(MISTRAL_URL + '/cron_triggers/pd_schedule_' + ONE, json=trigger(ONE))
            http.delete(MISTRAL_URL + '/cron_triggers/trigger-1111', status_code=403,
                        json={'faultstring': 'forbidden'})
            workflow = http.delete(MISTRAL_URL + '/workflows/wf-1111', status_code=204)
            with self.assertRaises(pd_exceptions.RECOVERABLE):
                mistral.schedule_delete(self.request, ONE)
        self.assertFalse(workflow.called)

    def test_runs_newest_first(self):
        with requests_mock.Mocker() as http:
            http.get(MISTRAL_URL + '/cron_triggers/pd_schedule_' + ONE, json=trigger(ONE))
            listed = http.get(MISTRAL_URL + '/executions', json={'executions': [
                execution(ONE, 2, 'ERROR', 'Volume vol-1 not found'), execution(ONE, 1)]})
            runs = mistral.schedule_runs(self.request, ONE)
        self.assertEqual(['ERROR', 'SUCCESS'], [run.state for run in runs])
        self.assertEqual(['pd_schedule_' + ONE], listed.last_request.qs['workflow_name'])

    def test_a_malformed_id_makes_no_call(self):
        with requests_mock.Mocker() as http:
            for bad in ('../x', 'ABC', ONE + '/'):
                with self.assertRaises(pd_exceptions.InvalidId):
                    mistral.schedule_get(self.request, bad)
        self.assertEqual([], http.request_history)


#: A failed run's state_info as Mistral 2026.2 wrote it on the local cloud (a volume
#: that does not exist).
FAILED_RUN_INFO = (
    "Failure caused by error in tasks: protect\n\n  protect [task_ex_id=3e33dfca] -> One or "
    "more actions had failed.\n    [action_ex_id=5bbd7812, idx=0]: The action raised an "
    "exception [action=<mistral_lib.actions.base.CinderAction object at 0x7f0a4dd679d0>, "
    "action_ex_id=5bbd7812, msg='CinderAction.volume_snapshots.create failed: Volume "
    "vol-9 could not be found. (HTTP 404) (Request-ID: req-922e83ca)']\n")


def run_with(state, state_info):
    return mistral.Execution(type('Run', (), {'state': state, 'state_info': state_info}))


def test_a_failed_runs_error_is_the_services_message():
    assert run_with('ERROR', FAILED_RUN_INFO).error == (
        'Volume vol-9 could not be found. (HTTP 404)')


def test_a_failed_runs_error_without_an_action_message_is_mistrals_text():
    assert run_with('ERROR', 'Workflow timed out').error == 'Workflow timed out'
    assert run_with('SUCCESS', None).error is None
    assert run_with('RUNNING', 'whatever').error is None
