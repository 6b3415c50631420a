"""Benchmark: our volume snapshots page against Horizon's own, as snapshots grow.

For each N in ``--sizes``, the demo project of the local cloud holds N snapshots
``bench-snap-<i>`` spread over four 1 GiB volumes ``bench-vol-<i>``
(python-cinderclient), and our ``/project/volume_snapshots/`` and Horizon's
``/project/snapshots/`` are rendered as demo (in the configuration of
``production.py``): server time, API calls per page by service, row polls, browser.
The machinery (bench data, quotas, workers, sanity checks, the report) is
``pagebench.py``'s.

Run from the repository root in the benchmarks' virtualenv (``benchmarks/setup``),
the local cloud up::

    benchmarks/.venv/bin/python benchmarks/snapshot_pages.py [options]  # benchmarks/README.md
    benchmarks/.venv/bin/python benchmarks/snapshot_pages.py --cleanup   # leftovers of a killed run
"""

import pagebench
from cinderclient import client as cinder_client

COMPARISONS = [pagebench.Comparison(
    pagebench.Page('ours', 'devsite.settings', '/project/volume_snapshots/',
                   'volume_snapshots'),
    pagebench.Page('horizon', 'devsite.settings', '/project/snapshots/',
                   'volume_snapshots'))]


def cinder(user):
    sess, region = pagebench.session(user)
    return cinder_client.Client('3.0', session=sess, region_name=region)


def force_delete(manager, item):
    """Delete as admin a volume or snapshot stuck in a status Cinder refuses to delete."""
    manager.reset_state(item, 'error')
    manager.delete(item)


class Snapshots(pagebench.Fixture):
    parent_prefix, child_prefix = 'bench-vol-', 'bench-snap-'

    def __init__(self):
        self.demo = cinder('demo')
        self.parent_manager, self.child_manager = self.demo.volumes, self.demo.volume_snapshots
        project, admin = self.demo.client.session.get_project_id(), cinder('admin')
        self.force_delete = lambda snapshot: force_delete(admin.volume_snapshots, snapshot)
        self.quota = pagebench.Quota(lambda: admin.quotas.get(project).to_dict(),
                                     lambda **values: admin.quotas.update(project, **values))

    def create_parent(self, name):
        self.demo.volumes.create(1, name=name)

    def create_child(self, volume, name):
        self.demo.volume_snapshots.create(volume.id, name=name)

    def ensure_quota(self, snapshots, volumes):
        limits = pagebench.absolute_limits(self.demo)
        self.quota.ensure({  # 1 GiB each
            'snapshots': limits['totalSnapshotsUsed'] + snapshots,
            'gigabytes': limits['totalGigabytesUsed'] + snapshots + volumes})


if __name__ == '__main__':
    pagebench.main(__doc__.split('\n')[0], Snapshots, COMPARISONS)
