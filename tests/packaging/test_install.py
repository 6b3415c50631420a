"""An operator installs the dashboard into a pip-installed Horizon by the README alone.

The README's shell blocks marked ``<!-- packaging-test: NAME -->`` run as written, in
order, on a clean clone of this repository at HEAD and a fresh virtualenv with Horizon
from the package index (pinned by constraints.txt; pip's cache keeps a second run
fast): build, install, enable, ``local_settings.py`` (then pointed at the local
cloud), collectstatic + compress (any warning fails). That Horizon is served with
``runserver`` on 127.0.0.1; demo and admin log in through the login form and load
every panel the enabled files declare (200, no error banner). Then the README's
removal step, collectstatic + compress again, a restart: the panels answer 404.
"""

from __future__ import annotations

import ast
import contextlib
import glob
import os
import re
import shutil
import socket
import subprocess
import sys
import time

import pytest
import requests

from localcloud.info import CloudNotUpError, load_cloud_info

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARTIFACTS = os.path.join(REPO, 'artifacts')
BLOCK = re.compile(r'<!-- packaging-test: (\S+) -->\s*```sh\n(.*?)```', re.S)
START_TIMEOUT = 60
# What collectstatic and compress may print; any other line is a warning.
QUIET = [re.compile(p) for p in (
    r"\d+ static files? copied to '[^']+'(, \d+ unmodified)?\.",
    r'Compressing\.\.\. done',
    r'Compressed \d+ block\(s\) from \d+ template\(s\) for \d+ context\(s\)\.',
)]
# Horizon's settings switch DeprecationWarnings on; this one is Horizon's own
# dependency (django-debreach), not ours.
THIRD_PARTY_WARNINGS = ('/debreach/__init__.py',)
# Horizon's message banners (not the <noscript> one every page has).
BANNER = re.compile(r'class="alert alert-(?:danger|warning) alert-dismissable.*?</p>', re.S)


def run(cmd, log, **kwargs) -> tuple[str, str]:
    """Run ``cmd``, log its output, return (stdout, stderr); fail if it fails."""
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kwargs)
    output = result.stdout + result.stderr
    log.write('$ %s\n%s\n' % (cmd if isinstance(cmd, str) else ' '.join(cmd), output))
    log.flush()
    assert result.returncode == 0, '%s failed:\n%s' % (cmd, output[-3000:])
    return result.stdout, result.stderr


def warnings_in(stdout: str, stderr: str) -> list[str]:
    """Lines of collectstatic/compress output that are not plain success lines."""
    found = [line for line in stdout.splitlines()
             if line.strip() and not any(p.fullmatch(line.strip()) for p in QUIET)]
    lines = stderr.splitlines()
    skip_next = False
    for line in lines:
        if skip_next:
            skip_next = False
        elif any(path + ':' in line and 'DeprecationWarning' in line
                 for path in THIRD_PARTY_WARNINGS):
            skip_next = True  # the warning's source line follows it
        elif line.strip():
            found.append(line)
    return found


def declared_panels(enabled_dir: str) -> list[tuple[str, str]]:
    """(dashboard, panel) of every enabled file that adds a panel."""
    panels = []
    for path in sorted(glob.glob(os.path.join(enabled_dir, '_6*_protection_*.py'))):
        with open(path) as f:
            tree = ast.parse(f.read())
        names = {target.id: node.value.value for node in tree.body
                 if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                 for target in node.targets if isinstance(target, ast.Name)}
        if 'PANEL' in names:
            panels.append((names['PANEL_DASHBOARD'], names['PANEL']))
    return panels


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(python: str, env: dict, cwd: str, log_path: str):
    """Horizon's runserver on a free port of 127.0.0.1; yields its base URL."""
    port = free_port()
    base = 'http://127.0.0.1:%d' % port
    with open(log_path, 'a') as log:
        proc = subprocess.Popen([python, '-m', 'django', 'runserver', '--noreload',
                                 '127.0.0.1:%d' % port], env=env, cwd=cwd, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert proc.poll() is None, 'runserver exited %s; see %s' % (proc.returncode,
                                                                        log_path)
            try:
                if requests.get(base + '/auth/login/', timeout=10).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, 'runserver did not answer; see %s' % log_path
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def login(base: str, creds: dict) -> requests.Session:
    """Log in through Horizon's login form (hidden fields and CSRF token included)."""
    session = requests.Session()
    page = session.get(base + '/auth/login/', timeout=30)
    form = dict(re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"',
                           page.text))
    form.update(username=creds['username'], password=creds['password'])
    response = session.post(base + '/auth/login/', data=form, timeout=60,
                            headers={'Referer': base + '/auth/login/'})
    assert response.status_code == 200 and '/auth/login/' not in response.url, (
        'login of %s failed: %s %s' % (creds['username'], response.status_code, response.url))
    return session


def load(session: requests.Session, base: str, path: str) -> requests.Response:
    return session.get(base + path, timeout=120, allow_redirects=False)


class Site:
    """A pip-installed Horizon set up by the README's blocks, step by step, timed."""

    def __init__(self, workdir, log):
        self.log = log
        self.workdir = str(workdir)  # steps 3-5 run here, outside the checkout
        self.clone = os.path.join(self.workdir, 'protection-dashboard')
        self.static_root = os.path.join(self.workdir, 'static')
        self.python = os.path.join(self.workdir, 'horizon-venv', 'bin', 'python')
        self.env = {key: value for key, value in os.environ.items()
                    if key not in ('DJANGO_SETTINGS_MODULE', 'VIRTUAL_ENV', 'PYTHONPATH')}
        self.env['PYTHON'] = self.python
        self.started = time.monotonic()
        self.times = {}

    def mark(self, step):
        self.times[step] = time.monotonic() - self.started
        print('%6.1f s  %s' % (self.times[step], step))

    def block(self, name, in_checkout=False, then=''):
        """Run the README's block ``name`` with bash, followed by the commands ``then``."""
        self.log.write('# README block %s\n' % name)
        return run(['bash', '-euo', 'pipefail', '-c', self.blocks[name] + then], self.log,
                   cwd=self.clone if in_checkout else self.workdir, env=self.env)

    def horizon_from_the_index(self):
        run(['git', 'clone', '-q', REPO, self.clone], self.log)
        with open(os.path.join(self.clone, 'README.md')) as f:
            self.blocks = dict(BLOCK.findall(f.read()))
        run([sys.executable, '-m', 'venv', os.path.dirname(os.path.dirname(self.python))],
            self.log)
        run([self.python, '-m', 'pip', 'install', '-q', '-c', 'constraints.txt', 'horizon'],
            self.log, cwd=self.clone, env=self.env)
        self.mark('Horizon installed from the index')

    def install(self, auth_url):
        self.block('build', in_checkout=True)
        dist = os.listdir(os.path.join(self.clone, 'dist'))
        assert sorted(name.rsplit('.', 1)[-1] for name in dist) == ['gz', 'whl'], dist
        self.mark('sdist and wheel built')
        self.block('install', in_checkout=True)
        paths, _ = self.block('enable', then='echo "$DASHBOARD"; echo "$PLUGIN"')
        self.env['DASHBOARD'], self.plugin = paths.splitlines()[-2:]
        assert 'site-packages' in self.plugin, self.plugin
        self.block('local-settings')
        with open(os.path.join(self.env['DASHBOARD'], 'local', 'local_settings.py'), 'a') as f:
            f.write('\n# The test site: the local cloud, on 127.0.0.1.\n'
                    'ALLOWED_HOSTS = ["127.0.0.1"]\n'
                    'OPENSTACK_KEYSTONE_URL = %r\nSTATIC_ROOT = %r\n'
                    % (auth_url, self.static_root))
        self.mark('installed and enabled')

    def collect_static(self, when):
        stdout, stderr = self.block('static')
        assert warnings_in(stdout, stderr) == [], stdout + stderr
        assert os.path.exists(os.path.join(self.static_root, 'dashboard', 'manifest.json'))
        self.mark('collectstatic + compress %s: no warning' % when)

    def serving(self):
        env = dict(self.env, DJANGO_SETTINGS_MODULE='openstack_dashboard.settings')
        return serving(self.python, env, self.workdir, os.path.join(ARTIFACTS,
                                                                    'packaging-horizon.log'))


@pytest.fixture
def site(tmp_path):
    os.makedirs(ARTIFACTS, exist_ok=True)
    with open(os.path.join(ARTIFACTS, 'packaging-install.log'), 'w') as log:
        yield Site(tmp_path, log)
    shutil.rmtree(tmp_path)  # a whole Horizon virtualenv: ~450 MB


@pytest.mark.packaging
def test_readme_install_into_pip_installed_horizon(site):
    try:
        cloud = load_cloud_info()
    except CloudNotUpError as exc:
        pytest.fail(str(exc), pytrace=False)
    open(os.path.join(ARTIFACTS, 'packaging-horizon.log'), 'w').close()
    site.horizon_from_the_index()
    site.install(cloud['auth_url'])
    site.collect_static('with the panels')

    panels = declared_panels(os.path.join(site.plugin, 'enabled'))
    assert ('project', 'protectables') in panels, panels
    with site.serving() as base:
        for user, dashboards in (('demo', {'project'}), ('admin', {'project', 'admin'})):
            session = login(base, cloud['users'][user])
            for path in ['/%s/%s/' % panel for panel in panels if panel[0] in dashboards]:
                response = load(session, base, path)
                assert response.status_code == 200, (user, path, response.status_code)
                assert 'href="%s"' % path in response.text, (user, path)
                assert BANNER.findall(response.text) == [], (user, path)
    site.mark('%d panels served to demo and admin' % len(panels))

    site.block('remove')
    site.collect_static('without them')
    with site.serving() as base:
        session = login(base, cloud['users']['admin'])
        home = load(session, base, '/project/')
        assert home.status_code == 200
        for path in ['/%s/%s/' % panel for panel in panels]:
            assert 'href="%s"' % path not in home.text, path
            assert load(session, base, path).status_code == 404, path
    site.mark('removed: the panels answer 404')

    summary = '; '.join('%s at %.1f s' % item for item in site.times.items())
    site.log.write('# %s\n' % summary)
    print('README install into a pip-installed Horizon: ' + summary)
