"""Benchmark: our server backups page against Horizon's Images page, as backups grow.

For each N in ``--sizes``, the demo project of the local cloud holds N server backups
``bench-sbak-<i>`` of two image-booted servers ``bench-sbsrv-<i>``, and our
``/project/server_backups/`` and Horizon's ``/project/images/`` (where Horizon shows a
server's snapshots) are rendered as demo (in the configuration of ``production.py``):
server time, API calls per page by service, row polls, browser.  The machinery
(quotas, workers, sanity checks, the report) is ``pagebench.py``'s.

A server backup of an image-booted server is what our protect form makes: a hidden
record image whose properties name the server and the backup's parts, and the server's
snapshot image (Nova's createImage), linked to its record.  Here the snapshot image is
made with Glance directly (created with the properties Nova gives a snapshot, and 1 KiB
of data uploaded, ``active`` at once) instead of by Nova: Horizon's Images page and ours
list it the same, and making N of them takes seconds, not minutes.  The records are
written with the dashboard's own record format (``server_backup_record``).  Horizon's
Images page is its Django table (``images_settings``, see there why).

Run from the repository root in the benchmarks' virtualenv (``benchmarks/setup``),
the local cloud up::

    benchmarks/.venv/bin/python benchmarks/server_backup_pages.py [options]  # README.md
    benchmarks/.venv/bin/python benchmarks/server_backup_pages.py --cleanup  # leftovers
"""

import io
import os
import types

import django
import pagebench
from glanceclient import client as glance_client
from protectables_pages import nova

from localcloud.info import load_cloud_info

COMPARISONS = [pagebench.Comparison(
    pagebench.Page('ours', 'devsite.settings', '/project/server_backups/', 'server_backups'),
    pagebench.Page('horizon', 'images_settings', '/project/images/', 'images'))]


def records():
    """The dashboard's module of the record format (Django set up to import it)."""
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'devsite.settings')
    django.setup()
    from protection_dashboard.protection import server_backup_record
    return server_backup_record


def glance(user):
    sess, region = pagebench.session(user)
    return glance_client.Client('2', session=sess, region_name=region)


class Records:
    """The bench backups as ``pagebench.Items`` sees a manager: their record images
    (hidden: Glance lists them only when asked); deleting one deletes its parts first."""

    def __init__(self, client, format_):
        self.client, self.format = client, format_

    def list(self):
        return list(self.client.images.list(filters={
            'os_hidden': True, self.format.KIND: self.format.RECORD_KIND}))

    def delete(self, record):
        for part in self.client.images.list(filters={self.format.LINK: record.id}):
            self.client.images.delete(part.id)
        self.client.images.delete(record.id)


class ServerBackups(pagebench.Fixture):
    parents = 2
    parent_prefix, child_prefix = 'bench-sbsrv-', 'bench-sbak-'

    def __init__(self):
        self.format = records()
        self.nova, self.glance = nova('demo'), glance('demo')
        self.parent_manager = self.nova.servers
        self.child_manager = Records(self.glance, self.format)
        self.force_delete = nova('admin').servers.delete
        info = load_cloud_info()
        self.image, self.flavor = info['seed']['image']['id'], info['seed']['flavor']['id']
        project, admin = self.nova.client.session.get_project_id(), nova('admin')
        self.quota = pagebench.Quota(lambda: admin.quotas.get(project).to_dict(),
                                     lambda **values: admin.quotas.update(project, **values))

    @property
    def parent_items(self):
        return pagebench.Items(self.parent_manager, self.parent_prefix, ready='active',
                               force_delete=self.force_delete)

    @property
    def child_items(self):  # a record stays queued: it holds no data
        return pagebench.Items(self.child_manager, self.child_prefix, ready='queued')

    def create_parent(self, name):
        self.nova.servers.create(name, self.image, self.flavor, nics='none')

    def create_child(self, server, name):
        """What the protect form makes of an image-booted server, its snapshot by Glance."""
        fmt = self.format
        record = self.glance.images.create(
            name=name, visibility='private', os_hidden=True, **fmt.record_properties(
                server=types.SimpleNamespace(id=server.id, name=server.name,
                                             flavor_ref=self.flavor),
                source_image=self.image, boot=fmt.BOOT_IMAGE, user_data=True, networks=[],
                description=None))
        snapshot = self.glance.images.create(
            name=name, disk_format='raw', container_format='bare', visibility='private',
            image_type='snapshot', instance_uuid=server.id, base_image_ref=self.image,
            **{fmt.KIND: fmt.IMAGE_KIND, fmt.LINK: record.id})
        self.glance.images.upload(snapshot.id, io.BytesIO(bytes(1024)))
        self.glance.images.update(record.id, **{
            fmt.PARTS: fmt.dumps([fmt.Part(fmt.IMAGE_KIND, snapshot.id)]),
            fmt.STATE: fmt.READY})

    def ensure_quota(self, backups, servers):
        limits = pagebench.absolute_limits(self.nova)
        self.quota.ensure({  # m1.tiny: 1 VCPU, 64 MB
            'instances': limits['totalInstancesUsed'] + servers,
            'cores': limits['totalCoresUsed'] + servers,
            'ram': limits['totalRAMUsed'] + 64 * servers})


if __name__ == '__main__':
    pagebench.main(__doc__.split('\n')[0], ServerBackups, COMPARISONS)
