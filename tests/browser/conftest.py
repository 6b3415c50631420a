"""Fixtures of the browser tests: the dev site, the local cloud's facts, a headless
Chromium, and screenshots of failures.

- ``dashboard_url`` (session): base URL of a dev site started for the session
  (``manage.py runserver --noreload --insecure`` on a free port, log in
  ``artifacts/devsite.log``), or ``$PD_DASHBOARD_URL`` when set.
- ``cloud_info`` (session): ``localcloud.info.load_cloud_info()``; fails when the
  local cloud is not up.
- ``browser`` (function): one Chromium for the whole session, with its cookies
  cleared and a blank page before each test.
- every test under ``tests/browser`` is marked ``browser``; a failing test leaves
  ``artifacts/screenshots/<test>-failed.png`` (and ``.html``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import pytest

# Never let Selenium Manager reach the network (the driver path is explicit anyway).
os.environ['SE_OFFLINE'] = 'true'

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

from tests.browser import pages  # noqa: E402

HERE = os.path.realpath(os.path.dirname(os.path.abspath(__file__)))
REPO_DIR = pages.REPO_DIR
CHROMIUM = os.environ.get('PD_CHROMIUM', '/usr/bin/chromium')
CHROMEDRIVER = os.environ.get('PD_CHROMEDRIVER', '/usr/bin/chromedriver')
CHROME_FLAGS = (
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage', '--window-size=1400,1000',
)
DEVSITE_START_TIMEOUT = 60


# --- markers and failure screenshots ----------------------------------------------------------

@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # Runs for every collected item (not only this folder's): mark ours only.
    for item in items:
        if os.path.realpath(str(item.path)).startswith(HERE + os.sep):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when in ('setup', 'call') and report.failed:
        driver = getattr(item, 'funcargs', {}).get('browser')
        if driver is not None:
            try:
                path = pages.snap(driver, '%s-failed' % item.name)
                with open(path[:-len('.png')] + '.html', 'w') as f:
                    f.write('<!-- %s -->\n' % driver.current_url)
                    f.write(driver.page_source)
                report.sections.append(('browser', 'screenshot: %s\nurl: %s'
                                        % (path, driver.current_url)))
            except Exception as exc:  # a dead browser must not hide the real failure
                report.sections.append(('browser', 'no screenshot: %s' % exc))


# --- the local cloud and the dev site ----------------------------------------------------------

@pytest.fixture(scope='session')
def cloud_info():
    """The local cloud's facts (``.localcloud/cloud.json``): users, auth URL, seed."""
    if REPO_DIR not in sys.path:
        sys.path.insert(0, REPO_DIR)
    from localcloud.info import CloudNotUpError, load_cloud_info

    problem = None
    try:
        info = load_cloud_info()
    except CloudNotUpError as exc:
        info, problem = None, 'browser tests need the local cloud: %s' % exc
    if info is not None:
        status = subprocess.run([sys.executable, '-m', 'localcloud', 'status'], cwd=REPO_DIR,
                                capture_output=True, text=True, timeout=60)
        if status.returncode != 0:
            down = [line for line in status.stdout.splitlines()
                    if ' down' in line or 'FAIL' in line.upper()]
            problem = ('the local cloud is not (fully) up: `python3 -m localcloud status` '
                       'exited %d:\n%s' % (status.returncode,
                                            '\n'.join(down) or status.stdout[-2000:]))
    if problem:
        pytest.fail(problem, pytrace=False)
    return info


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _log_tail(path: str, lines: int = 25) -> str:
    try:
        with open(path, errors='replace') as f:
            return ''.join(f.readlines()[-lines:])
    except OSError:
        return ''


@pytest.fixture(scope='session')
def dashboard_url(cloud_info):
    """Base URL (no trailing slash) of the dashboard under test."""
    external = os.environ.get('PD_DASHBOARD_URL')
    if external:
        yield external.rstrip('/')
        return

    os.makedirs(pages.ARTIFACTS_DIR, exist_ok=True)
    log_path = os.path.join(pages.ARTIFACTS_DIR, 'devsite.log')
    port = _free_port()
    base = 'http://127.0.0.1:%d' % port
    env = dict(os.environ)
    # pytest-django exports the unit tests' settings: the dev site has its own.
    env['DJANGO_SETTINGS_MODULE'] = 'devsite.settings'
    env['PYTHONUNBUFFERED'] = '1'
    env.setdefault('OS_AUTH_URL', cloud_info.get('auth_url') or 'http://127.0.0.1:5000/v3')
    # --insecure: serve the static files (CSS, Horizon's JS) although DEBUG is off
    cmd = [sys.executable, 'manage.py', 'runserver', '127.0.0.1:%d' % port,
           '--noreload', '--insecure']
    with open(log_path, 'w') as log:
        proc = subprocess.Popen(cmd, cwd=REPO_DIR, env=env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + DEVSITE_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail('the dev site exited with %s before answering; see %s:\n%s'
                            % (proc.returncode, log_path, _log_tail(log_path)), pytrace=False)
            try:
                with urllib.request.urlopen(base + '/auth/login/', timeout=10) as resp:
                    if resp.status == 200:
                        break
            except (OSError, urllib.error.HTTPError):
                pass
            if time.monotonic() > deadline:
                pytest.fail('the dev site did not answer %s/auth/login/ within %d s; see %s:\n%s'
                            % (base, DEVSITE_START_TIMEOUT, log_path, _log_tail(log_path)),
                            pytrace=False)
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- the browser ----------------------------------------------------------------------------------

def _new_driver(profile_dir: str) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument('--user-data-dir=%s' % profile_dir)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    return driver


class _BrowserHolder:
    """One Chromium per session, replaced if it dies."""

    def __init__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix='pd-chromium-')
        self._count = 0
        self.driver = None

    def get(self) -> webdriver.Chrome:
        if self.driver is not None:
            try:
                if len(self.driver.window_handles) > 1:
                    for handle in self.driver.window_handles[1:]:
                        self.driver.switch_to.window(handle)
                        self.driver.close()
                    self.driver.switch_to.window(self.driver.window_handles[0])
                # Leave the last page first: its ajax polling would set the session
                # cookie again after the clearing.
                self.driver.get('about:blank')
                self.driver.execute_cdp_cmd('Network.clearBrowserCookies', {})
                return self.driver
            except WebDriverException:
                self.quit()
        self._count += 1
        profile = os.path.join(self._tmp.name, 'profile-%d' % self._count)
        self.driver = _new_driver(profile)
        return self.driver

    def quit(self):
        if self.driver is not None:
            try:
                self.driver.quit()
            except WebDriverException:
                pass
            self.driver = None

    def close(self):
        self.quit()
        self._tmp.cleanup()


@pytest.fixture(scope='session')
def _browser_holder():
    holder = _BrowserHolder()
    yield holder
    holder.close()


@pytest.fixture
def browser(request, _browser_holder):
    """Headless Chromium (Debian's, via its chromedriver), logged out, on a blank page."""
    # a failure screenshot of an earlier run of this test would only mislead
    stale = pages.screenshot_path('%s-failed' % request.node.name)
    for path in (stale, stale[:-len('.png')] + '.html'):
        if os.path.exists(path):
            os.remove(path)
    return _browser_holder.get()
