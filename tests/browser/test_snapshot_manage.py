"""Snapshot import/export clicked through as admin, against the real Cinder.

Export (unmanage) a snapshot from Admin > Protection > Volume Snapshots after
reading the confirmation's side effect, find it under Manageable Snapshots,
manage it back from its row (the form comes prefilled; a blank reference is
refused first) and watch the new row turn Available; then manage a reference
the back end does not hold and watch the row turn Error with its reason, and
unmanage that record.  demo sees none of it and is refused at the URLs.
"""

from __future__ import annotations

import uuid

import pytest
from cinderclient import exceptions as cinder_exc
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from protection_dashboard import api
from tests.browser import pages
from tests.integration import horizon_request
from tests.integration.deletion import delete_created, manage_back
from tests.polling import wait_gone, wait_status

pytestmark = pytest.mark.browser

SNAPSHOTS = '/admin/protection_volume_snapshots/'
MANAGEABLE = '/admin/protection_manageable_snapshots/'
SETTLED = ('available', 'error')


@pytest.fixture
def made(cloud_info):
    """admin's volume and snapshot.  Afterwards, even on failure: a snapshot a test left
    unmanaged (``unmanaged``: (reference, volume id)) is managed back, then every
    snapshot named in ``names`` (tests add theirs) and the volume are deleted."""
    request = horizon_request.login(cloud_info, 'admin')
    client = api.cinder.cinderclient(request)
    volume = client.volumes.create(size=1, name='bt-mvol-%s' % uuid.uuid4().hex[:6])
    things = {'volume': volume, 'names': [], 'unmanaged': [],
              'host': cloud_info['volume_backend_host'].partition('#')[0]}
    try:
        wait_status(lambda: client.volumes.get(volume.id), 'available', 'volume')
        snapshot = client.volume_snapshots.create(volume.id,
                                                  name='bt-msnap-%s' % uuid.uuid4().hex[:6])
        things['names'].append(snapshot.name)
        things['snapshot'] = wait_status(lambda: client.volume_snapshots.get(snapshot.id),
                                         'available', 'snapshot')
        yield things
    finally:
        # A fresh token: the browser's logout may have ended the first one.
        request = horizon_request.login(cloud_info, 'admin')
        client = api.cinder.cinderclient(request)
        taken_back = []
        try:
            taken_back = manage_back(request, things['host'], things['unmanaged'])
        finally:
            ours = [snapshot.id for snapshot in client.volume_snapshots.list()
                    if snapshot.name in things['names']]
            delete_created(((taken_back + ours, client.volume_snapshots, SETTLED,
                             cinder_exc.NotFound),
                            ([volume.id], client.volumes, SETTLED, cinder_exc.NotFound)))


def gone(cloud_info, snapshot_id):
    """Cinder no longer knows the snapshot (a row can also leave a table that failed
    to load)."""
    request = horizon_request.login(cloud_info, 'admin')
    wait_gone(lambda: api.cinder.volume_snapshot_get(request, snapshot_id),
              cinder_exc.NotFound)


def snap_settled(browser, name):
    """A screenshot for the docs: success messages faded, the page at its top."""
    pages.wait_until(browser, lambda b: not pages.alerts(b, 'success'), 30,
                     'the success message did not fade')
    browser.execute_script('window.scrollTo(0, 0);')
    pages.snap(browser, name)


def open_manageable_row(browser, dashboard_url, host, reference_value):
    """The Manageable Snapshots page of ``host``, chosen in its host chooser, on the
    page (of Cinder's pages) that lists ``reference_value``."""
    pages.open_sidebar_panel(browser, 'Admin', 'Protection', 'Manageable Snapshots')
    Select(browser.find_element(By.ID, 'id_host')).select_by_value(host)
    pages.click(browser, browser.find_element(
        By.CSS_SELECTOR, '.protection-host-chooser button[type=submit]'))
    pages.wait_for_page(browser)
    while reference_value not in (pages.table_row_names(browser, 'manageable_snapshots') or []):
        links = browser.find_elements(By.CSS_SELECTOR, '#manageable_snapshots tfoot a')
        following = [a for a in links if 'manageable_marker=' in (a.get_attribute('href') or '')
                     and 'prev_' not in a.get_attribute('href')]
        assert following, 'no row %r on any page' % reference_value
        pages.click(browser, following[0])
        pages.wait_for_page(browser)
    assert 'host=' in browser.current_url


def test_export_list_and_import_back(browser, dashboard_url, cloud_info, made):
    volume, snapshot, host = made['volume'], made['snapshot'], made['host']
    managed_name = 'bt-mmanaged-%s' % uuid.uuid4().hex[:6]
    made['names'].append(managed_name)
    reference_value = 'snapshot-%s' % snapshot.id
    pages.login(browser, dashboard_url, cloud_info['users']['admin'])
    groups = pages.sidebar_groups(browser, 'admin')
    assert {'Volume Snapshots', 'Manageable Snapshots'} <= set(groups.get('Protection', []))

    # Export: the confirmation states the side effect.
    pages.open_sidebar_panel(browser, 'Admin', 'Protection', 'Volume Snapshots')
    pages.click_row_action(browser, 'volume_snapshots', snapshot.name,
                           'Unmanage Volume Snapshot')
    modal = pages.wait_for_modal(browser, form=False)
    assert 'data stays on the back end' in modal.text, modal.text
    assert 'refuse to delete' in modal.text, modal.text
    pages.snap_element(modal.find_element(By.CSS_SELECTOR, '.modal-content'),
                       'snapshot-unmanage-confirm')
    pages.confirm_action(browser)
    pages.wait_for_alert(browser, 'success', contains=snapshot.name)
    made['unmanaged'].append(({'source-name': reference_value}, volume.id))
    pages.wait_for_row_gone(browser, 'volume_snapshots', snapshot.name)
    gone(cloud_info, snapshot.id)

    # The back end still holds it: listed, safe to manage, with its volume.
    open_manageable_row(browser, dashboard_url, host, reference_value)
    cells = pages.row_cells(browser, 'manageable_snapshots', reference_value)
    assert cells['Safe to Manage'] == 'Yes', cells
    assert volume.id in cells['Volume Reference'], cells
    assert cells['Size'] == '1 GiB', cells
    snap_settled(browser, 'manageable-snapshots')

    # Import: the form comes prefilled from the row; a blank reference is refused.
    pages.click_row_action(browser, 'manageable_snapshots', reference_value, 'Manage')
    modal = pages.wait_for_modal(browser)
    prefilled = {name: modal.find_element(By.ID, 'id_%s' % name).get_attribute('value')
                 for name in ('volume_id', 'ref_type', 'ref_value')}
    assert prefilled == {'volume_id': volume.id, 'ref_type': 'source-name',
                         'ref_value': reference_value}, prefilled
    pages.fill_modal_form(browser, {'name': managed_name,
                                    'description': 'imported in the browser'})
    pages.snap(browser, 'snapshot-manage-form')
    pages.submit_modal_form(browser, {'ref_value': '   '})
    assert 'required' in pages.field_error(browser, 'ref_value').lower()
    pages.submit_modal_form(browser, {'ref_value': reference_value})
    pages.wait_for_alert(browser, 'success', contains=managed_name)
    assert pages.url_path(browser) == SNAPSHOTS
    pages.wait_for_row_status(browser, 'volume_snapshots', managed_name, 'Available')
    made['unmanaged'].clear()
    cells = pages.row_cells(browser, 'volume_snapshots', managed_name)
    assert (cells['Volume ID'], cells['Size'], cells['Error Reason']) == (
        volume.id, '1 GiB', ''), cells


def test_a_reference_the_back_end_lacks_turns_error_with_its_reason(
        browser, dashboard_url, cloud_info, made):
    volume, host = made['volume'], made['host']
    failed_name = 'bt-mbadref-%s' % uuid.uuid4().hex[:6]
    made['names'].append(failed_name)
    missing = 'no-such-snapshot-%s' % uuid.uuid4().hex[:6]
    pages.login(browser, dashboard_url, cloud_info['users']['admin'])
    pages.open_panel(browser, dashboard_url, MANAGEABLE + '?host=' + host)
    pages.click_table_action(browser, 'manageable_snapshots', 'Manage Existing Snapshot')
    pages.submit_modal_form(browser, {'volume_id': volume.id, 'ref_type': 'source-name',
                                      'ref_value': missing, 'name': failed_name})
    pages.wait_for_alert(browser, 'success', contains=failed_name)
    assert pages.url_path(browser) == SNAPSHOTS
    pages.wait_for_row_status(browser, 'volume_snapshots', failed_name, 'Error', fail_on=())
    pages.filter_table(browser, 'volume_snapshots', failed_name)
    assert pages.table_row_names(browser, 'volume_snapshots') == [failed_name]
    reason = pages.row_cells(browser, 'volume_snapshots', failed_name)['Error Reason']
    assert 'Cinder could not manage "source-name: %s"' % missing in reason, reason
    snap_settled(browser, 'snapshot-manage-error')

    failed = pages.table_row(browser, 'volume_snapshots', failed_name).get_attribute(
        'data-object-id')
    pages.click_row_action(browser, 'volume_snapshots', failed_name, 'Unmanage Volume Snapshot')
    pages.confirm_action(browser)
    pages.wait_for_row_gone(browser, 'volume_snapshots', failed_name)
    gone(cloud_info, failed)


def test_demo_sees_no_admin_panel_and_is_refused(browser, dashboard_url, cloud_info):
    pages.login(browser, dashboard_url, cloud_info['users']['demo'])
    assert 'Admin' not in pages.sidebar_dashboards(browser)
    for path in (MANAGEABLE, SNAPSHOTS, MANAGEABLE + 'manage/?host=localcloud%40localfile'):
        pages.open_panel(browser, dashboard_url, path)
        text = browser.execute_script('return document.body.innerText')
        assert 'not authorized' in text, (path, text[:300])
        assert pages.table_row_names(browser, 'manageable_snapshots') is None
        assert pages.table_row_names(browser, 'volume_snapshots') is None
    pages.snap(browser, 'demo-manageable-snapshots-denied')
