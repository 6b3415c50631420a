"""Volume snapshot protection clicked through as demo, against the real Cinder.

protect a volume through the form (with a bad submit first), watch the row
turn available without reloading, restore it to a new volume, delete the
snapshot; and see the warning and "(Force)" for the attached volume.
"""

from __future__ import annotations

import uuid

import pytest
from cinderclient import exceptions as cinder_exc
from selenium.webdriver.common.by import By

from protection_dashboard import api
from tests.browser import pages
from tests.integration import horizon_request
from tests.polling import wait_status, wait_until

pytestmark = pytest.mark.browser

PROTECTABLES = '/project/protectables/'
SNAPSHOTS = '/project/volume_snapshots/'


@pytest.fixture
def cinder(cloud_info):
    """demo's Cinder client, and cleanup of every volume/snapshot named ``bt-...``."""
    yield api.cinder.cinderclient(horizon_request.login(cloud_info, 'demo'))
    # A fresh token: the browser's logout may have ended the first one.
    client = api.cinder.cinderclient(horizon_request.login(cloud_info, 'demo'))

    def gone(manager, item_id):
        try:
            manager.get(item_id)
        except cinder_exc.NotFound:
            return True
        return False

    for snapshot in client.volume_snapshots.list():
        if (snapshot.name or '').startswith('bt-'):
            wait_until(lambda s=snapshot: client.volume_snapshots.get(s.id).status
                  in ('available', 'error') or gone(client.volume_snapshots, s.id))
            if not gone(client.volume_snapshots, snapshot.id):
                client.volume_snapshots.delete(snapshot.id)
            wait_until(lambda s=snapshot: gone(client.volume_snapshots, s.id), what='snapshot gone')
    for volume in client.volumes.list():
        if (volume.name or '').startswith('bt-'):
            wait_status(lambda v=volume: client.volumes.get(v.id), ('available', 'error'))
            client.volumes.delete(volume.id)


@pytest.fixture
def volume(cinder):
    created = cinder.volumes.create(size=1, name='bt-vol-%s' % uuid.uuid4().hex[:6])
    wait_status(lambda: cinder.volumes.get(created.id), 'available', 'volume')
    return created


def test_protect_restore_and_delete_a_volume(browser, dashboard_url, cloud_info, cinder,
                                             volume):
    snapshot_name = 'bt-snap-%s' % uuid.uuid4().hex[:6]
    restored_name = 'bt-restored-%s' % uuid.uuid4().hex[:6]
    pages.login(browser, dashboard_url, cloud_info['users']['demo'])
    pages.open_panel(browser, dashboard_url, PROTECTABLES)

    pages.click_row_action(browser, 'volumes', volume.name, 'Create Snapshot')
    # Blanks pass the browser's own "required" check; the server must reject them.
    pages.submit_modal_form(browser, {'snapshot_name': '   ', 'description': 'from the browser'})
    assert 'required' in pages.field_error(browser, 'snapshot_name').lower()
    pages.snap(browser, 'volume-snapshot-missing-name')
    assert not [s for s in cinder.volume_snapshots.list() if s.volume_id == volume.id]

    pages.submit_modal_form(browser, {'snapshot_name': snapshot_name})
    pages.wait_for_alert(browser, 'success', contains=snapshot_name)
    assert pages.url_path(browser) == SNAPSHOTS
    pages.wait_for_row_status(browser, 'volume_snapshots', snapshot_name, 'Available')
    assert pages.row_cells(browser, 'volume_snapshots', snapshot_name)['Volume'] == volume.name
    pages.snap(browser, 'volume-snapshot-available')

    pages.click_row_action(browser, 'volume_snapshots', snapshot_name, 'Restore to New Volume')
    pages.submit_modal_form(browser, {'restore_name': restored_name})
    pages.wait_for_alert(browser, 'success', contains=restored_name)
    assert pages.url_path(browser) == PROTECTABLES
    pages.wait_for_row_status(browser, 'volumes', restored_name, 'Available')
    pages.snap(browser, 'volume-snapshot-restored')

    pages.open_panel(browser, dashboard_url, SNAPSHOTS)
    pages.click_row_action(browser, 'volume_snapshots', snapshot_name, 'Delete Volume Snapshot')
    pages.confirm_action(browser)
    pages.wait_for_row_gone(browser, 'volume_snapshots', snapshot_name)


def test_attached_volume_shows_warning_and_force(browser, dashboard_url, cloud_info):
    pages.login(browser, dashboard_url, cloud_info['users']['demo'])
    pages.open_panel(browser, dashboard_url, PROTECTABLES)
    pages.click_row_action(browser, 'volumes', 'seed-volume-attached', 'Create Snapshot')
    modal = pages.wait_for_modal(browser)
    assert 'attached to an instance' in modal.text
    buttons = [b.get_attribute('value') or b.text
               for b in modal.find_elements(By.CSS_SELECTOR, '[type=submit]')]
    assert any('(Force)' in label for label in buttons), buttons
    pages.snap(browser, 'volume-snapshot-attached-force')
    pages.close_modal(browser)
