"""Small page helpers for the browser tests, written against Horizon's markup.

Everything waits explicitly (no implicit wait) and finds elements afresh on each
poll: Horizon's ajax rows replace a whole ``<tr>`` in place and its modal forms
are replaced on every submit, so element references go stale quickly.

Horizon markup these helpers rely on (Horizon 27):

- page title: ``.page-header h1``; user menu: ``li.user-menu`` (``.user-name``);
- a table: ``<table id="<table name>">`` with ``caption .table-title``, header
  ``tr.table_column_header th``, rows ``tbody tr[data-display="<name>"]``;
- row actions: the first one is a button, the rest sit in a ``ul.row_actions``
  dropdown opened by the ``.dropdown-toggle`` caret next to it;
- modal forms load by ajax into ``#modal_wrapper`` as ``.modal.in`` (opened as a
  page of their own they are a ``.static_page``); fields have id ``id_<name>``;
  selects are "themable" (a hidden ``<select>`` behind a bootstrap dropdown) and
  checkboxes are hidden behind their ``<label>``; a field's errors are
  ``span.help-block`` inside its ``.form-group.has-error``; help text is only a
  tooltip, so any ``.help-block`` there is an error;
- messages: ``#main_content .messages .alert-<success|danger|warning|info>``;
  success and info fade out after about 3 s.
"""

from __future__ import annotations

import base64
import os
import re
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlparse

from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

REPO_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARTIFACTS_DIR = os.environ.get('PD_ARTIFACTS_DIR') or os.path.join(REPO_DIR, 'artifacts')
SCREENSHOT_DIR = os.path.join(ARTIFACTS_DIR, 'screenshots')

#: default bound of every wait, in seconds
TIMEOUT = float(os.environ.get('PD_BROWSER_TIMEOUT', '20'))

_RETRIED = (StaleElementReferenceException, NoSuchElementException)


# --- generic waiting -----------------------------------------------------------------

def wait_until(browser: WebDriver, condition: Callable[[WebDriver], Any],
               timeout: float = TIMEOUT, message: str | Callable[[], str] = '') -> Any:
    """Poll ``condition(browser)`` until it returns something truthy; return that.

    Stale or missing elements count as "not yet".  ``message`` may be a callable
    that describes the page at the time of the timeout.
    """
    try:
        return WebDriverWait(browser, timeout, poll_frequency=0.1,
                             ignored_exceptions=_RETRIED).until(condition)
    except TimeoutException:
        text = message() if callable(message) else message
        raise TimeoutException('%s (waited %.0f s on %s)'
                               % (text or 'condition not met', timeout,
                                  browser.current_url)) from None


def wait_for_page(browser: WebDriver, timeout: float = TIMEOUT) -> None:
    wait_until(browser, lambda b: b.execute_script('return document.readyState') == 'complete',
               timeout, 'the page did not finish loading')


def wait_for_text(browser: WebDriver, text: str, timeout: float = TIMEOUT) -> None:
    """Wait until ``text`` is part of the page's visible text."""
    wait_until(browser,
               lambda b: text in b.execute_script('return document.body.innerText'),
               timeout, 'text %r not on the page' % text)


def click(browser: WebDriver, element: WebElement, timeout: float = 10) -> None:
    """Scroll ``element`` into view and click it, retrying while something (a
    fading modal backdrop, a spinner) lies over it."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
            element.click()
            return
        except (ElementClickInterceptedException, ElementNotInteractableException):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


# --- screenshots -----------------------------------------------------------------------

def screenshot_path(name: str) -> str:
    """``artifacts/screenshots/<name>.png``, the name made safe for a file name."""
    safe = re.sub(r'[^A-Za-z0-9_.-]+', '_', name).strip('_') or 'page'
    return os.path.join(SCREENSHOT_DIR, safe + '.png')


def snap(browser: WebDriver, name: str) -> str:
    """Save the whole page as ``artifacts/screenshots/<name>.png``; return the path."""
    path = screenshot_path(name)
    os.makedirs(SCREENSHOT_DIR, exist_ok=True)
    try:
        # full page, beyond the window's height (Chromium's DevTools protocol)
        shot = browser.execute_cdp_cmd('Page.captureScreenshot',
                                       {'format': 'png', 'captureBeyondViewport': True})
        with open(path, 'wb') as f:
            f.write(base64.b64decode(shot['data']))
    except (WebDriverException, AttributeError, KeyError):
        browser.save_screenshot(path)
    return path


def snap_element(element: WebElement, name: str) -> str:
    """Save one element (a modal, a table) as ``artifacts/screenshots/<name>.png``."""
    path = screenshot_path(name)
    os.makedirs(SCREENSHOT_DIR, exist_ok=True)
    element.screenshot(path)
    return path


# --- pages and login -------------------------------------------------------------------

def url_for(dashboard_url: str, path: str) -> str:
    return dashboard_url.rstrip('/') + '/' + path.lstrip('/')


def url_path(browser: WebDriver) -> str:
    return urlparse(browser.current_url).path


def open_panel(browser: WebDriver, dashboard_url: str, path: str,
               timeout: float = TIMEOUT) -> None:
    """Open ``path`` (e.g. ``/project/protectables/``) and wait for the page to load.

    Horizon may redirect (to the login page, or the user's home page when a
    panel is not allowed); check ``url_path``/``page_title`` afterwards.
    """
    browser.get(url_for(dashboard_url, path))
    wait_for_page(browser, timeout)


def error_page(browser: WebDriver) -> str:
    """The kind of Horizon/Django error page shown ("Server error", "Page Not Found",
    "Forbidden"), '' on a normal page."""
    title = browser.execute_script('return document.title') or ''
    for kind in ('Server error', 'Server Error', 'Page Not Found', 'Not Found', 'Forbidden'):
        if kind in title:
            return kind
    return ''


def page_title(browser: WebDriver) -> str:
    """The panel's heading (``.page-header h1``), '' when the page has none."""
    return browser.execute_script(
        "const h = document.querySelector('.page-header h1');"
        "return h ? h.textContent.trim() : '';")


def current_user(browser: WebDriver) -> str:
    """The user name shown in the header's user menu, '' when logged out."""
    return browser.execute_script(
        "const u = document.querySelector('.user-menu .user-name');"
        "return u ? u.textContent.trim() : '';")


def _login_error(browser: WebDriver) -> str:
    return browser.execute_script(
        "const e = document.querySelector("
        "  '#logout_reason, form .alert-danger, form .help-block.error');"
        "return e ? e.textContent.trim() : '';")


def login(browser: WebDriver, dashboard_url: str, user: Mapping[str, str],
          timeout: float = 30) -> None:
    """Log in through Horizon's login form as ``user`` (``{'username', 'password'}``,
    optionally ``user_domain_name``) and wait for the first page after it.  A
    session already open in the browser is dropped first."""
    login_url = url_for(dashboard_url, '/auth/login/')
    browser.get(login_url)
    wait_for_page(browser, timeout)
    if not browser.find_elements(By.ID, 'id_username'):
        # Horizon sends a logged-in user from the login page to the home page:
        # start a fresh session
        browser.delete_all_cookies()
        browser.get(login_url)
        wait_for_page(browser, timeout)
    username = wait_until(browser, lambda b: b.find_element(By.ID, 'id_username'), timeout,
                          'no login form (id_username)')
    username.clear()
    username.send_keys(user['username'])
    password = browser.find_element(By.ID, 'id_password')
    password.clear()
    password.send_keys(user['password'])
    domains = [d for d in browser.find_elements(By.ID, 'id_domain') if d.is_displayed()]
    if domains:  # only with OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT
        domains[0].clear()
        domains[0].send_keys(user.get('user_domain_name') or 'Default')
    buttons = browser.find_elements(By.ID, 'loginBtn')
    if buttons:
        click(browser, buttons[0])
    else:
        password.submit()

    def logged_in(b):
        if not url_path(b).startswith('/auth/login') and current_user(b):
            return True
        error = _login_error(b)
        if error:
            raise AssertionError('login as %s failed: %s' % (user['username'], error))
        broken = error_page(b)
        if broken:
            raise AssertionError('login as %s landed on an error page (%s) at %s'
                                 % (user['username'], broken, b.current_url))
        return False

    wait_until(browser, logged_in, timeout, 'login as %s did not finish' % user['username'])
    wait_for_page(browser, timeout)


def logout(browser: WebDriver, dashboard_url: str | None = None,
           timeout: float = TIMEOUT) -> None:
    """Sign out through the user menu and wait for the login page."""
    menu = wait_until(browser, lambda b: b.find_element(
        By.CSS_SELECTOR, '.user-menu > a.dropdown-toggle'), timeout, 'no user menu')
    click(browser, menu)
    sign_out = wait_until(browser, lambda b: b.find_element(
        By.CSS_SELECTOR, '#editor_list form button[type=submit]'), timeout, 'no Sign Out')
    click(browser, sign_out)
    wait_until(browser, lambda b: url_path(b).startswith('/auth/login')
               and b.find_elements(By.ID, 'id_username'), timeout,
               'signing out did not reach the login page')


# --- side navigation ---------------------------------------------------------------------

def sidebar_dashboards(browser: WebDriver) -> list[str]:
    """Names of the dashboards in the side navigation (Project, Admin, Identity...)."""
    return browser.execute_script(
        "return Array.from(document.querySelectorAll("
        "  '#sidebar-accordion > li.openstack-dashboard > a'))"
        "  .map(a => a.textContent.trim());")


def sidebar_groups(browser: WebDriver, dashboard: str = 'project') -> dict[str, list[str]]:
    """``{group name: [panel names]}`` of one dashboard's side navigation, collapsed
    or not; panels outside a named group are listed under ''."""
    return browser.execute_script(
        "const root = document.getElementById('sidebar-accordion-' + arguments[0]);"
        "const out = {};"
        "if (!root) return out;"
        "for (const list of root.querySelectorAll(':scope > li > div.list-group, "
        "                                          :scope > div.list-group')) {"
        "  const li = list.closest('li.openstack-panel-group');"
        "  const head = li && li.parentElement === root ? li.querySelector(':scope > a') : null;"
        "  const name = head ? head.textContent.trim() : '';"
        "  out[name] = Array.from(list.querySelectorAll('a.openstack-panel'))"
        "    .map(a => a.textContent.trim());"
        "}"
        "return out;", dashboard)


def _by_text(elements: list[WebElement], text: str) -> WebElement | None:
    return next((e for e in elements if e.get_attribute('textContent').strip() == text), None)


def _expand(browser: WebDriver, toggle: WebElement, timeout: float) -> None:
    """Open a collapsed side-navigation section (bootstrap collapse) and wait for it."""
    target = toggle.get_attribute('data-target')
    if 'collapsed' in (toggle.get_attribute('class') or '').split():
        click(browser, toggle)
    wait_until(browser, lambda b: b.execute_script(
        "const t = document.querySelector(arguments[0]);"
        "return t && t.classList.contains('in') && !t.classList.contains('collapsing');",
        target), timeout, 'side navigation %s did not open' % target)


def open_sidebar_panel(browser: WebDriver, dashboard: str, group: str | None, panel: str,
                       timeout: float = TIMEOUT) -> None:
    """Click through the side navigation by visible names (``'Project'``,
    ``'Protection'``, ``'Protectable Resources'``; ``group=None`` for panels outside
    a group), opening collapsed sections, and wait for the panel's page."""
    dash_toggle = _by_text(browser.find_elements(
        By.CSS_SELECTOR, '#sidebar-accordion > li.openstack-dashboard > a'), dashboard)
    if dash_toggle is None:
        raise AssertionError('no dashboard %r in the side navigation: %r'
                             % (dashboard, sidebar_dashboards(browser)))
    _expand(browser, dash_toggle, timeout)
    section = browser.find_element(By.CSS_SELECTOR, dash_toggle.get_attribute('data-target'))
    if group is not None:
        group_toggle = _by_text(section.find_elements(
            By.CSS_SELECTOR, ':scope > li.openstack-panel-group > a'), group)
        if group_toggle is None:
            raise AssertionError('no group %r in dashboard %r' % (group, dashboard))
        _expand(browser, group_toggle, timeout)
        section = browser.find_element(By.CSS_SELECTOR,
                                       group_toggle.get_attribute('data-target'))
    link = _by_text(section.find_elements(By.CSS_SELECTOR, 'a.openstack-panel'), panel)
    if link is None:
        raise AssertionError('no panel %r in %s > %s' % (panel, dashboard, group))
    href = link.get_attribute('href')
    click(browser, link)
    wait_until(browser, lambda b: b.current_url == href, timeout,
               'clicking %r did not open %s' % (panel, href))
    wait_for_page(browser, timeout)


# --- tables ------------------------------------------------------------------------------

_FIND_ROW = """
const table = document.getElementById(arguments[0]);
if (!table || !table.tBodies.length) return null;
const rows = Array.from(table.tBodies[0].rows);
return rows.find(tr => tr.dataset.display === arguments[1])
    || rows.find(tr => Array.from(tr.cells).some(td => td.textContent.trim() === arguments[1]))
    || null;
"""

_ROW_NAMES = """
const table = document.getElementById(arguments[0]);
if (!table) return null;
return Array.from(table.tBodies[0] ? table.tBodies[0].rows : [])
    .filter(tr => !tr.classList.contains('empty'))
    .map(tr => tr.dataset.display || tr.textContent.trim().slice(0, 60));
"""


def table_titles(browser: WebDriver) -> list[str]:
    """The headings (captions) of the data tables on the page, in order."""
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('table.datatable caption .table-title'))"
        "  .map(s => s.textContent.trim());")


def table_row_names(browser: WebDriver, table_name: str) -> list[str] | None:
    """Display names of a table's rows ([] when empty), None when there is no table."""
    return browser.execute_script(_ROW_NAMES, table_name)


def table_columns(browser: WebDriver, table_name: str) -> list[str]:
    """The column headings of a table ('' for the checkbox and actions columns)."""
    return browser.execute_script(
        "const t = document.getElementById(arguments[0]);"
        "if (!t) return [];"
        "return Array.from(t.querySelectorAll('thead tr.table_column_header th'))"
        "  .map(th => th.textContent.trim());", table_name)


def table_row(browser: WebDriver, table_name: str, row_text: str,
              timeout: float = TIMEOUT) -> WebElement:
    """Wait for and return the ``<tr>`` of ``table_name`` whose ``data-display`` (or,
    failing that, one of whose cells) is exactly ``row_text``."""
    return wait_until(
        browser, lambda b: b.execute_script(_FIND_ROW, table_name, row_text), timeout,
        lambda: 'no row %r in table %r; rows: %r'
        % (row_text, table_name, table_row_names(browser, table_name)))


def wait_for_row_gone(browser: WebDriver, table_name: str, row_name: str,
                      timeout: float = 120) -> None:
    """Wait until a row leaves its table (a delete: Horizon's ajax polling drops
    the row once the resource is gone)."""
    wait_until(browser, lambda b: b.execute_script(_FIND_ROW, table_name, row_name) is None,
               timeout, 'row %r of %r is still there' % (row_name, table_name))


def row_cells(browser: WebDriver, table_name: str, row_name: str) -> dict[str, str] | None:
    """``{column heading: cell text}`` of one row, read in one go; None if no such row."""
    return browser.execute_script(
        "const row = (function () {" + _FIND_ROW + "}).apply(null, arguments);"
        "if (!row) return null;"
        "const heads = Array.from(document.getElementById(arguments[0])"
        "  .querySelectorAll('thead tr.table_column_header th'))"
        "  .map(th => th.textContent.trim());"
        "const out = {};"
        "Array.from(row.cells).forEach((td, i) => {"
        "  if (heads[i]) out[heads[i]] = td.textContent.trim().replace(/\\s+/g, ' ');"
        "});"
        "return out;", table_name, row_name)


def wait_for_row_status(browser: WebDriver, table_name: str, row_name: str, status_text: str,
                        timeout: float = 120, column: str = 'Status',
                        fail_on: tuple[str, ...] = ('error',)) -> None:
    """Wait until the ``column`` cell of a row reads ``status_text`` (case-insensitive).

    Horizon's ajax row polling replaces the row in place (no page reload); the row
    is looked up afresh on every poll.  A status starting with one of ``fail_on``
    (unless it is the awaited one) fails at once instead of waiting out the timeout.
    """
    wanted = status_text.strip().lower()
    seen = {'status': None}

    def reached(b):
        cells = row_cells(b, table_name, row_name)
        if cells is None:
            return False
        status = cells.get(column)
        if status is None:
            raise AssertionError('table %r has no column %r: %r'
                                 % (table_name, column, sorted(cells)))
        seen['status'] = status
        current = status.strip().lower()
        if current == wanted:
            return True
        if any(current.startswith(bad) for bad in fail_on) and not wanted.startswith(current):
            raise AssertionError('row %r of %r went to %r while waiting for %r'
                                 % (row_name, table_name, status, status_text))
        return False

    wait_until(browser, reached, timeout,
               lambda: 'row %r of %r: status %r, never %r'
               % (row_name, table_name, seen['status'], status_text))


def filter_table(browser: WebDriver, table_name: str, text: str,
                 timeout: float = TIMEOUT) -> None:
    """Filter a table through its server-side filter (its first field, e.g. "Name =")
    and wait for the page it reloads to.  Horizon keeps the filter in the session."""
    box = browser.find_element(By.CSS_SELECTOR,
                               'table#%s .table_search input[type=text]' % table_name)
    box.clear()
    box.send_keys(text)
    browser.execute_script('window.pdBeforeFilter = true;')
    click(browser, browser.find_element(
        By.CSS_SELECTOR, 'table#%s .table_search button[type=submit]' % table_name))
    wait_until(browser, lambda b: b.execute_script(
        'return !window.pdBeforeFilter && document.readyState === "complete";'),
        timeout, 'filtering %r did not reload the page' % table_name)


def click_table_action(browser: WebDriver, table_name: str, action_label: str,
                       timeout: float = TIMEOUT) -> None:
    """Click one of a table's own actions (above the table: "Create Volume", ...),
    opening the "More Actions" menu when the action sits in it."""
    label = action_label.strip().lower()

    def attempt(b):
        actions = b.find_elements(By.CSS_SELECTOR, 'table#%s .table_actions .data-table-action'
                                  % table_name)
        action = next((a for a in actions
                       if a.get_attribute('textContent').strip().lower() == label), None)
        if action is None:
            return False
        if not action.is_displayed():
            click(b, b.find_element(By.CSS_SELECTOR, 'table#%s .table_actions_menu '
                                                     '.dropdown-toggle' % table_name))
            try:
                wait_until(b, lambda _: action.is_displayed(), 5)
            except TimeoutException:
                return False
        click(b, action)
        return True

    wait_until(browser, attempt, timeout, lambda: 'no table action %r on %r; actions: %r' % (
        action_label, table_name, [a.get_attribute('textContent').strip() for a in
                                   browser.find_elements(By.CSS_SELECTOR, 'table#%s '
                                   '.table_actions .data-table-action' % table_name)]))


def click_row_action(browser: WebDriver, table_name: str, row_name: str, action_label: str,
                     timeout: float = TIMEOUT) -> None:
    """Click a row's action by its label, opening the row's action dropdown (the
    caret next to the first action) when the action sits in it."""
    label = action_label.strip().lower()

    def find_action(row):
        for el in row.find_elements(By.CSS_SELECTOR, 'a.data-table-action, '
                                                     'button.data-table-action'):
            if el.get_attribute('textContent').strip().lower() == label:
                return el
        return None

    seen = {'labels': None}

    def attempt(b):
        row = table_row(b, table_name, row_name, timeout)
        action = find_action(row)
        if action is None:  # not (yet) offered: the row may still be changing state
            seen['labels'] = [el.get_attribute('textContent').strip()
                              for el in row.find_elements(By.CSS_SELECTOR, '.data-table-action')]
            return False
        if not action.is_displayed():
            toggle = row.find_element(By.CSS_SELECTOR, '.btn-group > .dropdown-toggle')
            click(b, toggle)
            try:
                wait_until(b, lambda _: action.is_displayed(), 5)
            except TimeoutException:
                return False
        click(b, action)
        return True

    wait_until(browser, attempt, timeout,
               lambda: 'could not click %r on row %r of %r; actions offered: %r'
               % (action_label, row_name, table_name, seen['labels']))


# --- modals and forms ----------------------------------------------------------------------

_VISIBLE_MODAL = """
const want_form = arguments[0];
const shown = el => getComputedStyle(el).display !== 'none' && el.getClientRects().length;
const modals = Array.from(document.querySelectorAll('.modal.in'))
    .filter(m => !m.classList.contains('loading') && shown(m));
const pages = Array.from(document.querySelectorAll('.static_page'));
for (const m of modals.reverse().concat(pages)) {
  if (!want_form || m.querySelector('form')) return m;
}
return null;
"""


def wait_for_modal(browser: WebDriver, form: bool = True, timeout: float = TIMEOUT) -> WebElement:
    """The modal on top (with a form, unless ``form=False``), once it has loaded."""
    return wait_until(browser, lambda b: b.execute_script(_VISIBLE_MODAL, form), timeout,
                      'no modal%s shown' % (' form' if form else ''))


def _fill_select(browser: WebDriver, select_el: WebElement, value: Any) -> None:
    wanted = str(value)
    if select_el.is_displayed():
        select = Select(select_el)
        try:
            select.select_by_value(wanted)
        except NoSuchElementException:
            select.select_by_visible_text(wanted)
        return
    # Horizon's themable select: click the dropdown and the entry, as a user would
    container = select_el.find_element(
        By.XPATH, './ancestor::div[contains(concat(" ", @class, " "), " themable-select ")][1]')
    click(browser, container.find_element(By.CSS_SELECTOR, 'button.dropdown-toggle'))
    entries = container.find_elements(By.CSS_SELECTOR, 'ul.dropdown-menu a')
    entry = next((a for a in entries if a.get_attribute('data-select-value') == wanted), None) \
        or next((a for a in entries
                 if a.get_attribute('textContent').strip() == wanted), None)
    if entry is None:
        raise AssertionError('select %s has no option %r; options: %r' % (
            select_el.get_attribute('id'), wanted,
            [a.get_attribute('data-select-value') for a in entries]))
    wait_until(browser, lambda _: entry.is_displayed(), 5, 'select menu did not open')
    click(browser, entry)


def _fill_field(browser: WebDriver, modal: WebElement, name: str, value: Any) -> None:
    try:
        el = modal.find_element(By.ID, 'id_%s' % name)
    except NoSuchElementException:
        radios = modal.find_elements(By.CSS_SELECTOR, 'input[type=radio][name="%s"]' % name)
        target = next((r for r in radios if r.get_attribute('value') == str(value)), None)
        if target is None:
            raise AssertionError('the form has no field %r' % name) from None
        el = target
    tag = el.tag_name.lower()
    kind = (el.get_attribute('type') or '').lower()
    if tag == 'select':
        _fill_select(browser, el, value)
    elif kind in ('checkbox', 'radio'):
        wanted = bool(value) if kind == 'checkbox' else True
        if el.is_selected() != wanted:
            if el.is_displayed():
                click(browser, el)
            else:  # Horizon's themable checkbox: the label is what one clicks
                click(browser, modal.find_element(
                    By.CSS_SELECTOR, 'label[for="%s"]' % el.get_attribute('id')))
        if el.is_selected() != wanted:
            raise AssertionError('could not set %r to %r' % (name, value))
    elif kind == 'file':
        el.send_keys(str(value))
    else:
        el.clear()
        if value is not None and value != '':
            el.send_keys(str(value))


def fill_modal_form(browser: WebDriver, fields: Mapping[str, Any],
                    timeout: float = TIMEOUT) -> WebElement:
    """Fill the fields of the modal form on top (``{'name': value}``; by id
    ``id_<name>``): text as typed, checkboxes from a bool, selects by value or label,
    radios by value.  Returns the modal."""
    modal = wait_for_modal(browser, True, timeout)
    for name, value in fields.items():
        _fill_field(browser, modal, name, value)
    return modal


def submit_modal_form(browser: WebDriver, fields: Mapping[str, Any] | None = None,
                      timeout: float = TIMEOUT) -> None:
    """Fill the modal form on top (see ``fill_modal_form``) and click its primary
    submit button.  Does not wait for the outcome: follow with ``wait_for_alert``,
    ``field_error`` or a table wait."""
    modal = fill_modal_form(browser, fields or {}, timeout)
    buttons = modal.find_elements(
        By.CSS_SELECTOR, '.modal-footer [type=submit].btn-primary, '
                         '.modal-footer [type=submit].btn-danger, [type=submit].btn-primary')
    if not buttons:
        buttons = modal.find_elements(By.CSS_SELECTOR, 'form [type=submit]')
    if not buttons:
        raise AssertionError('the modal form has no submit button')
    click(browser, buttons[0])


def confirm_action(browser: WebDriver, timeout: float = TIMEOUT) -> None:
    """Click the confirm button of Horizon's confirmation dialog (delete and other
    batch actions)."""
    modal = wait_for_modal(browser, form=False, timeout=timeout)
    button = modal.find_element(
        By.CSS_SELECTOR, '.modal-footer .btn-primary, .modal-footer .btn-danger')
    click(browser, button)


def close_modal(browser: WebDriver, timeout: float = TIMEOUT) -> None:
    """Dismiss the modal on top with its Cancel button (or its x) and wait for it to go."""
    modal = wait_for_modal(browser, form=False, timeout=timeout)
    buttons = [b for b in modal.find_elements(
        By.CSS_SELECTOR, '.modal-footer .cancel, .modal-header .close') if b.is_displayed()]
    if not buttons:
        raise AssertionError('the modal has no Cancel or close button')
    click(browser, buttons[0])
    wait_until(browser, lambda b: not b.execute_script(
        "return Array.from(document.querySelectorAll('.modal.in, .modal-backdrop'))"
        "  .filter(m => getComputedStyle(m).display !== 'none').length;"),
        timeout, 'the modal did not close')


_FIELD_ERROR = """
const out = [];
for (const el of document.querySelectorAll('[id="id_' + arguments[0] + '"]')) {
  const group = el.closest('.form-group');
  if (!group || !group.classList.contains('has-error')) continue;
  for (const e of group.querySelectorAll('.help-block, .error')) {
    const text = e.textContent.trim();
    if (text && !out.includes(text)) out.push(text);
  }
}
return out.join(' ');
"""


def field_error(browser: WebDriver, field: str, timeout: float = TIMEOUT) -> str:
    """Wait for and return the error text shown on form field ``field``."""
    return wait_until(browser, lambda b: b.execute_script(_FIELD_ERROR, field), timeout,
                      'no error shown on field %r' % field)


def form_errors(browser: WebDriver) -> str:
    """The form-wide (non-field) errors of the modal on top, '' if none."""
    return browser.execute_script(
        "const m = (function () {" + _VISIBLE_MODAL + "}).apply(null, arguments);"
        "if (!m) return '';"
        "return Array.from(m.querySelectorAll('.alert-danger'))"
        "  .map(e => e.textContent.trim().replace(/\\s+/g, ' ')).join(' ');", True)


# --- messages ----------------------------------------------------------------------------

_ALERT_CLASS = {'success': 'alert-success', 'error': 'alert-danger', 'danger': 'alert-danger',
                'warning': 'alert-warning', 'info': 'alert-info'}


def alerts(browser: WebDriver, kind: str) -> list[str]:
    """Texts of the messages of ``kind`` shown now (success/error/warning/info);
    faded-out ones (still in the page, hidden) are left out."""
    return browser.execute_script(
        "return Array.from(document.querySelectorAll("
        "  '#main_content .messages .' + arguments[0]))"
        "  .filter(e => getComputedStyle(e).display !== 'none')"
        "  .map(e => e.textContent.trim().replace(/\\s+/g, ' '));", _ALERT_CLASS[kind])


def wait_for_alert(browser: WebDriver, kind: str = 'success', contains: str | None = None,
                   timeout: float = TIMEOUT) -> str:
    """Wait for a Horizon message of ``kind`` ('success', 'error', 'warning', 'info'),
    optionally containing ``contains``; return its text ("Success: ..." etc.).
    Success and info messages fade out after a few seconds: call this right after
    the action."""
    def found(b):
        for text in alerts(b, kind):
            if contains is None or contains in text:
                return text
        return None

    def describe():
        shown = {k: alerts(browser, k) for k in ('success', 'error', 'warning', 'info')}
        return 'no %s message%s; shown: %r' % (
            kind, ' containing %r' % contains if contains else '',
            {k: v for k, v in shown.items() if v})

    return wait_until(browser, found, timeout, describe)
