"""Volume backup protection clicked through as demo, against the real Cinder.

One round trip (backups take several seconds each here): back up a volume
from Protectables, watch the row turn available without a reload, restore
it to a new volume, delete the backup.
"""

from __future__ import annotations

import uuid

import pytest
from cinderclient import exceptions as cinder_exc

from protection_dashboard import api
from tests.browser import pages
from tests.integration import horizon_request
from tests.polling import wait_gone, wait_status

pytestmark = pytest.mark.browser

PROTECTABLES = '/project/protectables/'
BACKUPS = '/project/volume_backups/'
#: Backups and restores take 10-40 s on a loaded machine.
SLOW = 240


@pytest.fixture
def cinder(cloud_info):
    """demo's Cinder client, and cleanup of every backup and volume named ``bt-b...``."""
    yield api.cinder.cinderclient(horizon_request.login(cloud_info, 'demo'))
    # A fresh token: the browser's logout may have ended the first one.
    client = api.cinder.cinderclient(horizon_request.login(cloud_info, 'demo'))
    for backup in client.backups.list():
        if (backup.name or '').startswith('bt-b'):
            try:
                wait_status(lambda b=backup: client.backups.get(b.id), ('available', 'error'),
                            timeout=SLOW)
                client.backups.delete(backup.id)
                wait_gone(lambda b=backup: client.backups.get(b.id), cinder_exc.NotFound)
            except cinder_exc.NotFound:
                pass
    for volume in client.volumes.list():
        if (volume.name or '').startswith('bt-b'):
            wait_status(lambda v=volume: client.volumes.get(v.id), ('available', 'error'),
                        timeout=SLOW)
            client.volumes.delete(volume.id)


@pytest.fixture
def volume(cinder):
    created = cinder.volumes.create(size=1, name='bt-bvol-%s' % uuid.uuid4().hex[:6])
    wait_status(lambda: cinder.volumes.get(created.id), 'available', 'volume')
    return created


def test_back_up_restore_and_delete_a_volume(browser, dashboard_url, cloud_info, cinder,
                                            volume):
    backup_name = 'bt-backup-%s' % uuid.uuid4().hex[:6]
    restored_name = 'bt-brestored-%s' % uuid.uuid4().hex[:6]
    pages.login(browser, dashboard_url, cloud_info['users']['demo'])
    pages.open_panel(browser, dashboard_url, PROTECTABLES)

    pages.click_row_action(browser, 'volumes', volume.name, 'Create Backup')
    modal = pages.wait_for_modal(browser)
    assert 'full backup' in modal.text
    pages.submit_modal_form(browser, {'name': backup_name, 'description': 'from the browser'})
    pages.wait_for_alert(browser, 'success', contains=backup_name)
    assert pages.url_path(browser) == BACKUPS
    browser.execute_script('window.pdNotReloaded = true;')
    pages.wait_for_row_status(browser, 'volume_backups', backup_name, 'Available',
                              timeout=SLOW)
    assert browser.execute_script('return window.pdNotReloaded === true;')
    cells = pages.row_cells(browser, 'volume_backups', backup_name)
    assert (cells['Volume'], cells['Incremental'], cells['Size']) == (volume.name, 'No', '1 GiB')
    pages.snap(browser, 'volume-backup-available')

    pages.click_row_action(browser, 'volume_backups', backup_name, 'Restore Backup')
    pages.submit_modal_form(browser, {'name': restored_name})
    pages.wait_for_alert(browser, 'success', contains=restored_name)
    assert pages.url_path(browser) == PROTECTABLES
    pages.wait_for_row_status(browser, 'volumes', restored_name, 'Available', timeout=SLOW)
    pages.snap(browser, 'volume-backup-restored')

    pages.open_panel(browser, dashboard_url, BACKUPS)
    pages.wait_for_row_status(browser, 'volume_backups', backup_name, 'Available',
                              timeout=SLOW)
    pages.click_row_action(browser, 'volume_backups', backup_name, 'Delete Volume Backup')
    pages.confirm_action(browser)
    pages.wait_for_row_gone(browser, 'volume_backups', backup_name, timeout=SLOW)


def test_attached_volume_explains_force_and_refuses_without_it(browser, dashboard_url,
                                                               cloud_info, cinder):
    attached = cloud_info['seed']['volume_attached']
    pages.login(browser, dashboard_url, cloud_info['users']['demo'])
    pages.open_panel(browser, dashboard_url, PROTECTABLES)
    pages.click_row_action(browser, 'volumes', attached['name'], 'Create Backup')
    modal = pages.wait_for_modal(browser)
    assert 'temporary snapshot' in modal.text
    assert 'Create Volume Backup (Force)' in modal.get_attribute('innerHTML')
    pages.snap(browser, 'volume-backup-attached-force')

    pages.submit_modal_form(browser, {'name': 'bt-bnoforce', 'force': False})
    assert 'Check Force' in pages.field_error(browser, 'force')
    assert not [b for b in cinder.backups.list() if b.name == 'bt-bnoforce']
    pages.close_modal(browser)
