"""The browser's time to a rendered page: headless Chromium against gunicorn, warm cache.

Each Horizon (settings) is served by gunicorn (``wsgi_static.py``: Django, and the
static files as a production web server serves them, cacheable).  One headless
Chromium per user logs in to each Horizon through its login form (the session
cookies are named per Horizon, so several live side by side), loads each page once
to warm its cache, then ``repeat`` times, the pages interleaved.  Read from the
Navigation Timing entry of each load, in ms from the start of the navigation:
``responseStart`` (first byte of the page), ``domContentLoadedEventEnd`` (the page's
scripts ran) and ``loadEventEnd`` (everything loaded).
"""

import os
import statistics
import subprocess
import sys
import tempfile

from production import HERE, REPO, free_port, wait_for_port

os.environ['SE_OFFLINE'] = 'true'  # Selenium Manager never reaches the network
sys.path.insert(0, REPO)
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

from localcloud.info import load_cloud_info  # noqa: E402
from tests.browser import pages as browser_pages  # noqa: E402
from tests.browser.conftest import CHROME_FLAGS, CHROMEDRIVER, CHROMIUM  # noqa: E402

TIMINGS = ('responseStart', 'domContentLoadedEventEnd', 'loadEventEnd')
TIMING_SCRIPT = """
const entry = performance.getEntriesByType('navigation')[0];
if (!entry || !entry.loadEventEnd) { return null; }
return {responseStart: entry.responseStart,
        domContentLoadedEventEnd: entry.domContentLoadedEventEnd,
        loadEventEnd: entry.loadEventEnd,
        rows: document.querySelectorAll(arguments[0]).length,
        error: (document.querySelector('.alert-danger') || {}).textContent || null};
"""


class Server:
    """gunicorn serving one Horizon in the environment ``env`` on a free port."""

    def __init__(self, env, processes):
        self.port = free_port()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self.process = subprocess.Popen(
            [os.path.join(os.path.dirname(sys.executable), 'gunicorn'), '--no-control-socket',
             '--bind', '127.0.0.1:%d' % self.port, '--workers', str(processes),
             '--worker-class', 'gthread', '--threads', '4', '--chdir', HERE,
             'wsgi_static:application'], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        wait_for_port(self.port, self.process, 'gunicorn')
        self.url = 'http://127.0.0.1:%d' % self.port

    def close(self):
        self.process.terminate()
        self.process.wait()
        self.log.close()


class Browser:
    """A headless Chromium logged in as ``user`` to the Horizons it is asked about."""

    def __init__(self, user):
        self.user, self.logged_in = user, set()
        self.profile = tempfile.TemporaryDirectory(prefix='pd-bench-chromium-')
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROME_FLAGS:
            options.add_argument(flag)
        options.add_argument('--user-data-dir=%s' % self.profile.name)
        self.driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER),
                                       options=options)
        self.driver.set_page_load_timeout(120)

    def load(self, server, path, row_selector):
        """Load a page once: its timings (ms), rows and error message."""
        if server.url not in self.logged_in:
            browser_pages.login(self.driver, server.url, load_cloud_info()['users'][self.user])
            self.logged_in.add(server.url)
        self.driver.get(server.url + path)
        return browser_pages.wait_until(
            self.driver, lambda driver: driver.execute_script(TIMING_SCRIPT, row_selector),
            60, 'the load event of %s' % path)

    def close(self):
        self.driver.quit()
        self.profile.cleanup()


def medians(loads):
    return {name: statistics.median(load[name] for load in loads) for name in TIMINGS}
