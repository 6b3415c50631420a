"""Benchmark: the Protection Schedules page and Protectable Resources as schedules grow.

No other dashboard schedules protection, so there is no peer page: what this measures
is that the pages' API calls stay the same however many schedules (and runs) the
project has, and what the schedules cost in server time.  For each K in ``--sizes``
the demo project holds K schedules ``bench-sched-<i>`` (volume snapshots, once a year,
of one volume ``bench-sched-vol``, made as the create form makes them) and ``--runs``
runs of a schedule whose volume is gone (each fails at once and makes no point; the
schedules page reads the newest runs).  Both pages are rendered as demo in the
production-like configuration (``production.py``); median and p90 server time and API
calls per page by service.  Everything it made is deleted at the end.

From the repository root, the local cloud up (with Mistral)::

    benchmarks/.venv/bin/python benchmarks/schedule_pages.py [--sizes 10,100] [--runs 20]
"""

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from concurrent import futures

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path[:0] = [REPO, os.path.join(REPO, 'devsite')]
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'devsite.settings')

import django  # noqa: E402

django.setup()

import pagebench  # noqa: E402
import pageworker  # noqa: E402
import production  # noqa: E402
from cinderclient import client as cinder_client  # noqa: E402
from mistralclient.api import client as mistral_client  # noqa: E402

from protection_dashboard.protection import base  # noqa: E402
from protection_dashboard.schedules import retention, workflow  # noqa: E402

PREFIX = 'bench-sched-'
VOLUME = PREFIX + 'vol'
PATTERN = '0 0 1 1 *'  # once a year: no scheduled run during the benchmark
PAGES = (('/project/protection_schedules/', 'schedules'), ('/project/protectables/', 'volumes'))
PLUGIN = base.get('volume_snapshot')


class Bench:
    """demo's Cinder and Mistral, and the schedules and volume this run makes."""

    def __init__(self):
        sess, region = pagebench.session('demo')
        self.cinder = cinder_client.Client('3.62', session=sess, region_name=region)
        self.mistral = mistral_client.client(session=sess, region_name=region)

    def volume(self, name):
        found = [v for v in self.cinder.volumes.list() if v.name == name]
        volume = found[0] if found else self.cinder.volumes.create(1, name=name)
        while self.cinder.volumes.get(volume.id).status != 'available':
            time.sleep(pagebench.POLL)
        return volume

    @staticmethod
    def input_of(trigger):
        """A trigger's workflow input (Mistral answers it as JSON text)."""
        fields = trigger.workflow_input or {}
        return json.loads(fields) if isinstance(fields, str) else fields

    def schedules(self):
        """{schedule name: trigger} of this benchmark's schedules."""
        named = {}
        for trigger in self.mistral.cron_triggers.list():
            name = (self.input_of(trigger).get('schedule') or {}).get('name', '')
            if name.startswith(PREFIX):
                named[name] = trigger
        return named

    def create_schedule(self, name, volume_id):
        schedule_id = uuid.uuid4().hex
        rule = retention.Retention(keep_newest=1)
        wf_name = workflow.workflow_name(schedule_id)
        self.mistral.workflows.create(workflow.definition(PLUGIN, schedule_id, rule))
        self.mistral.cron_triggers.create(
            wf_name, wf_name, pattern=PATTERN, workflow_input=workflow.workflow_input(
                PLUGIN, [volume_id], {'snapshot_name': name, 'description': 'benchmark'},
                {'name': name, 'resource_type': PLUGIN.resource_type,
                 'plugin': PLUGIN.name, 'keep_newest': 1}))
        return wf_name

    def ensure(self, count, volume_id):
        have = self.schedules()
        missing = [PREFIX + str(i) for i in range(count) if PREFIX + str(i) not in have]
        with futures.ThreadPoolExecutor(pagebench.WORKERS) as pool:
            list(pool.map(lambda name: pagebench.retried(self.create_schedule, name,
                                                         volume_id), missing))

    def failing_runs(self, count):
        """``count`` runs of a schedule of a volume that is gone: each fails at once."""
        gone = self.volume(PREFIX + 'gone')
        wf_name = self.create_schedule(PREFIX + 'failing', gone.id)
        self.cinder.volumes.delete(gone.id)
        pagebench.wait_gone(self.cinder.volumes, [gone.id])
        trigger_input = self.input_of(self.mistral.cron_triggers.get(wf_name))
        for _ in range(count):
            self.mistral.executions.create(wf_name, workflow_input=trigger_input)
        while any(e.state == 'RUNNING'
                  for e in self.mistral.executions.list(workflow_name=wf_name)):
            time.sleep(pagebench.POLL)

    def cleanup(self):
        for trigger in self.schedules().values():
            self.mistral.cron_triggers.delete(trigger.name)
            self.mistral.workflows.delete(trigger.workflow_name)
        for volume in self.cinder.volumes.list():
            if (volume.name or '').startswith(PREFIX):
                self.cinder.volumes.delete(volume.id)
        print('deleted the bench schedules and volumes')


def measure(worker, repeat):
    results = {}
    for path, table in PAGES:
        worker.ask(op='get', path=path, tables=[table])  # warm-up
        samples = [worker.ask(op='get', path=path, tables=[table]) for _ in range(repeat)]
        bad = [s for s in samples if s['status'] != 200 or s['failed'] or s['error']]
        if bad:
            sys.exit('%s: status %s, failed %s, error %s' % (
                path, bad[0]['status'], bad[0]['failed'][:1], bad[0]['error']))
        times = [s['ms'] for s in samples]
        results[path] = (statistics.median(times),
                         statistics.quantiles(times, n=10, method='inclusive')[8],
                         samples[-1]['calls'], samples[-1]['rows'][table])
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--sizes', default='10,100')
    parser.add_argument('--runs', type=int, default=20, help='failed runs in the project')
    parser.add_argument('--repeat', type=int, default=7)
    parser.add_argument('--cleanup', action='store_true')
    options = parser.parse_args()
    bench = Bench()
    if options.cleanup:
        return bench.cleanup()
    config = production.Config('production', ['memcached'])
    worker = pageworker.Worker(config.environment('devsite.settings', 'memcached'), 'demo')
    rows = []
    try:
        volume = bench.volume(VOLUME)
        bench.failing_runs(options.runs)
        for size in sorted(int(s) for s in options.sizes.split(',')):
            started = time.monotonic()
            bench.ensure(size, volume.id)
            print('K=%d schedules ready in %.0f s' % (size, time.monotonic() - started))
            worker.login()
            for path, (median, p90, calls, shown) in measure(worker, options.repeat).items():
                rows.append((size, path, median, p90, calls, shown))
    finally:
        worker.close()
        config.close()
        bench.cleanup()
    print('\n%-4s %-32s %9s %9s  %s' % ('K', 'page', 'median ms', 'p90 ms', 'API calls'))
    for size, path, median, p90, calls, _shown in rows:
        print('%-4d %-32s %9.0f %9.0f  %s' % (size, path, median, p90,
                                             pagebench.calls_text(calls)))
    for path, _table in PAGES:
        totals = [sum(r[4].values()) for r in rows if r[1] == path]
        print('%s: API calls independent of the number of schedules: %s (%s)'
              % (path, 'yes' if len(set(totals)) == 1 else 'no', totals))


if __name__ == '__main__':
    main()
