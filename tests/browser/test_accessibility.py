"""axe-core on every page of ours: 0 serious or critical violations.

The pages are found, not listed: every panel the plugin registers in Horizon (any
dashboard, any panel group), as demo for the Project dashboard and as admin for the
others; on each panel its index page, every modal form its tables' actions open
(one per table and action), and the first detail page its rows link to. A new panel,
action or detail page is checked without touching this file. Horizon's own chrome
is left out (tests/browser/axe.py and doc/source/contributor/accessibility.md).
"""

from __future__ import annotations

import uuid

import horizon
import pytest
from cinderclient import exceptions as cinder_exc
from django.urls import get_resolver

from protection_dashboard import api
from protection_dashboard.protection import base as protection_base
from tests.browser import axe, pages
from tests.integration import horizon_request
from tests.integration.server_backups import Made
from tests.polling import wait_gone, wait_status

pytestmark = pytest.mark.browser

#: Backups take 10-40 s on a loaded machine.
SLOW = 240

# One entry per table and action label: the ajax-modal links of the page.
_MODAL_LINKS = """
const seen = new Set(), out = [];
for (const a of document.querySelectorAll('#content_body table a.ajax-modal[href]')) {
  const table = a.closest('table').id, label = a.textContent.trim();
  if (a.classList.contains('disabled') || seen.has(table + label)) continue;
  seen.add(table + label);
  out.push({table: table, label: label, href: a.getAttribute('href')});
}
return out;
"""
_CLICK = """
const a = document.querySelector('#content_body a.ajax-modal[href="' + arguments[0] + '"]');
a.click();
"""
_DETAIL_LINK = """
const base = arguments[0];
const a = Array.from(document.querySelectorAll('#content_body table tbody td a[href]'))
  .find(a => !a.classList.contains('ajax-modal') && a.pathname.startsWith(base)
        && a.pathname !== base);
return a ? a.pathname : null;
"""


def our_panels() -> list[tuple[str, str]]:
    """(dashboard slug, index URL) of every panel of this plugin registered in Horizon."""
    get_resolver().url_patterns  # noqa: B018 (loading Horizon's URLs registers the panels)
    return [(dashboard.slug, panel.get_absolute_url())
            for dashboard in horizon.get_dashboards()
            for panel in dashboard.get_panels()
            if type(panel).__module__.startswith('protection_dashboard.')]


class Audit:
    """The pages checked and the violations found, by page."""

    def __init__(self, browser):
        self.browser = browser
        self.checked: list[str] = []
        self.found: list[str] = []

    def check(self, where: str, within: str | None = None) -> None:
        assert not pages.error_page(self.browser), '%s is an error page' % where
        self.checked.append(where)
        found = axe.violations(self.browser, within)
        if found:
            self.found.append(axe.report(where, found))

    def panel(self, dashboard_url: str, url: str) -> None:
        pages.open_panel(self.browser, dashboard_url, url)
        assert pages.url_path(self.browser) == url, 'not allowed: %s' % url
        self.check(url)
        detail = self.browser.execute_script(_DETAIL_LINK, url)
        for link in self.browser.execute_script(_MODAL_LINKS):
            self.browser.execute_script(_CLICK, link['href'])
            pages.wait_for_modal(self.browser, form=False)
            self.check('%s modal %r of table %r' % (url, link['label'], link['table']),
                       within='#modal_wrapper')
            pages.close_modal(self.browser)
        if detail:
            pages.open_panel(self.browser, dashboard_url, detail)
            self.check(detail)


@pytest.fixture(scope='module')
def backup(cloud_info):
    """An available volume backup of demo's own volume, so the backups panel has a row
    with a detail page and a restore form; deleted afterwards."""
    cinder = api.cinder.cinderclient(horizon_request.login(cloud_info, 'demo'))
    suffix = uuid.uuid4().hex[:6]
    volume = cinder.volumes.create(size=1, name='bt-a11y-vol-%s' % suffix)
    try:
        wait_status(lambda: cinder.volumes.get(volume.id), 'available', 'volume')
        created = cinder.backups.create(volume.id, name='bt-a11y-backup-%s' % suffix)
        try:
            yield wait_status(lambda: cinder.backups.get(created.id), 'available', 'backup',
                              timeout=SLOW)
        finally:
            wait_status(lambda: cinder.backups.get(created.id), ('available', 'error'),
                        'backup', timeout=SLOW)
            cinder.backups.delete(created.id)
            wait_gone(lambda: cinder.backups.get(created.id), cinder_exc.NotFound, SLOW)
    finally:
        wait_status(lambda: cinder.volumes.get(volume.id), ('available', 'error'), 'volume',
                    timeout=SLOW)
        cinder.volumes.delete(volume.id)


@pytest.fixture(scope='module')
def server_backup(cloud_info):
    """An available server backup of a server of its own, so the server backups panel
    has a row with a detail page and a restore form; both deleted afterwards."""
    made = Made(horizon_request.login(cloud_info, 'demo'),
                'bt-a11y-sb-%s-' % uuid.uuid4().hex[:6])
    try:
        server = made.boot_server(cloud_info)
        plugin = protection_base.get('server_backup')
        record = plugin.protect(horizon_request.fresh(made.demo), server.id, {
            'name': made.prefix + 'backup', 'enable_server_snapshot': True})
        yield wait_status(lambda: plugin.get_point(horizon_request.fresh(made.demo),
                                                   record.id), 'available', 'server backup')
    finally:
        made.delete_all()


@pytest.mark.parametrize('user', ['demo', 'admin'])
def test_our_pages_have_no_serious_violations(browser, dashboard_url, cloud_info, backup,
                                              server_backup, user):
    panels = [url for dashboard, url in our_panels() if (dashboard == 'project') == (
        user == 'demo')]
    assert panels, 'no panel of ours registered for %s' % user
    pages.login(browser, dashboard_url, cloud_info['users'][user])
    audit = Audit(browser)
    for url in panels:
        audit.panel(dashboard_url, url)
    print('\n'.join(['axe-core checked %d pages as %s:' % (len(audit.checked), user),
                     *audit.checked]))
    assert not audit.found, '\n'.join(audit.found)
