"""Share snapshot and server backup schedules clicked through as demo, against the
real Mistral, Manila, Nova and Glance.

For each kind, on a seeded resource: create the schedule in the form, run it now,
see the run succeed on the schedule's page and its point, named after the schedule,
turn available in the point's panel; then delete the schedule with its points
(confirmed) and see the point go.  Share schedules run the dashboard's actions
installed into the local cloud's Mistral (the form offers them only then).
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from manilaclient.common.apiclient import exceptions as manila_exc
from selenium.webdriver.common.by import By

from protection_dashboard import api
from tests.browser import pages
from tests.integration import horizon_request
from tests.integration.deletion import delete_created
from tests.integration.server_backups import Made

pytestmark = pytest.mark.browser

SCHEDULES = '/project/protection_schedules/'
#: Once a year: the test's run is started by "run now".
NOT_SOON = '0 0 1 1 *'
#: A run under the trust signs in for each action; a server image takes longer.
RUN_WAIT = 180

_RUNS = """
return Array.from(document.querySelectorAll('table#runs tbody tr:not(.empty)'))
    .map(tr => tr.textContent.trim().replace(/\\s+/g, ' '));
"""
_POINTS = """
return Array.from(document.querySelectorAll('table.schedule-points tbody tr'))
    .map(tr => Array.from(tr.cells).map(td => td.textContent.trim()));
"""


@pytest.fixture
def prefix(cloud_info):
    """A unique name prefix; afterwards demo's schedules named with it are deleted,
    then their share snapshots, server backup records and images (each kind tried)."""
    prefix = 'bt-sched-%s-' % uuid.uuid4().hex[:6]
    yield prefix
    request = horizon_request.login(cloud_info, 'demo')  # the browser's logout ends its token
    for schedule in api.mistral.schedule_list(request, with_runs=False):
        if schedule.name.startswith(prefix):
            api.mistral.schedule_delete(request, schedule.id)
    manila = api.manila.manilaclient(request)
    try:
        delete_created([([s.id for s in manila.share_snapshots.list()
                          if (s.name or '').startswith(prefix)],
                         manila.share_snapshots, {'available', 'error'}, manila_exc.NotFound)])
    finally:
        Made(request, prefix).delete_all()


def wait_for_run_success(browser, name: str) -> list[str]:
    """On the schedule's page, whose run row polls until the run ends (no reload): its
    runs, once one succeeded (a failed run fails at once, with the service's error as
    the page shows it). Then the page is loaded again, to list the run's points."""
    def succeeded(b):
        runs = b.execute_script(_RUNS)
        assert not any('Error' in run for run in runs), runs
        return runs if any('Success' in run for run in runs) else None

    runs = pages.wait_until(browser, succeeded, RUN_WAIT,
                            lambda: 'no successful run of %r: %r' % (
                                name, browser.execute_script(_RUNS)))
    browser.refresh()
    pages.wait_for_page(browser)
    return runs


def open_schedule(browser, name: str) -> None:
    """Click the schedule's name in its row (found afresh: the row poll replaces it
    while the run is under way) and wait for the schedule's page."""
    def clicked(b):
        pages.click(b, b.find_element(By.XPATH, "//table[@id='schedules']//a[text()='%s']"
                                      % name))
        return True

    pages.wait_until(browser, clicked, message='no link %r in the schedules table' % name)
    pages.wait_until(browser, lambda b: pages.page_title(b) == name,
                     message=lambda: 'not the page of %r: %r' % (name, pages.page_title(browser)))


def create_run_and_delete(browser, dashboard_url, cloud_info, name, fields, panel, table):
    """The round trip of one schedule; ``fields``: its resource type, resources and
    plugin; ``panel``/``table``: where its point is listed."""
    pages.login(browser, dashboard_url, cloud_info['users']['demo'])
    pages.open_panel(browser, dashboard_url, SCHEDULES)
    pages.click_table_action(browser, 'schedules', 'Create Schedule')
    pages.submit_modal_form(browser, dict(fields, schedule_name=name, cron_pattern=NOT_SOON,
                                          keep_newest=1))
    pages.wait_for_alert(browser, 'success', contains=name)
    pages.click_row_action(browser, 'schedules', name, 'Run Schedule Now')
    pages.wait_for_alert(browser, 'success', contains='Started a run')

    open_schedule(browser, name)
    runs = wait_for_run_success(browser, name)
    assert len(runs) == 1, runs
    # the point it made: its name, and when it was made (the service's time, read)
    ((point_name, _status, created),) = browser.execute_script(_POINTS)
    assert point_name == name and str(datetime.date.today().year) in created, created
    pages.snap(browser, '%s-schedule-run' % fields['plugin'])

    pages.open_panel(browser, dashboard_url, panel)
    pages.wait_for_row_status(browser, table, name, 'Available', timeout=RUN_WAIT)

    pages.open_panel(browser, dashboard_url, SCHEDULES)
    pages.click_row_action(browser, 'schedules', name, 'Delete Schedule and Its Points')
    pages.confirm_action(browser)
    pages.wait_for_alert(browser, 'success', contains=name)
    pages.wait_for_row_gone(browser, 'schedules', name)
    pages.open_panel(browser, dashboard_url, panel)
    pages.wait_for_row_gone(browser, table, name, timeout=RUN_WAIT)


def test_a_share_snapshot_schedule_of_a_seeded_share(browser, dashboard_url, cloud_info,
                                                     prefix):
    create_run_and_delete(
        browser, dashboard_url, cloud_info, prefix + 'share',
        {'resource_type': 'OS::Manila::Share', 'plugin': 'share_snapshot',
         'resources': cloud_info['seed']['share_1']['id']},
        '/project/share_snapshots/', 'share_snapshots')


def test_a_server_backup_schedule_of_the_seeded_server(browser, dashboard_url, cloud_info,
                                                       prefix):
    create_run_and_delete(
        browser, dashboard_url, cloud_info, prefix + 'server',
        {'resource_type': 'OS::Nova::Server', 'plugin': 'server_backup',
         'resources': cloud_info['seed']['server']['id']},
        '/project/server_backups/', 'server_backups')
