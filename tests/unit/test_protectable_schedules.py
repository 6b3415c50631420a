"""Protectables shows the schedules covering each resource, and the overdue rule."""

import datetime
import html
from unittest import mock

import pytest
from django.urls import reverse
from mistralclient.api import base as mistral_base
from openstack_dashboard.test import helpers

from protection_dashboard import api
from protection_dashboard.schedules import overdue
from tests.unit.fakes import service_policy
from tests.unit.test_protectables import (
    ADMIN_URL,
    AJAX,
    ALL_SERVICES,
    INDEX_URL,
    LISTS,
    PageMixin,
    rows,
    snapshot,
    update_urls,
    volume,
)
from tests.unit.test_protection_schedules import make_schedule
from tests.unit.test_schedule_api import ONE, TWO

UTC = datetime.UTC
#: Thursday 3 December 2026, 18:00 UTC: the point of the daily 02:30 run of 2 December
#: is due (by 03:30 on the 3rd), the one of the 3rd is not yet.
NOW = datetime.datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
FROZEN = mock.patch('django.utils.timezone.now', return_value=NOW)
NO_MISTRAL = mock.patch.object(api.base, 'is_service_enabled',
                               side_effect=lambda request, service: service != 'mistral')
DETAIL = 'horizon:project:protection_schedules:detail'
BERLIN_NEXT_RUN = 'next run Dec. 4, 2026, 3:30 a.m. CET'


def schedule(schedule_id=ONE, **attrs):
    attrs.setdefault('created_at', '2026-11-01 10:00:00')
    return make_schedule(schedule_id, **attrs)


def cell(response, volume_id):
    """The Schedule cell's HTML of a volume's row."""
    table = response.context['volumes_table']
    (row,) = [row for row in table.get_rows() if row.datum.id == volume_id]
    return str(row.cells['schedules'].value)


class ScheduleColumnTests(PageMixin, helpers.TestCase):

    def _reset(self):
        for names in LISTS.values():
            for name in names:
                getattr(self, 'mock_' + name).reset_mock()

    def _page(self, schedules, **kwargs):
        self._mock([volume(1), volume(2), volume(3)], [
            snapshot(1, 'vol-1', '2026-12-03T02:31:00', ONE),
            snapshot(3, 'vol-1', '2026-12-03T02:32:00', TWO),
            snapshot(2, 'vol-2', '2026-11-30T02:31:00.000000', ONE),
            # made by hand after the due run: it does not hide what schedule ONE missed
            snapshot(4, 'vol-2', '2026-12-03T09:00:00')])
        self.mock_schedule_list.return_value = schedules
        self.client.cookies['django_timezone'] = 'Europe/Berlin'
        with ALL_SERVICES, FROZEN:
            return self.client.get(INDEX_URL, **kwargs)

    @helpers.create_mocks(LISTS)
    def test_each_row_names_its_schedules_linked_with_the_next_run_in_the_users_timezone(self):
        response = self._page([schedule(ONE, name='nightly', resources=('vol-1', 'vol-2')),
                               schedule(TWO, name='weekly', resources=('vol-1',))])
        self.assertEqual(200, response.status_code)
        self.mock_schedule_list.assert_called_once_with(mock.ANY, all_projects=False,
                                                        with_runs=False)
        first = cell(response, 'vol-1')
        for text in ('<a href="%s">nightly</a>' % reverse(DETAIL, args=(ONE,)),
                     '<a href="%s">weekly</a>' % reverse(DETAIL, args=(TWO,)),
                     # 02:30 UTC in December is 03:30 in Berlin.
                     BERLIN_NEXT_RUN):
            self.assertIn(text, first)
        self.assertNotIn('Overdue', first)
        self.assertEqual('None', cell(response, 'vol-3'))
        self.assertEqual('Schedule',
                         response.context['volumes_table'].columns['schedules'].verbose_name)

    @helpers.create_mocks(LISTS)
    def test_a_resource_without_a_point_since_a_due_run_is_overdue_with_why(self):
        response = self._page([schedule(ONE, name='nightly', resources=('vol-1', 'vol-2',
                                                                        'vol-3'))])
        self.assertNotIn('Overdue', cell(response, 'vol-1'))
        late = html.unescape(cell(response, 'vol-2'))
        self.assertIn('class="label label-warning"', late)
        self.assertIn('>Overdue</span>', late)
        self.assertIn('No point since Nov. 30, 2026, 3:31 a.m. CET; the run at Dec. 2, '
                      '2026, 3:30 a.m. CET should have made one.', late)
        never = html.unescape(cell(response, 'vol-3'))
        self.assertIn("No point of this schedule's kind yet; the run at Dec. 2, 2026, "
                      "3:30 a.m. CET should have made one.", never)

    @helpers.create_mocks(LISTS)
    def test_a_new_schedule_is_not_overdue_before_its_first_due_run(self):
        response = self._page([schedule(ONE, resources=('vol-3',),
                                        created_at='2026-12-02 12:00:00')])
        self.assertNotIn('Overdue', cell(response, 'vol-3'))

    @helpers.create_mocks(LISTS)
    def test_a_failed_point_list_flags_nothing_overdue(self):
        self._mock([volume(2)])
        self.mock_volume_snapshot_list.side_effect = self.exceptions.cinder
        self.mock_schedule_list.return_value = [schedule(ONE, resources=('vol-2',))]
        with ALL_SERVICES, FROZEN:
            response = self.client.get(INDEX_URL)
        self.assertIn('nightly', cell(response, 'vol-2'))
        self.assertNotIn('Overdue', cell(response, 'vol-2'))

    @helpers.create_mocks(LISTS)
    def test_a_point_time_not_read_here_flags_nothing_and_the_page_renders(self):
        self._mock([volume(2)], [snapshot(2, 'vol-2', 'yesterday', ONE)])
        self.mock_schedule_list.return_value = [schedule(ONE, resources=('vol-2',))]
        with ALL_SERVICES, FROZEN:
            response = self.client.get(INDEX_URL)
        self.assertEqual(200, response.status_code)
        self.assertIn('nightly', cell(response, 'vol-2'))
        self.assertNotIn('Overdue', cell(response, 'vol-2'))

    @helpers.create_mocks(LISTS)
    def test_a_schedule_of_another_resource_type_covers_no_volume(self):
        share_schedule = schedule(ONE, resources=('vol-1',))
        share_schedule.resource_type = 'OS::Manila::Share'
        response = self._page([share_schedule])
        self.assertEqual('None', cell(response, 'vol-1'))

    @helpers.create_mocks(LISTS)
    def test_the_page_makes_one_schedule_list_however_many_schedules(self):
        counts = []
        for count in (1, 30):
            self._reset()
            self._page([schedule('%032x' % index, name='s%d' % index,
                                 resources=('vol-1', 'vol-2')) for index in range(count)])
            counts.append(self.calls())
        self.assertEqual(counts[0], counts[1])
        self.assertEqual(1, counts[1]['schedule_list'])

    @helpers.create_mocks(LISTS)
    def test_a_row_poll_shows_the_pages_schedules_with_one_call(self):
        page = self._page([schedule(ONE, name='nightly', resources=('vol-2',))])
        url = update_urls(page, 'volumes')['vol-2']
        self._reset()
        self.mock_volume_get.return_value = volume(2)
        with ALL_SERVICES, FROZEN:
            polled = self.client.get(url, **AJAX)
        self.assertEqual({'volume_get': 1}, self.calls())
        content = html.unescape(polled.content.decode())
        for text in ('<a href="%s">nightly</a>' % reverse(DETAIL, args=(ONE,)),
                     BERLIN_NEXT_RUN, '>Overdue</span>', 'No point since Nov. 30, 2026'):
            self.assertIn(text, content)
        # The next poll's URL carries the same again.
        self.assertIn(url.partition('?')[2], content)

    @helpers.create_mocks(LISTS)
    def test_a_row_poll_with_no_or_a_forged_schedules_value_says_unknown_and_reads_none(self):
        self.mock_volume_get.return_value = volume(2)
        for forged in (None, '<script>', '[["not-an-id", "x", null, null, null]]',
                       '[["%s", "<b>x</b>", "yesterday", null, null]]' % ONE,
                       '[["%s", "<b>x</b>", null, "2026-12-02T02:30:00", null]]' % ONE,
                       '[["%s", "<b>x</b>", null, 5, null]]' % ONE, '[[1, 2]]', '"x"'):
            params = {'action': 'row_update', 'table': 'volumes', 'obj_id': 'vol-2',
                      'newest': 'none'}
            if forged is not None:
                params['schedules'] = forged
            with ALL_SERVICES:
                response = self.client.get(INDEX_URL, params, **AJAX)
            self.assertContains(response, 'Unknown')
            self.assertNotContains(response, '<script>')
            self.assertNotContains(response, '<b>x</b>')
        self.mock_schedule_list.assert_not_called()

    @helpers.create_mocks(LISTS)
    def test_workflow_service_down_is_a_banner_and_the_page_renders(self):
        self._mock([volume(1)])
        self.mock_schedule_list.side_effect = mistral_base.APIException(503, 'down')
        with ALL_SERVICES:
            response = self.client.get(INDEX_URL)
        self.assertEqual(200, response.status_code)
        self.assertMessageCount(response, error=1)
        self.assertContains(response, 'Unable to retrieve the protection schedules.')
        self.assertEqual('Unknown', cell(response, 'vol-1'))
        self.assertEqual(1, len(rows(response, 'volumes')))

    @helpers.create_mocks(LISTS)
    def test_without_the_workflow_service_no_column_no_call_and_a_note(self):
        self._mock([volume(1)])
        with NO_MISTRAL:
            response = self.client.get(INDEX_URL)
        self.assertEqual(200, response.status_code)
        self.assertNotIn('schedules', response.context['volumes_table'].columns)
        self.assertContains(response, 'Protection schedules are unavailable')
        self.mock_schedule_list.assert_not_called()
        self.assertNotIn('schedules=', ''.join(update_urls(response, 'volumes').values()))

    @helpers.create_mocks(LISTS)
    def test_without_the_list_rules_no_column_and_no_call(self):
        self._mock([volume(1)])
        with ALL_SERVICES, service_policy('workflow', {'cron_triggers:list': 'role:admin',
                                                       'workflows:list': 'role:member',
                                                       'executions:list': 'role:member'}):
            response = self.client.get(INDEX_URL)
        self.assertNotIn('schedules', response.context['volumes_table'].columns)
        self.assertNotContains(response, 'Protection schedules are unavailable')
        self.mock_schedule_list.assert_not_called()


class AdminScheduleColumnTests(PageMixin, helpers.BaseAdminViewTests):

    @helpers.create_mocks(LISTS)
    def test_admin_page_lists_every_projects_schedules_and_names_them_unlinked(self):
        self._mock([volume(1)])
        self.mock_schedule_list.return_value = [schedule(ONE, name='nightly',
                                                         resources=('vol-1',))]
        with ALL_SERVICES:
            response = self.client.get(ADMIN_URL)
        self.mock_schedule_list.assert_called_once_with(mock.ANY, all_projects=True,
                                                        with_runs=False)
        text = cell(response, 'vol-1')
        self.assertIn('nightly', text)
        self.assertNotIn('<a href', text)


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize('pattern, created, newest, now, missed', [
    # Daily at 02:30: yesterday's run was due by today's 03:30.
    ('30 2 * * *', None, None, '2026-12-03 18:00', '2026-12-02 02:30'),
    ('30 2 * * *', None, '2026-12-02 02:31', '2026-12-03 18:00', None),
    ('30 2 * * *', None, '2026-12-02 02:30', '2026-12-03 18:00', None),
    ('30 2 * * *', None, '2026-12-01 02:31', '2026-12-03 18:00', '2026-12-02 02:30'),
    # A failed run is tolerated until the next one and an hour are past.
    ('30 2 * * *', None, '2026-12-02 02:31', '2026-12-04 02:30', None),
    ('30 2 * * *', None, '2026-12-02 02:31', '2026-12-04 03:29', None),
    ('30 2 * * *', None, '2026-12-02 02:31', '2026-12-04 03:30', '2026-12-03 02:30'),
    ('30 2 * * *', None, '2026-12-02 02:31', '2026-12-05 02:30', '2026-12-03 02:30'),
    # A schedule made after the due run promised nothing yet.
    ('30 2 * * *', '2026-12-02 12:00', None, '2026-12-03 18:00', None),
    ('30 2 * * *', '2026-12-02 02:00', None, '2026-12-03 18:00', '2026-12-02 02:30'),
    # Every ten minutes: 70 minutes without a point.
    ('*/10 * * * *', None, '2026-12-03 16:50', '2026-12-03 18:05', None),
    ('*/10 * * * *', None, '2026-12-03 16:49', '2026-12-03 18:05', '2026-12-03 16:50'),
    ('* * * * *', None, '2026-12-03 16:59', '2026-12-03 18:00', None),
    ('* * * * *', None, '2026-12-03 16:58', '2026-12-03 18:00', '2026-12-03 16:59'),
    # Weekdays: Friday's run has the weekend as its grace.
    ('0 3 * * 1-5', None, '2026-12-04 03:01', '2026-12-07 02:00', None),
    ('0 3 * * 1-5', None, '2026-12-03 03:01', '2026-12-07 03:59', None),
    ('0 3 * * 1-5', None, '2026-12-03 03:01', '2026-12-07 04:00', '2026-12-04 03:00'),
    # A pattern croniter does not read promises nothing.
    ('not a pattern', None, None, '2026-12-03 18:00', None),
])
def test_overdue_rule(pattern, created, newest, now, missed):
    assert overdue.missed_run(pattern, created and at(created), newest and at(newest),
                              at(now)) == (missed and at(missed))
