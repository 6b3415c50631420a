"""Script payloads in names and descriptions never reach a page unescaped.

demo's resources carry payloads (made through the APIs), and so do its points
(made through the protect forms) and what the restore forms made here.  Every
page of ours is rendered with them: index pages, detail pages, the forms as
pages and as ajax modals, the row updates, the admin's pages of every project,
and the messages that name them.  In headless Chromium, on the dev site, the
same pages open without a JavaScript dialog.
"""

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import pages
from tests.browser.conftest import _browser_holder, browser, dashboard_url  # noqa: F401
from tests.reliability import catalog, formdata, payloads, site
from tests.reliability.world import payload_text

ROUTES = catalog.routes()
AJAX = {'HTTP_X_REQUESTED_WITH': 'XMLHttpRequest'}
#: How long a page has to show a dialog (an image's onerror fires after the load).
DIALOG_WAIT = 0.5


def checked(response) -> None:
    """Fail on a payload that reached the page intact; count the page."""
    site.FIGURES['pages checked for script injection'] += 1
    html = response.content.decode(errors='replace')
    assert not payloads.unescaped(html), (response.request['PATH_INFO'],
                                          payloads.unescaped(html))


def page_urls(world, admin: bool) -> list[str]:
    """Every page of the project's (or the admin's) panels, with demo's ids."""
    return [route.url(world.ids[route.target]) if route.kwarg else route.url()
            for route in ROUTES if route.admin is admin
            and (not route.kwarg or route.target in world.ids)]


@pytest.fixture(scope='module')
def made_through_forms(world, site_of):
    """Every plugin's protect and restore forms posted with payloads; the messages
    that name what they made are checked on the page the form returns to."""
    demo = site_of('demo')
    for route in ROUTES:
        if route.is_form and route.target in world.ids:
            url = route.url(world.ids[route.target])
            form = demo.get(url).context['form']
            values = formdata.filled(form, payload_text(form, route.name))
            checked(demo.post(url, formdata.post_data(form, values), follow=True))


def test_no_page_of_demo_shows_a_payload_unescaped(world, site_of, made_through_forms):
    demo = site_of('demo')
    for url in page_urls(world, admin=False):
        checked(demo.get(url))
        checked(demo.get(url, **AJAX))


def test_no_row_update_shows_a_payload_unescaped(world, site_of, made_through_forms):
    for route in ROUTES:
        client = site_of('admin' if route.admin else 'demo')
        for table in catalog.tables(route):
            if table.rows in world.ids:
                checked(client.get(route.url(), table.row_update(world.ids[table.rows]),
                                   **AJAX))


def test_no_admin_page_shows_a_payload_unescaped(world, site_of, made_through_forms):
    admin = site_of('admin')
    for url in page_urls(world, admin=True):
        checked(admin.get(url))


def test_no_page_opens_a_dialog_in_chromium(world, made_through_forms, browser,  # noqa: F811
                                            dashboard_url, cloud_info):  # noqa: F811
    pages.login(browser, dashboard_url, cloud_info['users']['demo'])
    for url in page_urls(world, admin=False):
        pages.open_panel(browser, dashboard_url, url)
        site.FIGURES['pages opened in Chromium'] += 1
        try:
            WebDriverWait(browser, DIALOG_WAIT).until(expected_conditions.alert_is_present())
        except TimeoutException:
            continue
        text = browser.switch_to.alert.text
        browser.switch_to.alert.dismiss()
        pytest.fail('%s opened a dialog: %r' % (url, text))
