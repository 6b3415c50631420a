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


def readme_blocks() -> dict[str, str]:
    with open(os.path.join(REPO, 'README.md')) as f:
        return dict(BLOCK.findall(f.read()))


def run(cmd, log, **kwargs) -> tuple[str, str]:
    """Run ``cmd``, log its output, return (stdout, stderr); fail if it fails."""
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kwargs)
    output = result.stdout + result.stderr
    log.write('$ %s\n%s\n' % (cmd if isinstance(cmd, str) else ' '.join(cmd), output))
    log.flush()
    assert result.returncode == 0, '%s failed:\n%s' % (cmd, output[-3000:])
    return result.stdout, result.stderr


def run_block(name, blocks, log, then='', **kwargs) -> tuple[str, str]:
    """Run the README's block ``name`` with bash, followed by the commands ``then``."""
    log.write('# README block %s\n' % name)
    return run(['bash', '-euo', 'pipefail', '-c', blocks[name] + then], log, **kwargs)


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


@pytest.mark.packaging
def test_readme_install_into_pip_installed_horizon(tmp_path):
    started = time.monotonic()
    try:
        cloud = load_cloud_info()
    except CloudNotUpError as exc:
        pytest.fail(str(exc), pytrace=False)
    os.makedirs(ARTIFACTS, exist_ok=True)
    log_path = os.path.join(ARTIFACTS, 'packaging-install.log')
    server_log = os.path.join(ARTIFACTS, 'packaging-horizon.log')
    open(server_log, 'w').close()
    times = {}

    def mark(step):
        times[step] = time.monotonic() - started
        print('%6.1f s  %s' % (times[step], step))

    env = {key: value for key, value in os.environ.items()
           if key not in ('DJANGO_SETTINGS_MODULE', 'VIRTUAL_ENV', 'PYTHONPATH')}
    with open(log_path, 'w') as log:
        clone = str(tmp_path / 'protection-dashboard')
        run(['git', 'clone', '-q', REPO, clone], log)
        blocks = readme_blocks()
        venv = str(tmp_path / 'horizon-venv')
        run([sys.executable, '-m', 'venv', venv], log)
        env['PYTHON'] = python = os.path.join(venv, 'bin', 'python')
        run([python, '-m', 'pip', 'install', '-q', '-c', 'constraints.txt', 'horizon'], log,
            cwd=clone, env=env)
        mark('horizon installed')

        run_block('build', blocks, log, cwd=clone, env=env)
        dist = sorted(os.listdir(os.path.join(clone, 'dist')))
        assert sorted(name.rsplit('.', 1)[-1] for name in dist) == ['gz', 'whl'], dist
        mark('built')
        run_block('install', blocks, log, cwd=clone, env=env)
        # Steps 3-5 run outside the checkout, whose protection_dashboard/ would shadow
        # the installed package (as the README says).
        site = str(tmp_path)
        paths, _ = run_block('enable', blocks, log, then='echo "$DASHBOARD"; echo "$PLUGIN"',
                             cwd=site, env=env)
        env['DASHBOARD'], plugin = paths.splitlines()[-2:]
        assert 'site-packages' in plugin, plugin
        run_block('local-settings', blocks, log, cwd=site, env=env)
        static_root = str(tmp_path / 'static')
        with open(os.path.join(env['DASHBOARD'], 'local', 'local_settings.py'), 'a') as f:
            f.write('\n# The test site: the local cloud, on 127.0.0.1.\n'
                    'ALLOWED_HOSTS = ["127.0.0.1"]\n'
                    'OPENSTACK_KEYSTONE_URL = %r\nSTATIC_ROOT = %r\n'
                    % (cloud['auth_url'], static_root))
        mark('installed and enabled')

        stdout, stderr = run_block('static', blocks, log, cwd=site, env=env)
        assert warnings_in(stdout, stderr) == [], stdout + stderr
        assert os.path.exists(os.path.join(static_root, 'dashboard', 'manifest.json'))
        mark('static collected and compressed')

        panels = declared_panels(os.path.join(plugin, 'enabled'))
        assert ('project', 'protectables') in panels, panels
        env['DJANGO_SETTINGS_MODULE'] = 'openstack_dashboard.settings'
        with serving(python, env, site, server_log) as base:
            for user, dashboards in (('demo', {'project'}), ('admin', {'project', 'admin'})):
                session = login(base, cloud['users'][user])
                for dashboard, panel in panels:
                    if dashboard not in dashboards:
                        continue
                    path = '/%s/%s/' % (dashboard, panel)
                    response = load(session, base, path)
                    assert response.status_code == 200, (user, path, response.status_code)
                    assert 'href="%s"' % path in response.text, (user, path)
                    assert BANNER.findall(response.text) == [], (user, path)
        mark('panels served (demo, admin)')

        run_block('remove', blocks, log, cwd=site, env=env)
        stdout, stderr = run_block('static', blocks, log, cwd=site, env=env)
        assert warnings_in(stdout, stderr) == [], stdout + stderr
        with serving(python, env, site, server_log) as base:
            session = login(base, cloud['users']['admin'])
            home = load(session, base, '/project/')
            assert home.status_code == 200
            for dashboard, panel in panels:
                path = '/%s/%s/' % (dashboard, panel)
                assert 'href="%s"' % path not in home.text, path
                assert load(session, base, path).status_code == 404, path
        mark('removed')

    summary = ', '.join('%s at %.1f s' % item for item in times.items())
    with open(log_path, 'a') as log:
        log.write('# %s\n' % summary)
    print('README install into a pip-installed Horizon: %s; %d panels' % (summary, len(panels)))
