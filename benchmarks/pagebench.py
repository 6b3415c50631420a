"""Shared machinery of the page benchmarks: bench data, measurements, the report.

A benchmark names its pages (``Page``; ``Comparison``: our page against a peer or the
sum of several) and how to make the demo project hold a size's items (a ``Fixture`` of
children on a few parents, or its own object of ``Items``); ``main`` parses the shared
options and ``run`` does the rest, in the configuration of ``production.py``:

* **Bench data**: the items ``<prefix><i>`` are made exactly those of the size, creating
  or deleting only the difference, ``WORKERS`` at a time; quotas that would not fit are
  raised as admin, ``HEADROOM`` above what the run makes, and restored at the end;
  everything the run created is deleted at the end, even when it fails.
* **Measurements** (``Measurement``): server time and API calls of each page in worker
  processes (``pageworker.py``), the pages interleaved so that a busy machine slows all
  alike; the ajax row update of each table; the browser's time (``browserbench.py``);
  a sampled profile at the largest size.  A size whose measurement saw the cloud change
  (failed API calls, an error shown) is measured again.
* **Report**: the tables, the profiles and the verdicts against issue 14's targets; a
  run stopped with SIGTERM reports the sizes it measured before it cleans up.

benchmarks/README.md tells how each number is taken.
"""

import argparse
import collections
import os
import signal
import statistics
import sys
import threading
import time
from concurrent import futures

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [REPO, os.path.join(REPO, 'devsite')]

import browserbench  # noqa: E402
import pageworker  # noqa: E402
import production  # noqa: E402
from keystoneauth1 import exceptions as ks_exceptions  # noqa: E402
from keystoneauth1 import session as ks_session  # noqa: E402
from keystoneauth1.identity import v3  # noqa: E402

from localcloud.info import load_cloud_info  # noqa: E402

WORKERS, POLL, STALL = 8, 2.0, 60
#: Seconds a bench-data API request may take: one never answered (the R = 500
#: run of 2026-12-07 00:46: share creations, 8 at a time, stopped for 8 minutes, none of
#: the missing ones in manila-api's log) is sent again instead of hanging the run.
TIMEOUT = 180
#: How often (s) the wait for items to be ready prints how many are.
PROGRESS = 60
#: Tries of a size whose measurement saw the cloud change, and the pause between them.
ATTEMPTS, RETRY_AFTER = 5, 60
#: Items of each kind a raised quota leaves free above those the run makes: other
#: sessions' tests make items in the demo project during a run (the N = 1000 runs
#: needed the room).
HEADROOM = 50
#: Set by SIGTERM: the threads making bench items stop, so that the run cleans up at once.
STOPPING = threading.Event()

_ONE_AT_A_TIME = threading.Lock()


def one_at_a_time(call):
    """``call`` made by one thread at a time: a manilaclient manager is not
    thread-safe (each create sets and deletes the manager's completion-cache
    attributes: two threads at once failed with "no attribute '_uuid_cache'")."""
    def serialized(*args, **kwargs):
        with _ONE_AT_A_TIME:
            return call(*args, **kwargs)
    return serialized


# --- the local cloud ---------------------------------------------------------

def session(user):
    """A keystoneauth session of ``user`` of the local cloud, and the region."""
    info = load_cloud_info()
    auth = v3.Password(auth_url=info['auth_url'], **info['users'][user])
    return ks_session.Session(auth=auth, timeout=TIMEOUT), info['region']


def retried(call, *args, **kwargs):
    """``call(*args, **kwargs)``, again while the cloud does not answer (a service
    restarting under the run, a request timed out), until STALL seconds after the
    first failure."""
    deadline = None
    while True:
        try:
            return call(*args, **kwargs)
        except ks_exceptions.ConnectionError as error:  # ConnectTimeout included
            deadline = deadline or time.monotonic() + STALL
            if time.monotonic() > deadline:
                raise
            print('retrying after: %s' % error)
            time.sleep(POLL)


def absolute_limits(client):
    """A Cinder, Manila or Nova client's absolute limits and usage, by name."""
    return {limit.name: limit.value for limit in retried(client.limits.get).absolute}


def bench(items, prefix):
    return {item.name: item for item in items if (item.name or '').startswith(prefix)}


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


def refused(manager, item):
    """Delete ``item``; True if the service refused for now (it is still being made)."""
    try:
        retried(manager.delete, item)
    except Exception as error:
        if getattr(error, 'code', getattr(error, 'http_status', None)) not in (400, 409):
            raise
        return True
    return False


def delete(manager, items, force=None):
    """Delete ``items``, WORKERS at a time, and wait until they are gone.

    An item the service refuses to delete yet (``creating``) is deleted again until it
    settled, for STALL seconds.  ``force(item)`` (if given) then deletes, as admin, those
    still refused or, when none went away for STALL seconds, those still there: a
    message the service lost (a cloud restarted under us, cinder-backup now and then)
    leaves an item ``creating`` or ``deleting`` forever.
    """
    items = list(items)
    pending = [item for item in items if item.status != 'deleting']  # a killed run's
    deadline = time.monotonic() + STALL
    while pending and time.monotonic() < deadline:
        with futures.ThreadPoolExecutor(WORKERS) as pool:
            pending = [item for item, no in zip(pending, pool.map(
                lambda item: refused(manager, item), pending), strict=True) if no]
        if pending:
            time.sleep(POLL)
    if pending and not force:
        sys.exit('%d deletions refused: %s' % (len(pending), [i.id for i in pending]))
    for item in pending:
        print('deleting (forced) %s %s, refused: %s' % (item.name, item.id, item.status))
        force(item)
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
        have = retried(self.get)
        raise_to = {key: value for key, value in need.items() if 0 <= have[key] < value}
        if raise_to:
            self.saved = {key: have[key] for key in raise_to} | self.saved
            retried(self.update, **raise_to)
            print('raised the demo quotas: %s' % raise_to)

    def restore(self):
        if self.saved:
            retried(self.update, **self.saved)
            print('restored the demo quotas: %s' % self.saved)


class Quotas:
    """The ``Quota`` of several services (``quotas``: by service), restored together."""

    def __init__(self, quotas):
        self.quotas = quotas

    def restore(self):
        failed = []
        for service, quota in self.quotas.items():
            try:
                quota.restore()
            except Exception as error:
                failed.append('%s: %s' % (service, error))
        if failed:
            sys.exit('quotas NOT restored: %s' % failed)


class Items:
    """The bench items ``<prefix><i>`` in one manager's list (the demo project's).

    ``ready``: the status of an item made; ``force_delete(item)`` deletes again an
    item whose deletion hangs, if the service can; ``wave``: how many to make before
    waiting for them to be ready (all at once if None).
    """

    def __init__(self, manager, prefix, ready='available', force_delete=None, wave=None):
        self.manager, self.prefix, self.ready = manager, prefix, ready
        self.force_delete, self.wave = force_delete, wave

    def name(self, index):
        return '%s%d' % (self.prefix, index)

    def existing(self):
        return bench(retried(self.manager.list), self.prefix)

    def every(self):
        """Every item of the prefix: a create the service did while its answer was lost
        and that was sent again made two of a name."""
        return [item for item in retried(self.manager.list)
                if (item.name or '').startswith(self.prefix)]

    def missing(self, count):
        existing = self.existing()
        return [i for i in range(count) if self.name(i) not in existing]

    def trim(self, count):
        """Delete those in error (a cloud just started fails a few) and those numbered
        ``count`` or more; how many."""
        names = collections.Counter(item.name for item in self.every())
        return delete(self.manager, [
            item for item in self.every()
            if item.status.lower() == 'error' or names[item.name] > 1
            or int(item.name[len(self.prefix):]) >= count], self.force_delete)

    def create(self, indexes, create, stall=STALL):
        """``create(i)`` for each index, in waves of ``wave``, each made and ready
        before the next."""
        size = self.wave or len(indexes) or 1
        for start in range(0, len(indexes), size):
            if STOPPING.is_set():
                return
            self.create_wave(indexes[start:start + size], create, stall)

    def create_wave(self, indexes, create, stall):
        """``create(i)`` for each index, WORKERS at a time, and wait until all are ready.

        Items that fail or stall (a service restarted under the run loses their
        message) are deleted and made again, once.  After SIGTERM (``STOPPING``) it
        makes no more and waits for none.
        """
        def create_one(index):
            if not STOPPING.is_set():
                retried(create, index)

        for attempt in (1, 2):
            with futures.ThreadPoolExecutor(WORKERS) as pool:
                list(pool.map(create_one, indexes))
            stuck = self.wait_ready(stall)
            if not stuck or STOPPING.is_set():
                return
            print('%d %s* %s: %s' % (len(stuck), self.prefix, 'making them again'
                                     if attempt == 1 else 'giving up',
                                     sorted({item.status for item in stuck})))
            delete(self.manager, stuck, self.force_delete)
            indexes = [int(item.name[len(self.prefix):]) for item in stuck]
        sys.exit('%s* could not be made' % self.prefix)

    def wait_ready(self, stall=STALL):
        """Wait until every item is ready; those failed, or not ready after ``stall``
        seconds in which none became ready (none after SIGTERM)."""
        ready, moved = -1, time.monotonic()
        progress = moved + PROGRESS
        while not STOPPING.is_set():
            try:
                items = self.existing().values()
            except ks_exceptions.ConnectionError as error:
                print('retrying after: %s' % error)
                time.sleep(POLL)
                continue
            done = sum(item.status.lower() == self.ready for item in items)
            if time.monotonic() > progress:
                print('%s %s*: %d of %d %s' % (time.strftime('%H:%M:%S'), self.prefix, done,
                                              len(items), self.ready), flush=True)
                progress = time.monotonic() + PROGRESS
            failed = [item for item in items if item.status.lower() == 'error']
            if done == len(items) or (failed and done + len(failed) == len(items)):
                return failed
            if done > ready:
                ready, moved = done, time.monotonic()
            elif time.monotonic() - moved > stall:
                return [item for item in items if item.status.lower() != self.ready]
            time.sleep(POLL)
        return []

    def cleanup(self):
        print('deleted %d %s*' % (delete(self.manager, self.every(), self.force_delete),
                                  self.prefix))


class Fixture:
    """N children ``<child_prefix><i>`` spread over ``parents`` parents.

    A subclass sets the managers, prefixes and ``create_parent(name)``,
    ``create_child(parent, name)`` (or ``create_children`` for another way to make
    many), ``ensure_quota(children, parents)`` (the quotas for that many more of each,
    ``HEADROOM`` included), and ``label(size)`` if a size is more than a number.
    """

    parents = 4
    parent_manager = child_manager = None
    parent_prefix = child_prefix = ''
    #: ``force_delete(child)`` deletes again a child whose deletion hangs, if possible.
    force_delete = None

    @property
    def parent_items(self):
        return Items(self.parent_manager, self.parent_prefix)

    @property
    def child_items(self):
        return Items(self.child_manager, self.child_prefix, force_delete=self.force_delete)

    def seed(self, count):
        """Make the children exactly <prefix>0 .. <prefix><count-1>, available."""
        started = time.monotonic()
        trimmed = self.child_items.trim(count)
        self.parent_items.trim(self.parents)
        new_parents = self.parent_items.missing(self.parents)
        missing = self.child_items.missing(count)
        self.ensure_quota(len(missing) + HEADROOM, len(new_parents) + HEADROOM)
        self.parent_items.create(new_parents, lambda i: self.create_parent(
            self.parent_items.name(i)))
        parents = self.parent_items.existing()
        self.create_children([parents[self.parent_items.name(i)] for i in range(self.parents)],
                             missing)
        if missing or trimmed:
            print('N=%d: %d created, %d deleted in %.0fs'
                  % (count, len(missing), trimmed, time.monotonic() - started))

    def create_children(self, parents, missing):
        """Create the children of indexes ``missing``, child i on parent i % len(parents)."""
        self.child_items.create(missing, lambda i: self.create_child(
            parents[i % len(parents)], self.child_items.name(i)))

    def cleanup(self):
        """Children first (a parent with children cannot be deleted), then the parents."""
        self.child_items.cleanup()
        self.parent_items.cleanup()


# --- the pages -----------------------------------------------------------------

class Disturbed(Exception):
    """A page saw an API error (the cloud changed under us, e.g. a token revoked)."""


class Page:
    """A page: label, Django settings, path, its tables, whether it pages, its user.

    ``items(size)`` is how many bench items each of its tables lists at ``size``.
    """

    def __init__(self, label, settings, path, tables, paged=True, user='demo',
                 items=lambda size: size):
        self.label, self.settings, self.path = label, settings, path
        self.tables = (tables,) if isinstance(tables, str) else tuple(tables)
        self.paged, self.user, self.items = paged, user, items

    def rows_ok(self, rows, size, page_size):
        """Rows as expected (more if other tests keep items in the project)?"""
        least = min(self.items(size), page_size) if self.paged else self.items(size)
        return rows >= least and (rows <= page_size or not self.paged)

    def row_selector(self):
        return ', '.join('tr[id^="%s__row__"]' % table for table in self.tables)


class Comparison:
    """Our page against a peer page, or against the sum of the pages a user would open."""

    def __init__(self, ours, *peers):
        self.ours, self.peers = ours, peers
        self.peer_label = peers[0].label if len(peers) == 1 else '%s peers' % ours.label


def check(page, answer, size, page_size):
    """The sanity checks of one answer; Disturbed when the cloud changed under us."""
    if answer['failed']:
        raise Disturbed('%s: %d API calls failed, first: %s'
                        % (page.path, len(answer['failed']), answer['failed'][0]))
    if answer['error']:
        raise Disturbed('%s shows an error: %s' % (page.path, answer['error']))
    for table, rows in answer['rows'].items():
        if answer['status'] != 200 or not page.rows_ok(rows, size, page_size):
            sys.exit('%s: status %s, %d rows of %s rendered at %s'
                     % (page.path, answer['status'], rows, table, size))


class Measurement:
    """One run's workers, servers and browsers, and what they measured."""

    def __init__(self, config, pages, options):
        self.config, self.pages, self.options = config, pages, options
        self.cache = config.caches[0]
        self.workers = {}
        self.servers, self.browsers = {}, {}
        self.server_times, self.rows, self.browser_times, self.profiles = [], [], [], []

    def worker(self, page, cache):
        key = (page.settings, page.user, cache)
        if key not in self.workers:
            self.workers[key] = pageworker.Worker(
                self.config.environment(page.settings, cache), page.user)
        return self.workers[key]

    def measure(self, size):
        """Every measurement of one size; Disturbed when the cloud changed under it."""
        for browser in self.browsers.values():
            browser.logged_in.clear()  # the cloud may have revoked the tokens
        server, first = self.measure_server(size)
        rows = self.measure_rows(size, first)
        browser = []
        if self.config.name == 'production' and self.options.browser_repeat:
            browser = self.measure_browser(size)
        self.server_times += server
        self.rows += rows
        self.browser_times += browser

    def measure_server(self, size):
        """Server times and calls of each page in each cache; the first bench row ids."""
        runs = [(page, cache) for cache in self.config.caches for page in self.pages]
        first = {}
        for worker in dict.fromkeys(self.worker(page, cache) for page, cache in runs):
            worker.login()  # once per worker: a login starts a new session
        for page, cache in runs:  # warm-up: microversion discovery, caches, templates
            worker = self.worker(page, cache)
            answer = worker.ask(op='get', path=page.path, tables=page.tables)
            check(page, answer, size, worker.page_size)
            first[page.label] = {table: (answer['first'][table], answer['first_url'][table])
                                 for table in page.tables}
        samples = collections.defaultdict(list)
        for _ in range(self.options.repeat):
            for page, cache in runs:
                worker = self.worker(page, cache)
                answer = worker.ask(op='get', path=page.path, tables=page.tables)
                check(page, answer, size, worker.page_size)
                samples[page.label, cache].append((answer['ms'], answer['calls']))
        load, results = os.getloadavg()[0], []
        for (label, cache), values in samples.items():
            times, calls = zip(*values, strict=True)
            if any(c != calls[0] for c in calls):
                print('note: %s made different calls across requests: %s' % (label, calls))
            results.append({
                'size': size, 'page': label, 'cache': cache, 'load': load,
                'median': statistics.median(times), 'calls': calls[0],
                'p90': statistics.quantiles(times, n=10, method='inclusive')[8]})
        return results, first

    def measure_rows(self, size, first):
        """The ajax row update of each table, on its first bench row, by the URL it polls."""
        samples = collections.defaultdict(list)
        for _ in range(self.options.repeat):
            for page in self.pages:
                worker = self.worker(page, self.cache)
                for table in page.tables:
                    obj_id, url = first[page.label][table]
                    if obj_id is None:
                        continue
                    answer = worker.ask(op='row', path=page.path, tables=[table], table=table,
                                        obj_id=obj_id, url=url)
                    if answer['failed'] or answer['status'] != 200 or answer['rows'][table] != 1:
                        raise Disturbed('row update of %s %s: status %s, failed %s'
                                        % (page.path, table, answer['status'],
                                           answer['failed'][:1]))
                    samples[page.label, table].append((answer['ms'], answer['calls']))
        return [{'size': size, 'page': label, 'table': table, 'calls': values[-1][1],
                 'median': statistics.median(ms for ms, _ in values)}
                for (label, table), values in samples.items()]

    def measure_browser(self, size):
        """Navigation timings of each page in headless Chromium, after a warm-up load."""
        loads = collections.defaultdict(list)
        for round_ in range(1 + self.options.browser_repeat):
            for page in self.pages:
                if page.settings not in self.servers:
                    self.servers[page.settings] = browserbench.Server(
                        self.config.environment(page.settings, self.cache),
                        processes=2 if self.cache == 'memcached' else 1)
                if page.user not in self.browsers:
                    self.browsers[page.user] = browserbench.Browser(page.user)
                timing = self.browsers[page.user].load(
                    self.servers[page.settings], page.path, page.row_selector())
                if timing['error'] or not timing['rows']:  # or sent to the login page
                    raise Disturbed('%s in the browser: %d rows, error %s'
                                    % (page.path, timing['rows'], timing['error']))
                if round_:
                    loads[page.label].append(timing)
        load = os.getloadavg()[0]
        return [dict(browserbench.medians(values), size=size, page=label, load=load)
                for label, values in loads.items()]

    def profile(self, size):
        for page in self.pages:
            answer = self.worker(page, self.cache).ask(op='profile', path=page.path,
                                                       repeat=self.options.repeat)
            self.profiles.append((size, page.label, answer))

    def close(self):
        for item in (*self.workers.values(), *self.servers.values(), *self.browsers.values()):
            item.close()


# --- the report ----------------------------------------------------------------

def calls_text(calls):
    return '%d (%s)' % (sum(calls.values()), ', '.join('%s %d' % item for item in calls.items()))


def add_sums(rows, comparisons, keys):
    """Rows plus, for each comparison of several peers, their sum per size (and cache)."""
    out = list(rows)
    for comparison in comparisons:
        if len(comparison.peers) < 2:
            continue
        labels = {peer.label for peer in comparison.peers}
        for size, cache in dict.fromkeys((row['size'], row.get('cache')) for row in rows):
            group = [row for row in rows if row['page'] in labels and row['size'] == size
                     and row.get('cache') == cache]
            if len(group) == len(labels):
                calls = collections.Counter()
                for row in group:
                    calls.update(row.get('calls', {}))
                out.append(dict(group[0], page=comparison.peer_label,
                                calls=dict(sorted(calls.items())),
                                **{key: sum(row[key] for row in group) for key in keys}))
    return out


def find(rows, size, page, cache=None):
    return next(row for row in rows if row['size'] == size and row['page'] == page
                and row.get('cache') in (None, cache))


def report(measurement, comparisons, label, started):
    if not measurement.server_times:
        print('\nno size measured')
        return
    width = max(len(page.label) for page in measurement.pages) + 2
    server = add_sums(measurement.server_times, comparisons, ('median', 'p90'))
    report_server(measurement.config, server, label, width)
    report_rows(measurement.rows, label, width)
    browser = add_sums(measurement.browser_times, comparisons, browserbench.TIMINGS)
    report_browser(browser, label, width)
    report_profiles(measurement.profiles, label)
    verdicts(measurement, server, browser, comparisons, label)
    print('total run time: %.0fs' % (time.monotonic() - started))


def report_server(config, server, label, width):
    multi = len(config.caches) > 1
    print('\nServer time (config %s, cache %s)' % (config.name, ', '.join(config.caches)))
    print('%-14s | %-*s | %9s | %7s | %4s | %s' % ('size', width, 'page', 'median ms', 'p90 ms',
                                                  'load', 'API calls/page (by service)'))
    for row in server:
        print('%-14s | %-*s | %9.1f | %7.1f | %4.1f | %s' % (
            label(row['size']), width, row['page'] + (' [%s]' % row['cache'] if multi else ''),
            row['median'], row['p90'], row['load'], calls_text(row['calls'])))


def report_rows(rows, label, width):
    print('\nAjax row update (a poll of the first bench row of each table)')
    print('%-14s | %-*s | %-16s | %9s | %s' % ('size', width, 'page', 'table', 'median ms',
                                               'API calls/poll'))
    for row in rows:
        print('%-14s | %-*s | %-16s | %9.1f | %s' % (label(row['size']), width, row['page'],
                                                     row['table'], row['median'],
                                                     calls_text(row['calls'])))


def report_browser(browser, label, width):
    if not browser:
        return
    print('\nBrowser (headless Chromium, warm cache; medians, ms from navigation start)')
    print('%-14s | %-*s | %13s | %16s | %8s | %4s' % ('size', width, 'page', 'responseStart',
                                                      'domContentLoaded', 'load', 'load'))
    for row in browser:
        print('%-14s | %-*s | %13.0f | %16.0f | %8.0f | %4.1f' % (
            label(row['size']), width, row['page'], row['responseStart'],
            row['domContentLoadedEventEnd'], row['loadEventEnd'], row['load']))


def report_profiles(profiles, label):
    for size, page, profile in profiles:
        print('\nProfile of %s at %s: %.0f ms a request, %d samples'
              % (page, label(size), profile['ms'], profile['samples']))
        for name, ms in profile['categories']:
            print('  %-30s %7.1f ms' % (name, ms))
        print('  innermost frames:')
        for name, ms in profile['innermost']:
            print('    %-60s %6.1f ms' % (name, ms))
        if profile['ours']:
            print('  our functions (inclusive):')
            for name, ms in profile['ours']:
                print('    %-72s %6.1f ms' % (name, ms))


def verdicts(measurement, server, browser, comparisons, label):
    cache = measurement.config.caches[0]
    sizes = list(dict.fromkeys(row['size'] for row in measurement.server_times))
    largest = label(sizes[-1])
    print()
    for comparison in comparisons:
        ours, peer = comparison.ours.label, comparison.peer_label
        mine = [sum(find(server, size, ours, cache)['calls'].values()) for size in sizes]
        theirs = [sum(find(server, size, peer, cache)['calls'].values()) for size in sizes]
        print('%s: API calls per page independent of size: %s (%s)'
              % (ours, 'yes' if len(set(mine)) == 1 else 'no', mine))
        print('%s: no more API calls than %s at every size: %s (%s vs %s)' % (
            ours, peer, 'yes' if all(m <= t for m, t in zip(mine, theirs, strict=True))
            else 'no', mine, theirs))
        a, b = find(server, sizes[-1], ours, cache), find(server, sizes[-1], peer, cache)
        print('%s: server median at %s: %.1f ms vs %.1f ms, %.2fx %s (target 0.5x)'
              % (ours, largest, a['median'], b['median'], a['median'] / b['median'], peer))
        if browser:
            a, b = find(browser, sizes[-1], ours), find(browser, sizes[-1], peer)
            print('%s: browser load at %s: %.0f ms vs %.0f ms, %.2fx %s (target 0.7x)'
                  % (ours, largest, a['loadEventEnd'], b['loadEventEnd'],
                     a['loadEventEnd'] / b['loadEventEnd'], peer))
        polls = {row['table']: sum(row['calls'].values()) for row in measurement.rows
                 if row['page'] == ours and row['size'] == sizes[-1]}
        print('%s: API calls per row poll (target 1): %s' % (ours, polls))


# --- the run -------------------------------------------------------------------

class Terminated(SystemExit):
    """The run got SIGTERM."""


def terminate(*_):
    STOPPING.set()
    raise Terminated('terminated')


def run(fixture, comparisons, sizes, options, label=str):
    """Measure the pages at each size of ``sizes``; delete the bench data at the end."""
    started = time.monotonic()
    # A run stopped with SIGTERM reports the sizes it measured, then (the threads
    # making items stopped) deletes what it made and restores the quotas.
    signal.signal(signal.SIGTERM, terminate)
    pages = list(dict.fromkeys(page for comparison in comparisons
                               for page in (comparison.ours, *comparison.peers)))
    config = production.Config(options.config, options.cache.split(','))
    measurement = Measurement(config, pages, options)
    try:
        for size in sizes:
            fixture.seed(size)
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    measurement.measure(size)
                    break
                except Disturbed as error:  # e.g. another session's ``localcloud up``
                    print('%s, attempt %d disturbed: %s' % (label(size), attempt, error))
                    time.sleep(RETRY_AFTER)
            else:
                sys.exit('giving up: the cloud keeps changing under the benchmark')
        if options.profile:
            measurement.profile(sizes[-1])
    except Terminated:
        print('\nterminated: the report of the sizes measured so far')
        report(measurement, comparisons, label, started)
        raise
    finally:
        measurement.close()
        config.close()
        try:
            fixture.cleanup()
        finally:
            fixture.quota.restore()
    report(measurement, comparisons, label, started)


def main(description, make_fixture, comparisons, sizes='10,100,500', parse_size=int,
         label=str):
    """The command line of every page benchmark: the options of benchmarks/README.md."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--sizes', default=sizes)
    parser.add_argument('--repeat', type=int, default=7, help='GETs and row polls per page')
    parser.add_argument('--browser-repeat', type=int, default=5,
                        help='browser loads per page after a warm-up one; 0: none')
    parser.add_argument('--config', choices=production.CONFIGS, default='production')
    parser.add_argument('--cache', default=production.CACHES[0],
                        help='cache backends, comma-separated (%s); pages are measured in '
                             'each, the first also for row polls, browser and profile'
                             % ', '.join(production.CACHES))
    parser.add_argument('--no-profile', dest='profile', action='store_false')
    parser.add_argument('--cleanup', action='store_true', help='delete the bench data, exit')
    options = parser.parse_args()
    if options.cleanup:
        return make_fixture().cleanup()
    if set(options.cache.split(',')) - set(production.CACHES):
        parser.error('--cache: one or more of %s' % ', '.join(production.CACHES))
    run(make_fixture(), comparisons, sorted(parse_size(s) for s in options.sizes.split(',')),
        options, label)
