"""Benchmark: our volume snapshots page against Horizon's own, as snapshots grow.

What it measures, for each N in ``--sizes``:

* Makes the demo project of the local cloud hold N snapshots ``bench-snap-<i>``, spread
  over four 1 GiB volumes ``bench-vol-<i>`` (python-cinderclient through a keystoneauth1
  session; only the difference is created or deleted, 8 at a time, and waited for).
* Renders, in-process with Django's test ``Client`` (settings ``devsite.settings``, logged
  in as demo through the real login form), our ``/project/volume_snapshots/`` and Horizon's
  ``/project/snapshots/``: one warm-up, then ``--repeat`` GETs of each, interleaved.
* Server time = wall time of ``client.get`` (median and p90).  API calls per page = the
  outgoing HTTP requests made while serving it: every OpenStack client, keystoneauth
  included, sends through ``requests.adapters.HTTPAdapter.send``, which is wrapped to count
  them by port (5000 keystone, 8776 cinder, 8774 nova, ...).
* Sanity: each response is 200, shows no error and renders min(N, page size) rows (more,
  up to a page, if other tests keep snapshots of their own in the demo project); an API
  call that fails (a token revoked by a re-provisioning, ...) makes that N run again once.

Run from the repository root (the local cloud must be up)::

    .venv/bin/python benchmarks/snapshot_pages.py [--sizes 10,100,500] [--repeat 7]
    .venv/bin/python benchmarks/snapshot_pages.py --cleanup   # delete the bench data
"""

import argparse
import collections
import logging
import os
import re
import statistics
import sys
import threading
import time
import warnings
from concurrent import futures
from urllib.parse import urlsplit

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [REPO, os.path.join(REPO, 'devsite')]
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'devsite.settings')

import django  # noqa: E402
from cinderclient import client as cinder_client  # noqa: E402
from keystoneauth1 import exceptions as ks_exceptions  # noqa: E402
from keystoneauth1 import session as ks_session  # noqa: E402
from keystoneauth1.identity import v3  # noqa: E402
from requests.adapters import HTTPAdapter  # noqa: E402

from localcloud.info import load_cloud_info  # noqa: E402

PAGES = (('ours', '/project/volume_snapshots/'), ('horizon', '/project/snapshots/'))
SERVICES = {5000: 'keystone', 8776: 'cinder', 8774: 'nova', 9292: 'glance',
            9696: 'neutron', 8786: 'manila', 8778: 'placement'}
VOLUMES, WORKERS, POLL = 4, 8, 2.0
ROW = re.compile(r'<tr[^>]*\bid="volume_snapshots__row__')
ERROR = re.compile(r'alert-danger alert-dismissable.*?</strong>(.*?)</p>', re.S)


# --- the local cloud ---------------------------------------------------------

def cinder(user):
    info = load_cloud_info()
    creds = info['users'][user]
    auth = v3.Password(auth_url=info['auth_url'], **creds)
    sess = ks_session.Session(auth=auth)
    return cinder_client.Client('3.0', session=sess, region_name=info['region'])


def bench(items, prefix):
    return {item.name: item for item in items if (item.name or '').startswith(prefix)}


def wait_until(what, done, timeout):
    """Poll ``done()`` every POLL seconds, at most ``timeout``; ride out API restarts."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if done():
                return
        except ks_exceptions.ConnectionError as error:
            print('retrying after: %s' % error)
        time.sleep(POLL)
    sys.exit('timed out after %ds waiting for %s' % (timeout, what))


def wait_available(manager, prefix, timeout):
    def done():
        states = collections.Counter(i.status for i in bench(manager.list(), prefix).values())
        if 'error' in states:
            sys.exit('%s: some %s* ended in error: %s' % (manager, prefix, dict(states)))
        return set(states) <= {'available'}
    wait_until('%s* to become available' % prefix, done, timeout)


def delete(manager, items):
    """Delete ``items``, WORKERS at a time, and wait until they are gone."""
    ids = {item.id for item in items}
    with futures.ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(manager.delete, items))
    wait_until('%d deletions' % len(ids),
               lambda: not ids & {item.id for item in manager.list()}, 120 + len(ids))
    return len(ids)


def ensure_quota(demo, snapshots, volumes):
    """Raise (never lower) the demo's quotas, as admin, if the new items would not fit."""
    limits = {limit.name: limit.value for limit in demo.limits.get().absolute}
    need = {'snapshots': limits['totalSnapshotsUsed'] + snapshots,
            'gigabytes': limits['totalGigabytesUsed'] + snapshots + volumes}  # 1 GiB each
    have = {'snapshots': limits['maxTotalSnapshots'],
            'gigabytes': limits['maxTotalVolumeGigabytes']}
    raise_to = {key: need[key] for key in need if 0 <= have[key] < need[key]}
    if raise_to:
        cinder('admin').quotas.update(demo.client.session.get_project_id(), **raise_to)
        print('raised the demo quotas: %s' % raise_to)


def seed(demo, count):
    """Make the bench snapshots exactly bench-snap-0 .. bench-snap-<count-1>, available."""
    started = time.monotonic()
    snapshots = bench(demo.volume_snapshots.list(), 'bench-snap-')
    trimmed = delete(demo.volume_snapshots, [
        s for name, s in snapshots.items()
        if s.status == 'error' or int(name.rpartition('-')[2]) >= count])
    delete(demo.volumes, [v for v in bench(demo.volumes.list(), 'bench-vol-').values()
                          if v.status == 'error'])  # a cloud just started fails a few
    names = ['bench-vol-%d' % i for i in range(VOLUMES)]
    new_volumes = [name for name in names
                   if name not in bench(demo.volumes.list(), 'bench-vol-')]
    existing = bench(demo.volume_snapshots.list(), 'bench-snap-')
    missing = [i for i in range(count) if 'bench-snap-%d' % i not in existing]
    ensure_quota(demo, len(missing), len(new_volumes))
    with futures.ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(lambda name: demo.volumes.create(1, name=name), new_volumes))
    wait_available(demo.volumes, 'bench-vol-', 120)
    volumes = bench(demo.volumes.list(), 'bench-vol-')
    with futures.ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(lambda i: demo.volume_snapshots.create(
            volumes[names[i % VOLUMES]].id, name='bench-snap-%d' % i), missing))
    wait_available(demo.volume_snapshots, 'bench-snap-', 120 + len(missing))
    if missing or trimmed:
        print('N=%d: %d snapshots created, %d deleted in %.0fs'
              % (count, len(missing), trimmed, time.monotonic() - started))


def cleanup(demo):
    """Snapshots first (a volume with snapshots cannot be deleted), then the volumes."""
    for manager, prefix in ((demo.volume_snapshots, 'bench-snap-'),
                            (demo.volumes, 'bench-vol-')):
        print('deleted %d %s*' % (delete(manager, bench(manager.list(), prefix).values()),
                                  prefix))


# --- measuring ---------------------------------------------------------------

class Disturbed(Exception):
    """A page saw an API error (the cloud changed under us, e.g. a token revoked)."""


class CallCounter:
    """Counts every HTTP request the process sends, by destination port; notes failures."""

    def __init__(self):
        self.ports, self.failed = collections.Counter(), []
        self.lock = threading.Lock()
        original = HTTPAdapter.send

        def send(adapter, request, *args, **kwargs):
            response = original(adapter, request, *args, **kwargs)
            with self.lock:
                self.ports[urlsplit(request.url).port] += 1
                if response.status_code >= 400:
                    self.failed.append('%s %s' % (response.status_code, request.url))
            return response

        HTTPAdapter.send = send

    def reset(self):
        with self.lock:
            self.ports, self.failed = collections.Counter(), []

    def take(self):
        with self.lock:
            counts, failed = self.ports, self.failed
            self.ports, self.failed = collections.Counter(), []
        if failed:
            raise Disturbed('%d API calls failed, first: %s' % (len(failed), failed[0]))
        return {SERVICES.get(port, str(port)): n for port, n in sorted(counts.items())}


def login(client, user):
    creds = load_cloud_info()['users'][user]
    client.get('/auth/login/')
    response = client.post('/auth/login/', {'username': creds['username'],
                                            'password': creds['password'],
                                            'region': 'default'})
    if response.status_code != 302 or '/auth/login' in response.get('Location', ''):
        sys.exit('login as %s failed (%s)' % (user, response.status_code))


def get(client, counter, path, rows_range):
    """One GET: (milliseconds, calls by service), after the sanity checks."""
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    calls = counter.take()
    html = response.content.decode()
    rows = len(ROW.findall(html))
    if ERROR.search(html):
        raise Disturbed('%s shows an error: %s' % (path, ERROR.search(html).group(1)))
    if response.status_code != 200 or rows not in rows_range:
        sys.exit('%s: status %s, %d rows rendered, expected %d to %d'
                 % (path, response.status_code, rows, rows_range[0], rows_range[-1]))
    return elapsed, calls


def measure(client, counter, repeat, rows_range):
    """Both pages, interleaved so that a busy cloud slows both alike."""
    login(client, 'demo')
    counter.reset()  # the login's first, domain-scoped attempt gets a 401 by design
    for _, path in PAGES:
        client.get(path)  # warm-up: microversion discovery, caches, templates
    counter.take()  # raises if the login or a warm-up failed
    samples = {page: [] for page, _ in PAGES}
    for _ in range(repeat):
        for page, path in PAGES:
            samples[page].append(get(client, counter, path, rows_range))
    results = []
    for page, path in PAGES:
        times, calls = zip(*samples[page], strict=True)
        if any(c != calls[0] for c in calls):
            print('note: %s made different calls across requests: %s' % (path, calls))
        p90 = statistics.quantiles(times, n=10, method='inclusive')[8]
        results.append((page, statistics.median(times), p90, calls[0]))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--sizes', default='10,100,500')
    parser.add_argument('--repeat', type=int, default=7)
    parser.add_argument('--cleanup', action='store_true', help='delete the bench data, exit')
    args = parser.parse_args()
    started, demo = time.monotonic(), cinder('demo')
    if args.cleanup:
        return cleanup(demo)

    warnings.simplefilter('ignore')
    django.setup()
    warnings.simplefilter('ignore')  # Horizon's settings turn DeprecationWarnings back on
    logging.disable(logging.ERROR)  # Horizon's chatter about the neutron stub; failures
    # that matter raise Disturbed (a failed API call, an error message on the page)
    from django.conf import settings
    from django.test import Client
    counter = CallCounter()
    client = Client(HTTP_HOST='127.0.0.1')
    page_size = settings.API_RESULT_PAGE_SIZE

    results = []
    for size in sorted(int(s) for s in args.sizes.split(',')):
        seed(demo, size)
        in_project = len(demo.volume_snapshots.list())
        if in_project != size:
            print('note: N=%d, but the demo project holds %d snapshots' % (size, in_project))
        for attempt in (1, 2):
            try:
                rows_range = range(min(size, page_size), page_size + 1)
                measured = measure(client, counter, args.repeat, rows_range)
                break
            except Disturbed as error:
                print('N=%d, attempt %d disturbed: %s' % (size, attempt, error))
        else:
            sys.exit('giving up: the cloud keeps changing under the benchmark')
        results += [(size, *row) for row in measured]

    print('\n%6s | %-7s | %9s | %7s | %s' % ('N', 'page', 'median ms', 'p90 ms',
                                             'API calls/page (by service)'))
    print('-' * 72)
    for size, page, median, p90, calls in results:
        detail = ', '.join('%s %d' % item for item in calls.items())
        print('%6d | %-7s | %9.1f | %7.1f | %d (%s)'
              % (size, page, median, p90, sum(calls.values()), detail))
    ours = [r for r in results if r[1] == 'ours']
    largest = {page: median for size, page, median, _, _ in results if size == ours[-1][0]}
    print('\nours: API calls per page independent of N: %s'
          % ('yes' if all(r[4] == ours[0][4] for r in ours) else 'no'))
    print('ours no slower than Horizon\'s at N=%d: %s (%.1f ms vs %.1f ms)'
          % (ours[-1][0], 'yes' if largest['ours'] <= largest['horizon'] else 'no',
             largest['ours'], largest['horizon']))
    print('total run time: %.0fs (page size %d, %d requests per page and N)'
          % (time.monotonic() - started, page_size, args.repeat))


if __name__ == '__main__':
    main()
