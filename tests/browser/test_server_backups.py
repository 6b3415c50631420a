"""Server backups clicked through as demo, against the real Nova, Glance and Cinder.

One round trip on a server of the test's own (booted without a volume: volume
backups are covered by the integration tests): back it up from Protectables
with its user data, see the row turn available, restore it to a new server
(the row poll boots it and finishes the restore without a reload), then
delete the backup after a confirmation that lists its parts.
"""

from __future__ import annotations

import uuid

import pytest

from tests.browser import pages
from tests.integration import horizon_request
from tests.integration.server_backups import Made

pytestmark = pytest.mark.browser

PROTECTABLES = '/project/protectables/'
BACKUPS = '/project/server_backups/'
SLOW = 120


@pytest.fixture
def made(cloud_info):
    """Everything named ``bt-sb-<id>-``; deleted afterwards with a fresh token (the
    browser's logout ends the session's)."""
    prefix = 'bt-sb-%s-' % uuid.uuid4().hex[:6]
    yield Made(horizon_request.login(cloud_info, 'demo'), prefix)
    Made(horizon_request.login(cloud_info, 'demo'), prefix).delete_all()


@pytest.fixture
def server(made, cloud_info):
    return made.boot_server(cloud_info)


def test_back_up_restore_and_delete_a_server(browser, dashboard_url, cloud_info, made,
                                             server):
    backup_name = made.prefix + 'backup'
    restored_name = made.prefix + 'restored'
    pages.login(browser, dashboard_url, cloud_info['users']['demo'])
    pages.open_panel(browser, dashboard_url, PROTECTABLES)

    pages.click_row_action(browser, 'servers', server.name, 'Back Up Server')
    modal = pages.wait_for_modal(browser)
    assert 'the user data is NOT included' in modal.text
    assert browser.find_element('id', 'id_enable_server_snapshot').is_selected()
    pages.snap(browser, 'server-backup-form')
    pages.submit_modal_form(browser, {'name': backup_name})
    pages.wait_for_alert(browser, 'success', contains=backup_name)
    assert pages.url_path(browser) == BACKUPS
    pages.wait_for_row_status(browser, 'server_backups', backup_name, 'Available',
                              timeout=SLOW)
    cells = pages.row_cells(browser, 'server_backups', backup_name)
    assert (cells['Server'], cells['Parts']) == (server.name, 'server image')
    pages.snap(browser, 'server-backups')

    pages.click_row_action(browser, 'server_backups', backup_name, 'Restore Backup')
    pages.submit_modal_form(browser, {'name': restored_name})
    pages.wait_for_alert(browser, 'success', contains=restored_name)
    browser.execute_script('window.pdNotReloaded = true;')
    # The row poll sees the new server run and ends the restore, without a reload.
    pages.wait_for_alert(browser, 'success', contains='restored from backup', timeout=SLOW)
    pages.wait_for_row_status(browser, 'server_backups', backup_name, 'Available',
                              timeout=SLOW)
    assert browser.execute_script('return window.pdNotReloaded === true;')
    nova, _glance, _cinder = made.clients()
    (restored,) = [s for s in nova.servers.list() if s.name == restored_name]
    assert restored.status == 'ACTIVE'

    pages.click_row_action(browser, 'server_backups', backup_name, 'Delete Server Backup')
    confirm = pages.wait_for_modal(browser, form=False)
    assert 'server image' in confirm.text and backup_name in confirm.text
    pages.confirm_action(browser)
    pages.wait_for_row_gone(browser, 'server_backups', backup_name, timeout=SLOW)
    assert made.count() == {'servers': 2, 'images': 0, 'backups': 0, 'volumes': 0}
