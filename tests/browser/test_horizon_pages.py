"""Horizon's own project pages work on the dev site against the local cloud (issue 8):
Overview, Volumes, Images, Instances and Networks, as demo, with no error message."""

import pytest
from selenium.common.exceptions import TimeoutException

from tests.browser import pages

pytestmark = pytest.mark.browser

# path, heading, what the page shows once its data is in (a seeded name, or a section)
PAGES = [
    ('/project/', 'Overview', 'Limit Summary'),
    ('/project/volumes/', 'Volumes', 'seed-volume-available'),
    ('/project/images/', 'Images', 'tiny-image'),  # an Angular table, filled by ajax
    ('/project/instances/', 'Instances', 'seed-server'),
    ('/project/networks/', 'Networks', 'seed-network'),
]


def problems_of(browser, path, heading):
    found = []
    if pages.url_path(browser).rstrip('/') != path.rstrip('/'):  # Angular drops the '/'
        found.append('redirected to %s' % browser.current_url)
    if pages.error_page(browser):
        found.append('error page: %s' % pages.error_page(browser))
    if pages.page_title(browser) != heading:
        found.append('heading %r' % pages.page_title(browser))
    found += ['error message: %s' % text for text in pages.alerts(browser, 'error')]
    return found


def test_demo_opens_horizons_project_pages(browser, dashboard_url, cloud_info):
    pages.login(browser, dashboard_url, cloud_info['users']['demo'])
    problems = {}
    for path, heading, content in PAGES:
        pages.open_panel(browser, dashboard_url, path)
        found = []
        try:
            pages.wait_for_text(browser, content)
        except TimeoutException as exc:
            found.append(str(exc))
        found += problems_of(browser, path, heading)
        if found:
            problems[path] = found
            pages.snap(browser, 'horizon-page-%s' % path.strip('/').replace('/', '-'))
    assert not problems
