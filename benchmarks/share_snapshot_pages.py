"""Benchmark: our share snapshots page against manila-ui's own, as snapshots grow.

For each N in ``--sizes``, the demo project of the local cloud holds N share snapshots
``bench-ssnap-<i>`` spread over four 1 GiB NFS shares ``bench-share-<i>``
(python-manilaclient; the dummy driver makes a snapshot in about 0.5 s), and two
Horizons render their ``/project/share_snapshots/`` as demo: ours (settings
``devsite.settings``) and manila-ui 16's (settings ``manila_ui_settings``, manila-ui
enabled there only).  Median and p90 server time, API calls per page by service; the
machinery (bench data, quotas raised and restored, workers, checks, the table) is
``pagebench.py``'s.  manila-ui lists every snapshot on one page; ours pages.

manila-ui lives in the benchmarks' own virtualenv (``benchmarks/setup``), never in
``.venv``; from the repository root, the local cloud up::

    benchmarks/.venv/bin/python benchmarks/share_snapshot_pages.py [options]  # README.md
    benchmarks/.venv/bin/python benchmarks/share_snapshot_pages.py --cleanup  # leftovers
"""

import pagebench
from manilaclient import api_versions
from manilaclient import client as manila_client

from localcloud.info import load_cloud_info

COMPARISONS = [pagebench.Comparison(
    pagebench.Page('ours', 'devsite.settings', '/project/share_snapshots/',
                   'share_snapshots'),
    pagebench.Page('manila-ui', 'manila_ui_settings', '/project/share_snapshots/',
                   'share_snapshots', paged=False))]


def manila(user):
    sess, region = pagebench.session(user)
    return manila_client.Client(api_versions.APIVersion('2.51'), session=sess,
                                region_name=region)


class ShareSnapshots(pagebench.Fixture):
    parent_prefix, child_prefix = 'bench-share-', 'bench-ssnap-'

    def __init__(self):
        self.demo = manila('demo')
        self.parent_manager, self.child_manager = self.demo.shares, self.demo.share_snapshots
        self.share_type = load_cloud_info()['share_type']
        project = pagebench.session('demo')[0].get_project_id()
        admin = manila('admin')
        self.force_delete = admin.share_snapshots.force_delete
        self.quota = pagebench.Quota(lambda: admin.quotas.get(project).to_dict(),
                                     lambda **values: admin.quotas.update(project, **values))

    @pagebench.one_at_a_time
    def create_parent(self, name):
        self.demo.shares.create('NFS', 1, name=name, share_type=self.share_type)

    @pagebench.one_at_a_time
    def create_child(self, share, name):
        self.demo.share_snapshots.create(share, name=name)

    def ensure_quota(self, snapshots, shares):
        limits = pagebench.absolute_limits(self.demo)
        self.quota.ensure({  # 1 GiB each
            'snapshots': limits['totalShareSnapshotsUsed'] + snapshots,
            'snapshot_gigabytes': limits['totalSnapshotGigabytesUsed'] + snapshots,
            'shares': limits['totalSharesUsed'] + shares,
            'gigabytes': limits['totalShareGigabytesUsed'] + shares})


if __name__ == '__main__':
    pagebench.main(__doc__.split('\n')[0], ShareSnapshots, COMPARISONS)
