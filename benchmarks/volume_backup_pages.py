"""Benchmark: our volume backups page against Horizon's own, as backups grow.

For each N in ``--sizes``, the demo project of the local cloud holds N backups
``bench-backup-<i>`` of two 1 GiB volumes ``bench-bvol-<i>``, and our
``/project/volume_backups/`` and Horizon's ``/project/backups/`` are rendered as demo
(in the configuration of ``production.py``): server time, API calls per page by
service, row polls, browser.  The machinery (quotas, workers, sanity checks, the
report) is ``pagebench.py``'s.

A real backup takes 10-35 s on the local cloud (cinder-backup reads and compresses the
whole volume, one backup at a time), so only the first backup of each volume is taken
for real; every other one is a copy of it made with Cinder's backup record API: the
real backup's exported record with a new id and name, imported (``backup:backup-import``
is an admin API, and an import lands in the caller's project: a Keystone user
``bench-backup-importer`` with the admin role in the demo project does it, and is
deleted at the end).  A copy is an ordinary backup to every list and show call, in
about 0.3 s.  Its record names an object prefix of its own that holds no data, so
deleting a copy deletes nothing on disk (the real backups keep theirs); a copy cannot
be restored.

Run from the repository root in the benchmarks' virtualenv (``benchmarks/setup``),
the local cloud up::

    benchmarks/.venv/bin/python benchmarks/volume_backup_pages.py [options]  # benchmarks/README.md
    benchmarks/.venv/bin/python benchmarks/volume_backup_pages.py --cleanup  # leftovers
"""

import base64
import json
import secrets
import time
import uuid

import pagebench
from cinderclient import client as cinder_client
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client as keystone_client
from snapshot_pages import cinder

from localcloud.info import load_cloud_info

COMPARISONS = [pagebench.Comparison(
    pagebench.Page('ours', 'devsite.settings', '/project/volume_backups/',
                   'volume_backups'),
    pagebench.Page('horizon', 'devsite.settings', '/project/backups/',
                   'volume_backups'))]


class Importer:
    """A Keystone user with the admin role in the demo project, for backup imports."""

    name = 'bench-backup-importer'

    def __init__(self, project):
        self.project, self.client = project, None
        self.keystone = keystone_client.Client(session=pagebench.session('admin')[0])

    def cinder(self):
        """The importer's Cinder client (the user is made on first use)."""
        if self.client is None:
            self.remove()  # a killed run's user: its password is unknown
            password = secrets.token_urlsafe(24)
            user = self.keystone.users.create(self.name, password=password, domain='default')
            role = self.keystone.roles.find(name='admin')
            self.keystone.roles.grant(role, user=user, project=self.project)
            info = load_cloud_info()
            auth = v3.Password(auth_url=info['auth_url'], username=self.name,
                               password=password, user_domain_name='Default',
                               project_id=self.project)
            self.client = cinder_client.Client('3.0', session=ks_session.Session(auth=auth),
                                               region_name=info['region'])
        return self.client

    def remove(self):
        for user in self.keystone.users.list(name=self.name):
            self.keystone.users.delete(user)
            print('deleted the Keystone user %s' % self.name)
        self.client = None


def copy_of(record, name):
    """An exported backup record as a new backup ``name`` whose objects are none."""
    backup = json.loads(base64.b64decode(record['backup_url']))
    new_id = str(uuid.uuid4())
    backup.update(id=new_id, display_name=name, service_metadata='bench-copy-%s' % new_id)
    return base64.b64encode(json.dumps(backup).encode()).decode()


class Backups(pagebench.Fixture):
    parents = 2
    parent_prefix, child_prefix = 'bench-bvol-', 'bench-backup-'

    def __init__(self):
        self.demo = cinder('demo')
        self.parent_manager, self.child_manager = self.demo.volumes, self.demo.backups
        project, admin = self.demo.client.session.get_project_id(), cinder('admin')
        self.importer = Importer(project)
        self.quota = pagebench.Quota(lambda: admin.quotas.get(project).to_dict(),
                                     lambda **values: admin.quotas.update(project, **values))

    def create_parent(self, name):
        self.demo.volumes.create(1, name=name)

    def create_children(self, parents, missing):
        """Backup i < len(parents) for real, of volume i; every other one a copy."""
        started = time.monotonic()
        real = [i for i in missing if i < len(parents)]
        backups = self.child_items  # cinder-backup makes one at a time, others' too
        backups.create(real, lambda i: self.demo.backups.create(parents[i].id,
                                                                name=backups.name(i)),
                       stall=300)
        copied = time.monotonic()
        existing = backups.existing()
        importer = self.importer.cinder()
        records = [importer.backups.export_record(existing[backups.name(i)].id)
                   for i in range(len(parents))]
        copies = [i for i in missing if i >= len(parents)]
        backups.create(copies, lambda i: importer.backups.import_record(
            records[i % len(parents)]['backup_service'],
            copy_of(records[i % len(parents)], backups.name(i))))
        print('%d real backups in %.0fs, %d copies in %.0fs'
              % (len(real), copied - started, len(copies), time.monotonic() - copied))

    def ensure_quota(self, backups, volumes):
        limits = pagebench.absolute_limits(self.demo)
        self.quota.ensure({  # 1 GiB each
            'backups': limits['totalBackupsUsed'] + backups,
            'backup_gigabytes': limits['totalBackupGigabytesUsed'] + backups,
            'volumes': limits['totalVolumesUsed'] + volumes,
            'gigabytes': limits['totalGigabytesUsed'] + volumes})

    def force_delete(self, backup):
        self.importer.cinder().backups.delete(backup.id, force=True)

    def cleanup(self):
        try:
            super().cleanup()
        finally:
            self.importer.remove()


if __name__ == '__main__':
    pagebench.main(__doc__.split('\n')[0], Backups, COMPARISONS)
