"""Benchmark: our Protectables pages against the pages a user would otherwise open.

Our Project > Protection > Protectable Resources (volumes, shares and servers, each with
its newest protection point) against the sum of Horizon's Project > Volumes, manila-ui's
Project > Shares and Horizon's Project > Instances; our Admin > Protectable Resources
(as admin, every project) against the sum of the same three Admin pages.  Both numbers
grow: the resources R (volumes ``bench-pvol-<i>``, NFS shares ``bench-pshare-<i>`` and
servers ``bench-psrv-<i>``, R of each) and the protection points M (volume snapshots
``bench-pvsnap-<i>`` and share snapshots ``bench-pssnap-<i>``, M of each, spread over
the resources).  A size is ``R:M``; the default series grows one, then the other.  The
machinery (quotas raised and restored, workers, checks, browser, profile, the tables)
is ``pagebench.py``'s; manila-ui's pages render in its own Horizon
(``manila_ui_settings``).

From the repository root, in the benchmarks' own virtualenv (``benchmarks/setup``), the
local cloud up::

    benchmarks/.venv/bin/python benchmarks/protectables_pages.py [--sizes 10:10,10:100]
    benchmarks/.venv/bin/python benchmarks/protectables_pages.py --cleanup  # leftovers
"""

import time
from concurrent import futures

import pagebench
from novaclient import client as nova_client
from share_snapshot_pages import manila
from snapshot_pages import cinder, force_delete

from localcloud.info import load_cloud_info

SIZES = '10:10,10:100,10:1000,100:1000,500:1000'
TABLES = ('volumes', 'shares', 'servers')
#: Servers made (and ACTIVE) before the next are asked for.  Each build's claim on the
#: local cloud's nova-compute reads Placement's allocations of every server on the host
#: (497 GETs for one build with 500 servers, Placement in one thread): a build costs
#: the servers already scheduled, so 500 asked for at once built at 13 a minute.
SERVER_WAVE = 50


def resources(size):
    return size[0]


def label(size):
    return 'R=%d M=%d' % size


def pages(user, dashboard, ours):
    """Our Protectables page ``ours`` of ``dashboard`` and its three peers."""
    prefix = 'admin ' if dashboard == 'admin' else ''
    return pagebench.Comparison(
        pagebench.Page(prefix + 'protectables', 'devsite.settings', ours, TABLES, user=user,
                       items=resources),
        pagebench.Page(prefix + 'horizon volumes', 'devsite.settings',
                       '/%s/volumes/' % dashboard, 'volumes', user=user, items=resources),
        pagebench.Page(prefix + 'manila-ui shares', 'manila_ui_settings',
                       '/%s/shares/' % dashboard, 'shares', paged=False, user=user,
                       items=resources),
        pagebench.Page(prefix + 'horizon instances', 'devsite.settings',
                       '/%s/instances/' % dashboard, 'instances', user=user, items=resources))


COMPARISONS = [pages('demo', 'project', '/project/protectables/'),
               pages('admin', 'admin', '/admin/protection_protectables/')]


def nova(user):
    sess, region = pagebench.session(user)
    return nova_client.Client('2.37', session=sess, region_name=region)


class Protectables:
    """R volumes, shares and servers of the demo project, and M points of each volume
    snapshots and share snapshots, spread over them."""

    def __init__(self):
        self.cinder, self.manila, self.nova = cinder('demo'), manila('demo'), nova('demo')
        admin = {'cinder': cinder('admin'), 'manila': manila('admin'), 'nova': nova('admin')}
        self.volumes = pagebench.Items(
            self.cinder.volumes, 'bench-pvol-',
            force_delete=lambda volume: force_delete(admin['cinder'].volumes, volume))
        self.shares = pagebench.Items(self.manila.shares, 'bench-pshare-',
                                      force_delete=admin['manila'].shares.force_delete)
        self.servers = pagebench.Items(self.nova.servers, 'bench-psrv-', ready='active',
                                       force_delete=admin['nova'].servers.delete,
                                       wave=SERVER_WAVE)
        self.snapshots = pagebench.Items(
            self.cinder.volume_snapshots, 'bench-pvsnap-',
            force_delete=lambda snapshot: force_delete(admin['cinder'].volume_snapshots,
                                                       snapshot))
        self.share_snapshots = pagebench.Items(
            self.manila.share_snapshots, 'bench-pssnap-',
            force_delete=admin['manila'].share_snapshots.force_delete)
        info = load_cloud_info()
        self.image, self.flavor = info['seed']['image']['id'], info['seed']['flavor']['id']
        self.share_type = info['share_type']
        project = self.cinder.client.session.get_project_id()
        self.quota = pagebench.Quotas({
            service: pagebench.Quota(
                lambda client=client: client.quotas.get(project).to_dict(),
                lambda client=client, **values: client.quotas.update(project, **values))
            for service, client in admin.items()})

    def seed(self, size):
        count, points = size
        started = time.monotonic()
        trimmed = sum(items.trim(points) for items in (self.snapshots, self.share_snapshots))
        trimmed += sum(items.trim(count) for items in (self.volumes, self.shares, self.servers))
        new = {items: items.missing(count) for items in (self.volumes, self.shares,
                                                          self.servers)}
        new[self.snapshots] = self.snapshots.missing(points)
        new[self.share_snapshots] = self.share_snapshots.missing(points)
        room = {items: len(indexes) + pagebench.HEADROOM for items, indexes in new.items()}
        self.ensure_quota(room[self.volumes], room[self.shares], room[self.servers],
                          room[self.snapshots], room[self.share_snapshots])
        self.create_all({
            self.volumes: lambda i: self.cinder.volumes.create(1, name=self.volumes.name(i)),
            self.shares: pagebench.one_at_a_time(lambda i: self.manila.shares.create(
                'NFS', 1, name=self.shares.name(i), share_type=self.share_type)),
            self.servers: lambda i: self.nova.servers.create(
                self.servers.name(i), self.image, self.flavor, nics='none')}, new)
        volumes = [item.id for item in self.volumes.existing().values()]
        shares = [item.id for item in self.shares.existing().values()]
        self.create_all({
            self.snapshots: lambda i: self.cinder.volume_snapshots.create(
                volumes[i % len(volumes)], name=self.snapshots.name(i)),
            self.share_snapshots: pagebench.one_at_a_time(
                lambda i: self.manila.share_snapshots.create(
                    shares[i % len(shares)], name=self.share_snapshots.name(i)))}, new)
        if any(new.values()) or trimmed:
            print('%s: %s created, %d deleted in %.0fs' % (
                label(size), ', '.join('%d %s*' % (len(indexes), items.prefix)
                                       for items, indexes in new.items() if indexes),
                trimmed, time.monotonic() - started))

    @staticmethod
    def create_all(creators, new):
        """Each kind's new items, the kinds side by side (different services)."""
        with futures.ThreadPoolExecutor(len(creators)) as pool:
            list(pool.map(lambda items: items.create(new[items], creators[items]), creators))

    def ensure_quota(self, volumes, shares, servers, snapshots, share_snapshots):
        cinder_limits = pagebench.absolute_limits(self.cinder)
        self.quota.quotas['cinder'].ensure({  # 1 GiB each
            'volumes': cinder_limits['totalVolumesUsed'] + volumes,
            'snapshots': cinder_limits['totalSnapshotsUsed'] + snapshots,
            'gigabytes': cinder_limits['totalGigabytesUsed'] + volumes + snapshots})
        manila_limits = pagebench.absolute_limits(self.manila)
        self.quota.quotas['manila'].ensure({
            'shares': manila_limits['totalSharesUsed'] + shares,
            'gigabytes': manila_limits['totalShareGigabytesUsed'] + shares,
            'snapshots': manila_limits['totalShareSnapshotsUsed'] + share_snapshots,
            'snapshot_gigabytes': manila_limits['totalSnapshotGigabytesUsed'] + share_snapshots})
        nova_limits = pagebench.absolute_limits(self.nova)
        self.quota.quotas['nova'].ensure({  # m1.tiny: 1 VCPU, 64 MB
            'instances': nova_limits['totalInstancesUsed'] + servers,
            'cores': nova_limits['totalCoresUsed'] + servers,
            'ram': nova_limits['totalRAMUsed'] + 64 * servers})

    def cleanup(self):
        """Points first (a volume or share with snapshots cannot be deleted)."""
        for items in (self.snapshots, self.share_snapshots, self.volumes, self.shares,
                      self.servers):
            items.cleanup()


def parse_size(text):
    """``R:M``: resources, points."""
    return tuple(int(n) for n in text.split(':'))


if __name__ == '__main__':
    pagebench.main(__doc__.split('\n')[0], Protectables, COMPARISONS, sizes=SIZES,
                   parse_size=parse_size, label=label)
