"""Shared machinery of the page benchmarks: bench data, page workers, the table.

A benchmark (``snapshot_pages.py``, ``share_snapshot_pages.py``) names its pages and how
to make the demo project hold N items; ``run`` does the rest:

* **Bench data**: ``Fixture`` makes the demo project hold exactly N children
  (snapshots) named ``<prefix><i>`` on a few parents (volumes, shares), creating or
  deleting only the difference, ``WORKERS`` at a time, and waiting for them.  Quotas
  that would not fit are raised as admin and restored to their old values at the end;
  everything the run created is deleted at the end, even when it fails.
* **Pages**: each page renders in a worker process (this file with ``--serve``) set up
  with the page's Django settings, with Django's test ``Client`` logged in as demo
  through the real login form.  Two settings can then register panels of the same slug
  (ours and manila-ui's ``share_snapshots``), each in a Horizon of its own.  One
  warm-up per page, then ``repeat`` GETs, the pages interleaved so that a busy machine
  slows all alike.
* Server time = wall time of ``client.get`` in the worker (median and p90).  API calls
  per page = the outgoing HTTP requests sent while serving it: every OpenStack client,
  keystoneauth included, sends through ``requests.adapters.HTTPAdapter.send``, which
  the worker wraps to count them by port.
* Sanity: each response is 200, shows no error and renders the expected number of rows;
  an API call that fails (a token revoked by a re-provisioning, ...) makes that N run
  again once.
"""

import argparse
import collections
import json
import logging
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import warnings
from concurrent import futures
from urllib.parse import urlsplit

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [REPO, os.path.join(REPO, 'devsite')]

from keystoneauth1 import exceptions as ks_exceptions  # noqa: E402
from keystoneauth1 import session as ks_session  # noqa: E402
from keystoneauth1.identity import v3  # noqa: E402

from localcloud.info import load_cloud_info  # noqa: E402

SERVICES = {5000: 'keystone', 8776: 'cinder', 8774: 'nova', 9292: 'glance',
            9696: 'neutron', 8786: 'manila', 8778: 'placement'}
WORKERS, POLL, STALL = 8, 2.0, 60
ERROR = re.compile(r'alert-danger alert-dismissable.*?</strong>(.*?)</p>', re.S)


# --- the local cloud ---------------------------------------------------------

def session(user):
    """A keystoneauth session of ``user`` of the local cloud, and the region."""
    info = load_cloud_info()
    auth = v3.Password(auth_url=info['auth_url'], **info['users'][user])
    return ks_session.Session(auth=auth), info['region']


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


def wait_gone(manager, ids):
    """Wait until ``ids`` left ``manager``'s list, or none left for STALL seconds: those left."""
    left, moved = set(ids), time.monotonic()
    while left and time.monotonic() - moved < STALL:
        time.sleep(POLL)
        try:
            now = left & {item.id for item in manager.list()}
        except ks_exceptions.ConnectionError as error:
            print('retrying after: %s' % error)
            continue
        if len(now) < len(left):
            left, moved = now, time.monotonic()
    return left


def delete(manager, items, force=None):
    """Delete ``items``, WORKERS at a time, and wait until they are gone.

    When none went away for STALL seconds, ``force(item)`` (if given) deletes again
    those left: a delete whose message the service lost (seen with cinder-backup)
    stays ``deleting`` forever.
    """
    with futures.ThreadPoolExecutor(WORKERS) as pool:  # 'deleting': a killed run's
        list(pool.map(manager.delete, [item for item in items if item.status != 'deleting']))
    left = wait_gone(manager, {item.id for item in items})
    if left and force:
        print('deleting again (forced) %d that hang: %s' % (len(left), sorted(left)))
        for item in items:
            if item.id in left:
                force(item)
        left = wait_gone(manager, left)
    if left:
        sys.exit('%d deletions hang: %s' % (len(left), sorted(left)))
    return len(items)


class Quota:
    """Raises quotas as admin when needed, remembers the old values, restores them.

    ``get()`` returns the project's quotas as a dict, ``update(**values)`` sets some.
    """

    def __init__(self, get, update):
        self.get, self.update, self.saved = get, update, {}

    def ensure(self, need):
        """Raise (never lower) each quota of ``need`` (name -> total needed)."""
        have = self.get()
        raise_to = {key: value for key, value in need.items() if 0 <= have[key] < value}
        if raise_to:
            self.saved = {key: have[key] for key in raise_to} | self.saved
            self.update(**raise_to)
            print('raised the demo quotas: %s' % raise_to)

    def restore(self):
        if self.saved:
            self.update(**self.saved)
            print('restored the demo quotas: %s' % self.saved)


class Fixture:
    """N children ``<child_prefix><i>`` spread over ``parents`` parents.

    A subclass sets the managers, prefixes and ``create_parent(name)``,
    ``create_child(parent, name)`` (or ``create_children`` for another way to make
    many), ``ensure_quota(children, parents)``.
    """

    parents = 4
    parent_manager = child_manager = None
    parent_prefix = child_prefix = ''
    #: ``force_delete(child)`` deletes again a child whose deletion hangs, if possible.
    force_delete = None

    def seed(self, count):
        """Make the children exactly <prefix>0 .. <prefix><count-1>, available."""
        started = time.monotonic()
        children = bench(self.child_manager.list(), self.child_prefix)
        trimmed = delete(self.child_manager, [
            item for name, item in children.items()
            if item.status == 'error' or int(name.rpartition('-')[2]) >= count],
            self.force_delete)
        delete(self.parent_manager, [  # a cloud just started fails a few
            item for item in bench(self.parent_manager.list(), self.parent_prefix).values()
            if item.status == 'error'])
        names = ['%s%d' % (self.parent_prefix, i) for i in range(self.parents)]
        new_parents = [name for name in names if name not in
                       bench(self.parent_manager.list(), self.parent_prefix)]
        existing = bench(self.child_manager.list(), self.child_prefix)
        missing = [i for i in range(count) if '%s%d' % (self.child_prefix, i) not in existing]
        self.ensure_quota(len(missing), len(new_parents))
        with futures.ThreadPoolExecutor(WORKERS) as pool:
            list(pool.map(self.create_parent, new_parents))
        wait_available(self.parent_manager, self.parent_prefix, 120)
        parents = bench(self.parent_manager.list(), self.parent_prefix)
        self.create_children([parents[name] for name in names], missing)
        if missing or trimmed:
            print('N=%d: %d created, %d deleted in %.0fs'
                  % (count, len(missing), trimmed, time.monotonic() - started))

    def create_children(self, parents, missing):
        """Create the children of indexes ``missing``, child i on parent i % len(parents)."""
        with futures.ThreadPoolExecutor(WORKERS) as pool:
            list(pool.map(lambda i: self.create_child(
                parents[i % len(parents)], '%s%d' % (self.child_prefix, i)), missing))
        wait_available(self.child_manager, self.child_prefix, 120 + len(missing))

    def cleanup(self):
        """Children first (a parent with children cannot be deleted), then the parents."""
        for manager, prefix, force in (
                (self.child_manager, self.child_prefix, self.force_delete),
                (self.parent_manager, self.parent_prefix, None)):
            print('deleted %d %s*' % (delete(manager, bench(manager.list(), prefix).values(),
                                             force), prefix))


# --- the page workers --------------------------------------------------------

class Disturbed(Exception):
    """A page saw an API error (the cloud changed under us, e.g. a token revoked)."""


class CallCounter:
    """Counts every HTTP request the process sends, by destination port; notes failures."""

    def __init__(self):
        from requests.adapters import HTTPAdapter
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

    def take(self):
        with self.lock:
            counts, failed = self.ports, self.failed
            self.ports, self.failed = collections.Counter(), []
        return {SERVICES.get(port, str(port)): n for port, n in sorted(counts.items())}, failed


def serve():
    """The worker: JSON commands on stdin, one JSON answer per line on stdout."""
    answers = os.fdopen(os.dup(1), 'w')
    os.dup2(2, 1)  # whatever Horizon prints goes to stderr, not into the answers
    warnings.simplefilter('ignore')
    import django
    django.setup()
    warnings.simplefilter('ignore')  # Horizon's settings turn DeprecationWarnings back on
    logging.disable(logging.ERROR)  # Horizon's chatter; failures that matter show as
    # failed API calls or an error message on the page
    from django.conf import settings
    from django.test import Client
    counter, client = CallCounter(), Client(HTTP_HOST='127.0.0.1')
    answers.write(json.dumps({'page_size': settings.API_RESULT_PAGE_SIZE}) + '\n')
    answers.flush()
    for line in sys.stdin:
        command = json.loads(line)
        if command['op'] == 'login':
            creds = load_cloud_info()['users'][command['user']]
            client.get('/auth/login/')
            response = client.post('/auth/login/', {
                'username': creds['username'], 'password': creds['password'],
                'region': 'default'})
            counter.take()  # the login's first, domain-scoped attempt gets a 401 by design
            answer = {'ok': response.status_code == 302
                      and '/auth/login' not in response.get('Location', '')}
        else:
            started = time.perf_counter()
            response = client.get(command['path'])
            elapsed = (time.perf_counter() - started) * 1000
            calls, failed = counter.take()
            html = response.content.decode()
            error = ERROR.search(html)
            answer = {'ms': elapsed, 'calls': calls, 'failed': failed,
                      'status': response.status_code, 'error': error and error.group(1),
                      'rows': len(re.findall(r'<tr[^>]*\bid="%s__row__' % command['table'],
                                             html))}
        answers.write(json.dumps(answer) + '\n')
        answers.flush()


class Worker:
    """A ``serve()`` process with Django settings ``settings``."""

    def __init__(self, settings):
        env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings)
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), '--serve'], env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.page_size = self.read()['page_size']

    def read(self):
        line = self.process.stdout.readline()
        if not line:
            sys.exit('a page worker died (exit %s)' % self.process.wait())
        return json.loads(line)

    def ask(self, **command):
        self.process.stdin.write(json.dumps(command) + '\n')
        self.process.stdin.flush()
        return self.read()

    def close(self):
        self.process.stdin.close()
        self.process.wait()


class Page:
    """A page: its label, Django settings, path, table name, and whether it pages."""

    def __init__(self, label, settings, path, table, paged):
        self.label, self.settings, self.path = label, settings, path
        self.table, self.paged = table, paged

    def rows(self, size, page_size):
        """Rows expected at N=size (more if other tests keep items in the project)."""
        if self.paged:
            return range(min(size, page_size), page_size + 1)
        return range(size, size + page_size + 1)


def get(worker, page, size):
    """One GET: (milliseconds, calls by service), after the sanity checks."""
    answer = worker.ask(op='get', path=page.path, table=page.table)
    if answer['failed']:
        raise Disturbed('%d API calls failed, first: %s'
                        % (len(answer['failed']), answer['failed'][0]))
    if answer['error']:
        raise Disturbed('%s shows an error: %s' % (page.path, answer['error']))
    rows_range = page.rows(size, worker.page_size)
    if answer['status'] != 200 or answer['rows'] not in rows_range:
        sys.exit('%s: status %s, %d rows rendered, expected %d to %d'
                 % (page.path, answer['status'], answer['rows'], rows_range[0],
                    rows_range[-1]))
    return answer['ms'], answer['calls']


def measure(workers, pages, size, repeat):
    """All pages, interleaved so that a busy cloud slows all alike."""
    for worker in set(workers.values()):
        if not worker.ask(op='login', user='demo')['ok']:
            sys.exit('login as demo failed')
    for page in pages:
        answer = workers[page.settings].ask(op='get', path=page.path, table=page.table)
        if answer['failed']:  # warm-up: microversion discovery, caches, templates
            raise Disturbed('warm-up of %s: %s' % (page.path, answer['failed'][0]))
    samples = {page.label: [] for page in pages}
    for _ in range(repeat):
        for page in pages:
            samples[page.label].append(get(workers[page.settings], page, size))
    load = os.getloadavg()[0]
    results = []
    for page in pages:
        times, calls = zip(*samples[page.label], strict=True)
        if any(c != calls[0] for c in calls):
            print('note: %s made different calls across requests: %s' % (page.path, calls))
        p90 = statistics.quantiles(times, n=10, method='inclusive')[8]
        results.append((size, page.label, statistics.median(times), p90, calls[0], load))
    return results


def report(results, pages, started):
    print('\n%6s | %-9s | %9s | %7s | %4s | %s' % ('N', 'page', 'median ms', 'p90 ms', 'load',
                                                  'API calls/page (by service)'))
    print('-' * 83)
    for size, label, median, p90, calls, load in results:
        detail = ', '.join('%s %d' % item for item in calls.items())
        print('%6d | %-9s | %9.1f | %7.1f | %4.1f | %d (%s)'
              % (size, label, median, p90, load, sum(calls.values()), detail))
    ours, theirs = pages[0].label, pages[1].label
    by_page = collections.defaultdict(list)
    for size, label, median, _, calls, _ in results:
        by_page[label].append((size, median, sum(calls.values())))
    largest = by_page[ours][-1][0]
    print('\nours: API calls per page independent of N: %s'
          % ('yes' if len({calls for _, _, calls in by_page[ours]}) == 1 else 'no'))
    print('ours: fewer API calls than %s at every N: %s' % (theirs, 'yes' if all(
        o[2] < t[2] for o, t in zip(by_page[ours], by_page[theirs], strict=True)) else 'no'))
    print('ours no slower than %s at N=%d: %s (%.1f ms vs %.1f ms)'
          % (theirs, largest, 'yes' if by_page[ours][-1][1] <= by_page[theirs][-1][1]
             else 'no', by_page[ours][-1][1], by_page[theirs][-1][1]))
    print('total run time: %.0fs' % (time.monotonic() - started))


def run(fixture, pages, sizes, repeat):
    """Measure ``pages`` at each N of ``sizes``; delete the bench data at the end."""
    started = time.monotonic()
    workers = {settings: Worker(settings) for settings in {page.settings for page in pages}}
    results = []
    try:
        for size in sorted(sizes):
            fixture.seed(size)
            for attempt in (1, 2):
                try:
                    results += measure(workers, pages, size, repeat)
                    break
                except Disturbed as error:
                    print('N=%d, attempt %d disturbed: %s' % (size, attempt, error))
            else:
                sys.exit('giving up: the cloud keeps changing under the benchmark')
    finally:
        for worker in workers.values():
            worker.close()
        try:
            fixture.cleanup()
        finally:
            fixture.quota.restore()
    report(results, pages, started)


def main(description, make_fixture, pages):
    """The command line of a page benchmark: ``--sizes``, ``--repeat``, ``--cleanup``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--sizes', default='10,100,500')
    parser.add_argument('--repeat', type=int, default=7)
    parser.add_argument('--cleanup', action='store_true', help='delete the bench data, exit')
    args = parser.parse_args()
    if args.cleanup:
        return make_fixture().cleanup()
    run(make_fixture(), pages, [int(size) for size in args.sizes.split(',')], args.repeat)


if __name__ == '__main__' and sys.argv[1:] == ['--serve']:
    serve()
