"""Load: concurrent signed-in users browse every list page of ours and protect and delete.

Each simulated user is its own HTTP session (``requests``) signed in through Horizon's
login form, on loopback, for a fixed duration: it opens the project's list pages of
every panel of ours in turn (admin's pages for the admin users) and, every
``--protect-every`` pages, creates a volume snapshot of its volume through the protect
form and deletes it through the table's delete action once Cinder is done.  At the end
it prints the requests, errors (any 5xx, a refused connection, an error banner, a
protect or delete that failed) and the page times (p50, p95, max) by page.

The dashboard is the dev site (``tools/serve``'s ``manage.py runserver``, on a free
port) unless ``--url`` names a running one.  The volumes, one a user, are made first
in demo's project and, like every snapshot of the run (``pdload-<hex>``), deleted at
the end, whatever happened.

    .venv/bin/python benchmarks/load.py --users 20 --duration 120
"""

from __future__ import annotations

import argparse
import collections
import itertools
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent import futures

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)

from localcloud.info import load_cloud_info  # noqa: E402

RUN = 'pdload-%s' % secrets.token_hex(3)
ENABLED = os.path.join(REPO, 'enabled')
PROTECT = '/project/volume_snapshots/create/%s/'
SNAPSHOTS = '/project/volume_snapshots/'
ERROR_BANNER = re.compile(r'alert-danger alert-dismissable')
INPUT_NAME = re.compile(r'<input[^>]*name="([^"]+)"')
TEXTAREA_NAME = re.compile(r'<textarea[^>]*name="([^"]+)"')
SETTLE = 120


class Figures:
    """Page times and errors of every user, thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times = collections.defaultdict(list)
        self.errors = collections.Counter()
        self.examples: dict[str, str] = {}

    def page(self, name: str, seconds: float):
        with self.lock:
            self.times[name].append(seconds)

    def error(self, kind: str, example: str):
        with self.lock:
            self.errors[kind] += 1
            self.examples.setdefault(kind, example[:300])


class User:
    """One signed-in browser of the dashboard."""

    def __init__(self, url: str, creds: dict, figures: Figures):
        self.url = url
        self.http = requests.Session()
        self.figures = figures
        self.creds = creds
        self.sign_in()

    def csrf(self) -> str:
        """The CSRF cookie (``csrftoken``, or ``csrftoken_<site>`` on a benchmark's site)."""
        return next((value for name, value in self.http.cookies.items()
                     if name == 'csrftoken' or name.startswith('csrftoken_')), '')

    def sign_in(self):
        self.http.get(self.url + '/auth/login/', timeout=60)
        response = self.http.post(self.url + '/auth/login/', timeout=60, data={
            'csrfmiddlewaretoken': self.csrf(), 'region': 'default',
            'username': self.creds['username'], 'password': self.creds['password']},
            headers={'Referer': self.url + '/auth/login/'})
        if '/auth/login' in response.url:
            raise SystemExit('sign-in as %s failed' % self.creds['username'])

    def request(self, name: str, method: str, path: str, **kwargs) -> requests.Response | None:
        started = time.perf_counter()
        try:
            response = self.http.request(method, self.url + path, timeout=120,
                                         headers={'Referer': self.url + path}, **kwargs)
        except requests.RequestException as exc:
            self.figures.error('connection failed', '%s %s: %s' % (method, path, exc))
            return None
        self.figures.page(name, time.perf_counter() - started)
        if response.status_code >= 500:
            self.figures.error('5xx', '%s %s: %s' % (method, path, response.status_code))
        elif '/auth/login' in response.url:
            self.figures.error('signed out', '%s %s' % (method, path))
        elif ERROR_BANNER.search(response.text):
            self.figures.error('error banner', '%s %s' % (method, path))
        return response

    def post(self, name: str, path: str, data: dict) -> requests.Response | None:
        return self.request(name, 'POST', path, data={'csrfmiddlewaretoken': self.csrf(),
                                                       **data})


def protect_and_delete(user: User, volume_id: str, cinder, serial: int):
    """A snapshot through the protect form, deleted through the table once available."""
    name = '%s-%d' % (RUN, serial)  # the form's name field, its text areas described
    form = user.request('protect form', 'GET', PROTECT % volume_id)
    if form is None:
        return
    name_field = next(field for field in INPUT_NAME.findall(form.text)
                      if field.endswith('name'))
    text = dict.fromkeys(TEXTAREA_NAME.findall(form.text), 'Load test %s' % RUN)
    if user.post('protect (POST)', PROTECT % volume_id,
                 {**text, 'resource_id': volume_id, name_field: name}) is None:
        return
    deadline = time.monotonic() + SETTLE
    while time.monotonic() < deadline:
        found = cinder.volume_snapshots.list(search_opts={'name': name})
        if found and found[0].status != 'creating':
            break
        time.sleep(1)
    else:
        user.figures.error('protect never finished', name)
        return
    if found[0].status != 'available':
        user.figures.error('protect failed', '%s: %s' % (name, found[0].status))
    user.post('delete (POST)', SNAPSHOTS,
              {'action': 'volume_snapshots__delete__%s' % found[0].id})


def browse(user: User, pages: tuple[str, ...], until: float, volume_id: str | None,
           cinder, protect_every: int, serials):
    count = 0
    while time.monotonic() < until:
        for path in pages:
            if time.monotonic() >= until:
                return
            user.request(path, 'GET', path)
            count += 1
            if volume_id and count % protect_every == 0:
                protect_and_delete(user, volume_id, cinder, next(serials))


def list_pages(dashboard: str) -> tuple[str, ...]:
    """The index page of every panel of ours in a dashboard, from our enabled files."""
    pages = []
    for name in sorted(os.listdir(ENABLED)):
        if not name.endswith('.py'):
            continue
        with open(os.path.join(ENABLED, name)) as source:
            text = source.read()
        panel = re.search(r"^PANEL = '([^']+)'", text, re.M)
        if panel and re.search(r"^PANEL_DASHBOARD = '%s'" % dashboard, text, re.M):
            pages.append('/%s/%s/' % (dashboard, panel.group(1)))
    return tuple(pages)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def serve() -> tuple[str, subprocess.Popen]:
    """The dev site on a free loopback port (``tools/serve``'s command)."""
    port = free_port()
    process = subprocess.Popen(
        [os.path.join(REPO, '.venv', 'bin', 'python'), 'manage.py', 'runserver',
         '--insecure', '--noreload', '127.0.0.1:%d' % port],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = 'http://127.0.0.1:%d' % port
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            requests.get(url + '/auth/login/', timeout=5)
            return url, process
        except requests.ConnectionError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit('the dev site did not answer on %s' % url)


def cinder_of(info, user: str):
    from cinderclient import client

    from localcloud.auth import session_for
    return client.Client('3.50', session=session_for(info, user))


def wait_status(cinder, volume_id: str, wanted: str):
    deadline = time.monotonic() + SETTLE
    while cinder.volumes.get(volume_id).status != wanted:
        if time.monotonic() > deadline:
            raise SystemExit('volume %s never became %s' % (volume_id, wanted))
        time.sleep(1)


def clean_up(admin_cinder, volumes: list[str]):
    """Every snapshot of the run, then the run's volumes (in every project)."""
    opts = {'all_tenants': 1}
    for snapshot in admin_cinder.volume_snapshots.list(search_opts=opts):
        if (snapshot.name or '').startswith(RUN):
            try:
                admin_cinder.volume_snapshots.delete(snapshot.id)
            except Exception as exc:  # noqa: BLE001 - reported, the rest goes on
                print('clean-up: snapshot %s: %s' % (snapshot.id, exc))
    deadline = time.monotonic() + SETTLE
    while time.monotonic() < deadline and any(
            (s.name or '').startswith(RUN)
            for s in admin_cinder.volume_snapshots.list(search_opts=opts)):
        time.sleep(1)
    for volume_id in volumes:
        try:
            admin_cinder.volumes.delete(volume_id, cascade=True)
        except Exception as exc:  # noqa: BLE001 - reported, the rest goes on
            print('clean-up: volume %s: %s' % (volume_id, exc))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(figures: Figures, users: int, duration: float, url: str):
    every = [t for times in figures.times.values() for t in times]
    print('\n%d users for %.0f s against %s (run %s)' % (users, duration, url, RUN))
    print('%-44s %6s %8s %8s %8s' % ('page', 'count', 'p50 ms', 'p95 ms', 'max ms'))
    for name, times in sorted(figures.times.items()) + [('every request', every)]:
        if times:
            print('%-44s %6d %8.0f %8.0f %8.0f' % (
                name, len(times), statistics.median(times) * 1000,
                percentile(times, 0.95) * 1000, max(times) * 1000))
    print('requests: %d (%.1f/s), errors: %d %s' % (
        len(every), len(every) / duration, sum(figures.errors.values()),
        dict(figures.errors) or ''))
    for kind, example in figures.examples.items():
        print('  first %s: %s' % (kind, example))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--users', type=int, default=20)
    parser.add_argument('--admins', type=int, default=2,
                        help='how many of the users are the admin (the rest: demo)')
    parser.add_argument('--duration', type=float, default=120, help='seconds')
    parser.add_argument('--protect-every', type=int, default=10,
                        help='a protect and delete after this many pages')
    parser.add_argument('--url', help='a running dashboard (default: start the dev site)')
    args = parser.parse_args()

    info = load_cloud_info()
    demo_cinder, admin_cinder = cinder_of(info, 'demo'), cinder_of(info, 'admin')
    members = args.users - args.admins
    process = None
    volumes: list[str] = []
    try:
        url = args.url
        if not url:
            url, process = serve()
        for index in range(members):
            volumes.append(demo_cinder.volumes.create(1, name='%s-vol-%d' % (RUN, index)).id)
        for volume_id in volumes:
            wait_status(demo_cinder, volume_id, 'available')
        figures = Figures()
        with futures.ThreadPoolExecutor(args.users) as pool:
            users = list(pool.map(
                lambda n: User(url, info['users']['admin' if n < args.admins else 'demo'],
                               figures), range(args.users)))
        serials = itertools.count()
        started = time.monotonic()
        until = started + args.duration
        with futures.ThreadPoolExecutor(args.users) as pool:
            runs = [pool.submit(browse, user, list_pages('admin'), until, None, None, 0, serials)
                    for user in users[:args.admins]]
            runs += [pool.submit(browse, user, list_pages('project'), until, volume_id, demo_cinder,
                                 args.protect_every, serials)
                     for user, volume_id in zip(users[args.admins:], volumes, strict=True)]
            for run in runs:
                run.result()
        report(figures, args.users, time.monotonic() - started, url)
    finally:
        clean_up(admin_cinder, volumes)
        if process is not None:
            process.terminate()
            process.wait(timeout=30)


if __name__ == '__main__':
    main()
