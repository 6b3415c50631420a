"""Share snapshot protection clicked through as demo, against the real Manila.

Protect a share from Protectables (with a bad submit first), watch the row
turn available without a page reload, restore the snapshot to a new share,
revert the share to it (confirming only after a refused first try), and
delete the snapshot.
"""

from __future__ import annotations

import uuid

import pytest
from manilaclient.common.apiclient import exceptions as manila_exc
from selenium.webdriver.common.by import By

from protection_dashboard import api
from tests.browser import pages
from tests.integration import horizon_request
from tests.polling import wait_gone, wait_status

pytestmark = pytest.mark.browser

PROTECTABLES = '/project/protectables/'
SNAPSHOTS = '/project/share_snapshots/'
#: Set on the page after it loads; still there later = the page was not reloaded.
MARK_PAGE = 'window.__sharePageMark = true;'
PAGE_MARKED = 'return window.__sharePageMark === true;'


def unique(prefix):
    return 'bt-%s-%s' % (prefix, uuid.uuid4().hex[:6])


@pytest.fixture
def manila(cloud_info):
    """demo's Manila client; afterwards every ``bt-`` share and snapshot is deleted
    (shares made from snapshots first, then snapshots, then their shares)."""
    yield api.manila.manilaclient(horizon_request.login(cloud_info, 'demo'))
    # A fresh token: the browser's logout may have ended the first one.
    client = api.manila.manilaclient(horizon_request.login(cloud_info, 'demo'))
    shares = [s for s in client.shares.list() if (s.name or '').startswith('bt-')]
    snapshots = [s for s in client.share_snapshots.list()
                 if (s.name or '').startswith('bt-')]
    for manager, items in ((client.shares, [s for s in shares if s.snapshot_id]),
                           (client.share_snapshots, snapshots),
                           (client.shares, [s for s in shares if not s.snapshot_id])):
        for item in items:
            try:
                wait_status(lambda m=manager, i=item: m.get(i.id), ('available', 'error'))
                manager.delete(item.id)
                wait_gone(lambda m=manager, i=item: m.get(i.id), manila_exc.NotFound)
            except manila_exc.NotFound:
                pass


@pytest.fixture
def share(manila):
    created = manila.shares.create('NFS', 1, name=unique('share'))
    return wait_status(lambda: manila.shares.get(created.id), 'available', 'share')


def test_protect_restore_and_delete_a_share(browser, dashboard_url, cloud_info, manila,
                                            share):
    snapshot_name = unique('snap')
    restored_name = unique('restored')
    pages.login(browser, dashboard_url, cloud_info['users']['demo'])
    pages.open_panel(browser, dashboard_url, PROTECTABLES)

    pages.click_row_action(browser, 'shares', share.name, 'Create Share Snapshot')
    # Blanks pass the browser's own "required" check; the server must reject them.
    pages.submit_modal_form(browser, {'snapshot_name': '   ', 'description': '  '})
    assert 'required' in pages.field_error(browser, 'snapshot_name').lower()
    assert 'required' in pages.field_error(browser, 'description').lower()
    assert not manila.share_snapshots.list(search_opts={'share_id': share.id})

    pages.submit_modal_form(browser, {'snapshot_name': snapshot_name,
                                      'description': 'from the browser'})
    pages.wait_for_alert(browser, 'success', contains=snapshot_name)
    assert pages.url_path(browser) == SNAPSHOTS
    browser.execute_script(MARK_PAGE)
    pages.wait_for_row_status(browser, 'share_snapshots', snapshot_name, 'Available')
    assert browser.execute_script(PAGE_MARKED), 'the page was reloaded'
    assert pages.row_cells(browser, 'share_snapshots', snapshot_name)['Share'] == share.name
    pages.snap(browser, 'share-snapshot-available')

    pages.click_row_action(browser, 'share_snapshots', snapshot_name, 'Restore')
    modal = pages.wait_for_modal(browser)
    assert 'share type' in modal.text.lower() and 'availability zone' in modal.text.lower()
    pages.snap(browser, 'share-snapshot-restore-form')
    pages.submit_modal_form(browser, {'share_id': '', 'restore_name': restored_name})
    pages.wait_for_alert(browser, 'success', contains=restored_name)
    assert pages.url_path(browser) == PROTECTABLES
    pages.wait_for_row_status(browser, 'shares', restored_name, 'Available')
    restored = manila.shares.list(search_opts={'name': restored_name})[0]
    assert (restored.share_type, restored.availability_zone) == (share.share_type,
                                                                 share.availability_zone)

    pages.open_panel(browser, dashboard_url, SNAPSHOTS)
    pages.click_row_action(browser, 'share_snapshots', snapshot_name, 'Restore')
    modal = pages.fill_modal_form(browser, {'share_id': share.id})
    pages.wait_until(browser, lambda b: not modal.find_element(
        By.ID, 'id_restore_name').is_displayed(), message='the name field still shows')
    pages.submit_modal_form(browser)
    assert 'confirm' in pages.field_error(browser, 'confirm_revert').lower()
    pages.snap(browser, 'share-snapshot-revert-unconfirmed')
    pages.submit_modal_form(browser, {'confirm_revert': True})
    pages.wait_for_alert(browser, 'success', contains=share.name)
    assert pages.url_path(browser) == PROTECTABLES
    pages.wait_for_row_status(browser, 'shares', share.name, 'Available')
    assert manila.shares.get(share.id).status == 'available'

    pages.open_panel(browser, dashboard_url, SNAPSHOTS)
    pages.click_row_action(browser, 'share_snapshots', snapshot_name, 'Delete Share Snapshot')
    pages.confirm_action(browser)
    pages.wait_for_row_gone(browser, 'share_snapshots', snapshot_name)
