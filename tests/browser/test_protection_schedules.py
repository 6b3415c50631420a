"""A protection schedule clicked through as demo, against the real Mistral and Cinder.

create a schedule (a bad cron pattern first: a field error and nothing made),
see its preview and next runs, run it now, watch its snapshot turn available
in the Volume Snapshots panel, see it named on the volume's row of Protectable
Resources, edit its pattern and retention, delete the
schedule (its snapshot stays).
"""

from __future__ import annotations

import uuid

import pytest
from cinderclient import exceptions as cinder_exc
from selenium.webdriver.common.by import By

from protection_dashboard import api
from protection_dashboard.schedules import retention
from tests.browser import pages
from tests.integration import horizon_request
from tests.integration.deletion import delete_created
from tests.polling import wait_status

pytestmark = pytest.mark.browser

SCHEDULES = '/project/protection_schedules/'
SNAPSHOTS = '/project/volume_snapshots/'
PROTECTABLES = '/project/protectables/'
PREFIX = 'bt-schedule-'


@pytest.fixture
def made(cloud_info):
    """Volumes the test registers; after it, the schedules named ``bt-schedule-...``,
    then every snapshot of those volumes, then the volumes are deleted."""
    created = {'volumes': []}
    yield created
    request = horizon_request.login(cloud_info, 'demo')
    for schedule in api.mistral.schedule_list(request):
        if schedule.name.startswith(PREFIX):
            api.mistral.schedule_delete(request, schedule.id)
    client = api.cinder.cinderclient(request)
    snapshots = [s.id for volume_id in created['volumes']
                 for s in client.volume_snapshots.list(search_opts={'volume_id': volume_id})]
    delete_created((
        (snapshots, client.volume_snapshots, {'available', 'error'}, cinder_exc.NotFound),
        (created['volumes'], client.volumes, {'available', 'error'}, cinder_exc.NotFound)))


def shown_options(modal, select_id):
    """The values of a select's options that its form shows (not in a hidden group)."""
    return {option.get_attribute('value') for option in modal.find_elements(
        By.CSS_SELECTOR, '#%s optgroup:not([hidden]) option' % select_id)}


def test_create_run_now_and_delete_a_schedule(browser, dashboard_url, cloud_info, made):
    request = horizon_request.login(cloud_info, 'demo')
    cinder = api.cinder.cinderclient(request)
    volume = cinder.volumes.create(size=1, name='bt-sched-vol-%s' % uuid.uuid4().hex[:6])
    made['volumes'].append(volume.id)
    wait_status(lambda: cinder.volumes.get(volume.id), 'available', 'volume')
    name = PREFIX + uuid.uuid4().hex[:6]

    pages.login(browser, dashboard_url, cloud_info['users']['demo'])
    pages.open_panel(browser, dashboard_url, SCHEDULES)
    pages.click_table_action(browser, 'schedules', 'Create Schedule')
    modal = pages.wait_for_modal(browser)
    runs = modal.find_elements(By.CSS_SELECTOR, '.schedule-next-runs li')
    assert len(runs) == 3 and all(run.text.strip() for run in runs), modal.text
    # share snapshots too (the local cloud's Mistral has the dashboard's actions installed),
    # and server backups
    offered = {option.get_attribute('value')
               for option in modal.find_elements(By.CSS_SELECTOR, '#id_plugin option')}
    assert {'volume_snapshot', 'volume_backup', 'share_snapshot', 'server_backup'} <= offered, \
        offered
    # A protection's options show while it is chosen: a backup's container, a server
    # backup's user data and attached volumes.
    container = modal.find_element(By.ID, 'id_volume_backup__container')
    user_data_box = modal.find_element(By.ID, 'id_server_backup__enable_server_snapshot')
    # the theme hides the checkbox itself and shows its form group's label
    user_data = user_data_box.find_element(By.XPATH, "ancestor::div[contains(@class, "
                                                     "'form-group')][1]")
    pages.fill_modal_form(browser, {'plugin': 'volume_backup'})
    assert container.is_displayed() and not user_data.is_displayed()
    # Choosing servers shows only the servers and their protection, which is chosen
    # (the backup's was of volumes), with its options.
    pages.fill_modal_form(browser, {'resource_type': 'OS::Nova::Server'})
    servers = shown_options(modal, 'id_resources')
    assert cloud_info['seed']['server']['id'] in servers and volume.id not in servers
    assert shown_options(modal, 'id_plugin') == {'server_backup'}
    assert modal.find_element(By.ID, 'id_plugin').get_attribute('value') == 'server_backup'
    assert user_data.is_displayed() and user_data_box.is_selected()
    assert not container.is_displayed()
    pages.snap_element(pages.wait_for_modal(browser), 'schedule-create-options')
    pages.fill_modal_form(browser, {'resource_type': 'OS::Cinder::Volume'})
    assert volume.id in shown_options(modal, 'id_resources')
    assert cloud_info['seed']['server']['id'] not in shown_options(modal, 'id_resources')
    assert {'volume_snapshot', 'volume_backup'} == shown_options(modal, 'id_plugin')
    pages.fill_modal_form(browser, {'plugin': 'volume_snapshot'})
    assert not (container.is_displayed() or user_data.is_displayed())
    fields = {'schedule_name': name, 'resource_type': 'OS::Cinder::Volume',
              'resources': volume.id, 'plugin': 'volume_snapshot',
              'cron_pattern': '61 2 * * *', 'keep_newest': 2, 'keep_daily': 7}
    pages.submit_modal_form(browser, fields)
    assert 'minute' in pages.field_error(browser, 'cron_pattern').lower()
    assert name not in [s.name for s in api.mistral.schedule_list(request)]

    # The posted pattern, once valid, is previewed again with its next runs.
    pages.snap(browser, 'schedule-create-bad-pattern')
    pages.fill_modal_form(browser, {'cron_pattern': '30 2 * * *'})
    pages.submit_modal_form(browser, {'schedule_name': '   '})
    assert 'required' in pages.field_error(browser, 'schedule_name').lower()
    preview = pages.wait_for_modal(browser).find_element(By.CSS_SELECTOR, '.schedule-preview')
    assert '30 2 * * *' in preview.text
    pages.snap(browser, 'schedule-create-preview')

    pages.submit_modal_form(browser, {'schedule_name': name, 'resources': volume.id})
    pages.wait_for_alert(browser, 'success', contains=name)
    assert pages.url_path(browser) == SCHEDULES
    cells = pages.row_cells(browser, 'schedules', name)
    assert '30 2 * * *' in ' '.join(cells.values()), cells
    assert volume.name in ' '.join(cells.values()), cells

    pages.click_row_action(browser, 'schedules', name, 'Run Schedule Now')
    pages.wait_for_alert(browser, 'success', contains='Started a run')
    pages.snap(browser, 'schedule-run-now')

    pages.open_panel(browser, dashboard_url, SNAPSHOTS)
    pages.wait_for_row_status(browser, 'volume_snapshots', name, 'Available')
    (point,) = cinder.volume_snapshots.list(search_opts={'volume_id': volume.id})
    schedule_id = point.metadata[retention.SCHEDULE_TAG]

    # Protectables names the schedule covering the volume, links it, times its next run,
    # and flags nothing: the schedule's own point is there.
    pages.open_panel(browser, dashboard_url, PROTECTABLES)
    covers = pages.row_cells(browser, 'volumes', volume.name)['Schedule']
    assert name in covers and 'next run' in covers and 'Overdue' not in covers, covers
    link = browser.find_element(By.XPATH, "//table[@id='volumes']//a[text()='%s']" % name)
    assert link.get_attribute('href').endswith('%s%s/' % (SCHEDULES, schedule_id))

    # Edit: the form holds the schedule; the type and the protection cannot change.
    pages.open_panel(browser, dashboard_url, SCHEDULES)
    pages.click_row_action(browser, 'schedules', name, 'Edit Schedule')
    modal = pages.wait_for_modal(browser)
    assert modal.find_element(By.ID, 'id_cron_pattern').get_attribute('value') == '30 2 * * *'
    assert modal.find_element(By.ID, 'id_keep_daily').get_attribute('value') == '7'
    assert not modal.find_element(By.ID, 'id_plugin').is_enabled()
    pages.submit_modal_form(browser, {'cron_pattern': '15 4 * * 1', 'keep_newest': 1})
    pages.wait_for_alert(browser, 'success', contains='Updated schedule')
    cells = pages.row_cells(browser, 'schedules', name)
    assert '15 4 * * 1' in ' '.join(cells.values()), cells
    (edited,) = [s for s in api.mistral.schedule_list(request) if s.name == name]
    assert (edited.id, edited.pattern, edited.keep_newest) == (schedule_id, '15 4 * * 1', 1)
    assert edited.keep_periods == {'daily': 7, 'weekly': 0, 'monthly': 0}

    pages.click_row_action(browser, 'schedules', name, 'Delete Schedule')
    pages.confirm_action(browser)
    pages.wait_for_row_gone(browser, 'schedules', name)
    assert schedule_id not in [s.id for s in api.mistral.schedule_list(request)]
    assert cinder.volume_snapshots.get(point.id).status == 'available'
