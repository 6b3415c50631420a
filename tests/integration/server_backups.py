"""What a server backup test made on the local cloud, found by its name prefix.

Shared by the integration and browser tests of server backups: every
resource a test makes (server, volumes, backups, images, records) is named
with one unique prefix, so the test counts and deletes only its own.
"""

from __future__ import annotations

from cinderclient import exceptions as cinder_exc
from glanceclient import exc as glance_exc
from novaclient import exceptions as nova_exc

from protection_dashboard import api
from protection_dashboard.protection import server_backup_record as records
from tests.integration import horizon_request
from tests.integration.deletion import delete_created
from tests.polling import wait_gone, wait_status


class Made:
    """What one test made, found by its name prefix (or its records) on the cloud."""

    def __init__(self, demo, prefix):
        self.demo, self.prefix = demo, prefix

    def clients(self):
        request = horizon_request.fresh(self.demo)
        return (api.nova.novaclient(request), api.glance.glanceclient_v2(request),
                api.cinder.cinderclient(request))

    def boot_server(self, cloud_info, nics='none'):
        """A server of the test (``<prefix>server``) from the seeded image, once ACTIVE."""
        nova = self.clients()[0]
        created = nova.servers.create(self.prefix + 'server', cloud_info['seed']['image']['id'],
                                      cloud_info['seed']['flavor']['id'], nics=nics)
        return wait_status(lambda: nova.servers.get(created.id), 'ACTIVE', 'server')

    def records(self, glance):
        return [image for image in glance.images.list(filters={
            records.KIND: records.RECORD_KIND, 'os_hidden': True})
            if image['name'].startswith(self.prefix)]

    def count(self) -> dict[str, int]:
        """Servers, images (records included), volume backups and volumes of this test."""
        nova, glance, cinder = self.clients()
        record_ids = {record['id'] for record in self.records(glance)}
        images = [image for image in glance.images.list()
                  if image['name'].startswith(self.prefix)
                  or image.get(records.LINK) in record_ids]
        return {
            'servers': len([s for s in nova.servers.list() if s.name.startswith(self.prefix)]),
            'images': len(images) + len(record_ids),
            'backups': len([b for b in cinder.backups.list()
                            if (b.name or '').startswith(self.prefix)]),
            'volumes': len([v for v in cinder.volumes.list()
                            if (v.name or '').startswith(self.prefix)]),
        }

    def delete_all(self):
        """Servers first (they hold volumes), then images and records, then backups and
        volumes; each kind is tried even when another failed (a service restarted
        meanwhile), and the first failure is raised at the end."""
        failures = []
        for step in (self._delete_servers, self._delete_images, self._delete_volumes):
            try:
                step(*self.clients())
            except Exception as exc:
                failures.append(exc)
        if failures:
            raise failures[0]

    def _delete_servers(self, nova, glance, cinder):
        servers = [s for s in nova.servers.list() if s.name.startswith(self.prefix)]
        for server in servers:
            nova.servers.delete(server.id)
        for server in servers:
            wait_gone(lambda s=server: nova.servers.get(s.id), nova_exc.NotFound)

    def _delete_images(self, nova, glance, cinder):
        for image in self.records(glance) + [i for i in glance.images.list()
                                             if i['name'].startswith(self.prefix)]:
            try:
                glance.images.delete(image['id'])
            except glance_exc.HTTPNotFound:
                pass

    def _delete_volumes(self, nova, glance, cinder):
        delete_created((
            ([b.id for b in cinder.backups.list() if (b.name or '').startswith(self.prefix)],
             cinder.backups, {'available', 'error'}, cinder_exc.NotFound),
            ([v.id for v in cinder.volumes.list() if (v.name or '').startswith(self.prefix)],
             cinder.volumes, {'available', 'error', 'error_restoring'}, cinder_exc.NotFound)))
