"""Logging in and finding the Protection panels, as demo and as admin."""

import re

import pytest
import requests

from tests.browser import pages

pytestmark = pytest.mark.browser

PROJECT_PANEL = '/project/protectables/'
ADMIN_PANEL = '/admin/protection_protectables/'
PROJECT_TITLE = 'Protectable Resources'
ADMIN_TITLE = 'Protectable Resources of All Projects'
TABLES = {'volumes': 'Volumes', 'shares': 'Shares', 'servers': 'Servers'}


def seeded(cloud_info, key_pattern):
    """Names of the seeded resources whose key in ``cloud_info['seed']`` matches
    ``key_pattern`` (e.g. ``volume_.*``: demo's volumes, ``share_\\d+``, ``server``,
    ``admin_volume``); fails when the seed holds none, so no check passes empty."""
    seed = cloud_info.get('seed') or {}
    names = sorted(item['name'] for key, item in seed.items()
                   if re.fullmatch(key_pattern, key) and isinstance(item, dict)
                   and str(item.get('name', '')).startswith('seed-'))
    assert names, 'the seed holds no %r: run python3 -m localcloud seed' % key_pattern
    return names


def assert_table_headings(browser):
    titles = pages.table_titles(browser)
    missing = [h for h in TABLES.values() if not any(t.startswith(h) for t in titles)]
    assert not missing, (
        'table headings %r not rendered (shown: %r); Horizon hides a table\'s caption '
        'title unless its Meta sets hidden_title = False' % (missing, titles))


def test_demo_sees_protectable_resources(browser, dashboard_url, cloud_info):
    pages.login(browser, dashboard_url, cloud_info['users']['demo'])
    # Horizon lands on the plugin's panel after login
    assert pages.url_path(browser) == PROJECT_PANEL
    assert not pages.error_page(browser)
    assert pages.page_title(browser) == PROJECT_TITLE
    assert pages.current_user(browser) == cloud_info['users']['demo']['username']
    pages.snap(browser, 'demo-protectables')
    assert not pages.alerts(browser, 'error')
    # the page's introduction is shown (Horizon's forms script hides p.help-block)
    assert browser.execute_script(
        'var p = document.querySelector(".protection-intro");'
        'return p !== null && p.offsetParent !== null && '
        'getComputedStyle(p).color === "rgb(115, 115, 115)";')
    for table in TABLES:
        assert pages.table_row_names(browser, table) is not None, 'no table %r' % table
    # the project's own tables have no project column
    assert 'Project ID' not in pages.table_columns(browser, 'volumes')
    # the seed's resources of demo, each in its table; none of admin's
    for table, key in (('volumes', r'volume_.*'), ('shares', r'share_\d+'),
                       ('servers', 'server')):
        for name in seeded(cloud_info, key):
            pages.table_row(browser, table, name, timeout=2)
    for name in seeded(cloud_info, 'admin_volume'):
        assert name not in pages.table_row_names(browser, 'volumes')
    # the seeded snapshot's volume shows when it was protected; the attached one is not
    newest = 'Newest Protection Point'
    protected = cloud_info['seed']['volume_available']['name']
    assert pages.row_cells(browser, 'volumes', protected)[newest] not in (
        'Not protected', 'Unknown', '')
    assert 'Create Snapshot' in pages.table_row(browser, 'volumes', protected).text
    assert_table_headings(browser)


def test_admin_sees_all_projects(browser, dashboard_url, cloud_info):
    pages.login(browser, dashboard_url, cloud_info['users']['admin'])
    pages.open_panel(browser, dashboard_url, ADMIN_PANEL)
    assert pages.url_path(browser) == ADMIN_PANEL
    assert not pages.error_page(browser)
    assert pages.page_title(browser) == ADMIN_TITLE
    pages.snap(browser, 'admin-protectables')
    assert not pages.alerts(browser, 'error')
    for table in TABLES:
        assert pages.table_row_names(browser, table) is not None, 'no table %r' % table
    assert 'Project ID' in pages.table_columns(browser, 'volumes')

    # demo's seeded volumes and admin's own: rows of more than one project
    projects = set()
    for name in seeded(cloud_info, r'volume_.*') + seeded(cloud_info, 'admin_volume'):
        pages.table_row(browser, 'volumes', name, timeout=2)
        projects.add(pages.row_cells(browser, 'volumes', name)['Project ID'])
    assert len(projects) > 1, projects
    # an admin protects from the resource's own project, not from this page
    assert 'Create Snapshot' not in browser.execute_script(
        'return document.getElementById("volumes").innerText')
    assert_table_headings(browser)


def test_demo_cannot_open_admin_panel(browser, dashboard_url, cloud_info):
    pages.login(browser, dashboard_url, cloud_info['users']['demo'])
    pages.open_panel(browser, dashboard_url, ADMIN_PANEL)
    pages.snap(browser, 'demo-admin-panel-denied')
    # Horizon answers at the same URL with "You are not authorized to access this
    # page" (or sends an anonymous user to the login page)
    text = browser.execute_script('return document.body.innerText')
    assert ('not authorized' in text or pages.url_path(browser).startswith('/auth/login')), text
    assert pages.page_title(browser) != ADMIN_TITLE
    assert ADMIN_TITLE not in browser.page_source
    assert pages.table_row_names(browser, 'volumes') is None
    assert pages.current_user(browser) == cloud_info['users']['demo']['username']
    # and signing out from there ends the session
    pages.logout(browser, dashboard_url)
    pages.open_panel(browser, dashboard_url, PROJECT_PANEL)
    assert pages.url_path(browser).startswith('/auth/login')


def test_protection_group_in_project_navigation(browser, dashboard_url, cloud_info):
    pages.login(browser, dashboard_url, cloud_info['users']['demo'])
    groups = pages.sidebar_groups(browser, 'project')
    assert 'Protectable Resources' in groups.get('Protection', []), groups
    # demo has no Admin dashboard, so no admin Protection group either
    assert 'Admin' not in pages.sidebar_dashboards(browser)

    # from another panel, through the side navigation as a user would
    pages.open_panel(browser, dashboard_url, '/project/api_access/')
    pages.open_sidebar_panel(browser, 'Project', 'Protection', 'Protectable Resources')
    assert pages.url_path(browser) == PROJECT_PANEL
    assert pages.page_title(browser) == PROJECT_TITLE
    pages.snap(browser, 'demo-sidebar')


def test_no_token_in_the_session_cookie_and_security_headers(browser, dashboard_url,
                                                             cloud_info):
    pages.login(browser, dashboard_url, cloud_info['users']['demo'])
    cookie = browser.get_cookie('sessionid')
    # A session key into the server's cache, not a signed blob carrying tokens.
    assert re.fullmatch('[a-z0-9]{32}', cookie['value']), cookie['value']
    page = requests.get(dashboard_url + PROJECT_PANEL, timeout=30,
                        cookies={'sessionid': cookie['value']}, allow_redirects=False)
    assert page.status_code == 200
    assert page.headers['X-Content-Type-Options'] == 'nosniff'
    assert page.headers['Referrer-Policy'] == 'same-origin'
    assert "frame-ancestors 'self'" in page.headers['Content-Security-Policy']
    assert 'no-store' in page.headers['Cache-Control']
