"""An in-memory cloud behind the service-layer functions the server backups call.

Resources move on only when a test says so (``settle``): a backup stays
``creating``, a restored volume ``restoring-backup``, a new server ``BUILD``
until then, as on a real cloud between two requests.  ``fail_on`` makes one
service-layer function raise, to walk every failure path; ``left`` counts what
a test made and did not remove.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import itertools
import types
from unittest import mock

from cinderclient import exceptions as cinder_exc
from django.utils import timezone
from glanceclient import exc as glance_exc
from novaclient import exceptions as nova_exc

from protection_dashboard import api

PROJECT_ID = '1'


class FakeCloud:
    def __init__(self):
        self._ids = itertools.count(1)
        self.images: dict[str, types.SimpleNamespace] = {}
        self.backups: dict[str, types.SimpleNamespace] = {}
        self.volumes: dict[str, types.SimpleNamespace] = {}
        self.servers: dict[str, types.SimpleNamespace] = {}
        self.flavors = [types.SimpleNamespace(id='flavor-1', name='m1.tiny', vcpus=1, ram=64,
                                              disk=1)]
        self.networks = [types.SimpleNamespace(id='net-1', name='private', shared=False,
                                               **{'router:external': False})]
        #: Cinder's backup limits of the project; the use is counted from ``backups``.
        self.backup_limits = {'maxTotalBackups': 10, 'maxTotalBackupGigabytes': 100}
        self.failures: dict[str, tuple[int, Exception]] = {}
        self.calls: collections.Counter[str] = collections.Counter()
        #: The filters of the last image list of each kind.
        self.filters: dict[str, dict] = {}

    @classmethod
    def installed(cls, case) -> FakeCloud:
        """A cloud behind the service layer for the test ``case``, holding one image."""
        cloud = cls()
        patched = cloud.patched()
        patched.__enter__()
        case.addCleanup(patched.__exit__, None, None, None)
        cloud.image = cloud.add_image()
        return cloud

    def new_id(self, kind: str) -> str:
        return '%s-%d' % (kind, next(self._ids))

    # --- what a test sets up and checks ------------------------------------------------

    def add_image(self, name='tiny-image', status='active', size=4096, **props):
        attrs = {'id': self.new_id('img'), 'name': name, 'status': status, 'size': size,
                 'created_at': timezone.now().strftime('%Y-%m-%dT%H:%M:%SZ'),
                 'owner': PROJECT_ID, 'visibility': 'private', 'disk_format': 'raw',
                 'container_format': 'bare', 'instance_uuid': None}
        image = types.SimpleNamespace(**dict(attrs, **props))
        self.images[image.id] = image
        return image

    def add_volume(self, size=1, status='available', name=None, **attrs):
        volume_id = self.new_id('vol')
        values = {'id': volume_id, 'name': name or volume_id, 'size': size, 'status': status,
                  'description': '', 'created_at': '2026-01-01T00:00:00',
                  'bootable': 'false', 'attachments': [], 'metadata': {},
                  'os-vol-tenant-attr:tenant_id': PROJECT_ID}
        volume = types.SimpleNamespace(**dict(values, **attrs))
        self.volumes[volume_id] = volume
        return volume

    def add_server(self, image_id=None, volumes=(), status='ACTIVE', name='web'):
        """A server booted from ``image_id``, or from the first of ``volumes``."""
        server = types.SimpleNamespace(
            id=self.new_id('srv'), name=name, status=status, created='2026-01-01T00:00:00Z',
            image={'id': image_id} if image_id else '', tenant_id=PROJECT_ID, metadata={},
            flavor={'original_name': 'm1.tiny'}, fault=None,
            networks=['net-1'], devices={}, **{'OS-EXT-STS:task_state': None,
                                               'os-extended-volumes:volumes_attached': []})
        self.servers[server.id] = server
        for volume in volumes:
            self._attach(server, volume.id)
        return server

    def image_server(self, data_volumes=1):
        """A server booted from the cloud's image with ``data_volumes`` volumes attached."""
        volumes = [self.add_volume(name='data-%d' % i) for i in range(data_volumes)]
        return self.add_server(image_id=self.image.id, volumes=volumes)

    def _attach(self, server, volume_id):
        device = '/dev/vd%s' % 'abcdefgh'[len(server.devices) + (1 if server.image else 0)]
        server.devices[volume_id] = device
        server.__dict__['os-extended-volumes:volumes_attached'].append({'id': volume_id})
        volume = self.volumes[volume_id]
        volume.status = 'in-use'
        volume.attachments = [{'server_id': server.id, 'device': device}]

    def fail_on(self, function: str, error: Exception, after: int = 0) -> None:
        """The call of ``function`` after ``after`` successful ones raises ``error``."""
        self.failures[function] = (after, error)

    def settle(self) -> None:
        """Everything under way finishes (deleted resources disappear)."""
        for image in self.images.values():
            if image.status in ('queued', 'saving') and getattr(image, 'instance_uuid', None):
                image.status = 'active'
        for backup_id, backup in list(self.backups.items()):
            if backup.status == 'deleting':
                del self.backups[backup_id]
            elif backup.status in ('creating', 'restoring'):
                backup.status = 'available'
        for server_id, server in list(self.servers.items()):
            if server.__dict__['OS-EXT-STS:task_state'] == 'deleting':
                for volume_id in server.devices:
                    self.volumes[volume_id].status = 'available'
                    self.volumes[volume_id].attachments = []
                del self.servers[server_id]
            elif server.status == 'BUILD':
                server.status = 'ACTIVE'
        for volume_id, volume in list(self.volumes.items()):
            if volume.status == 'deleting':
                del self.volumes[volume_id]
            elif volume.status == 'restoring-backup':
                volume.status = 'available'

    def left(self, *, ignore=()) -> dict[str, int]:
        """How many of each kind of resource exist, besides those in ``ignore``."""
        return {kind: len([key for key in getattr(self, kind) if key not in ignore])
                for kind in ('images', 'backups', 'volumes', 'servers')}

    # --- the service layer -------------------------------------------------------------

    def _check(self, function):
        after, error = self.failures.get(function, (0, None))
        if error is None:
            return
        if after:
            self.failures[function] = (after - 1, error)
            return
        del self.failures[function]
        raise error

    @staticmethod
    def _found(resources, resource_id, not_found):
        """The resource of that id, or the service's not-found error."""
        api.base.check_id(resource_id)
        if resource_id not in resources:
            raise not_found
        return resources[resource_id]

    def _image(self, image_id):
        return api.glance.Image(self._found(self.images, image_id,
                                            glance_exc.HTTPNotFound('no image')))

    def image_get(self, request, image_id):
        return self._image(image_id)

    def image_create_record(self, request, name, properties):
        self._check('image_create_record')
        image = self.add_image(name=name, status='queued', size=None, os_hidden=True,
                               **properties)
        return api.glance.Image(image)

    def image_update(self, request, image_id, properties, remove=()):
        self._check('image_update')
        image = self._image(image_id)._apiresource
        for key in remove:
            image.__dict__.pop(key, None)
        image.__dict__.update(properties)
        return api.glance.Image(image)

    def image_delete(self, request, image_id):
        self._check('image_delete')
        self._image(image_id)
        del self.images[image_id]

    def _matches(self, resource, filters):
        return all(getattr(resource, key, None) == value for key, value in filters.items())

    def image_list(self, request, filters=None, limit=None):
        self.filters['image_list'] = dict(filters or {})
        return [api.glance.Image(image) for image in self.images.values()
                if self._matches(image, filters or {})]

    def image_list_by_ids(self, request, image_ids):
        self.filters['image_list_by_ids'] = sorted(image_ids)
        return [api.glance.Image(self.images[image_id]) for image_id in image_ids
                if image_id in self.images]

    def image_list_paged(self, request, filters=None, marker=None, prev_marker=None,
                         limit=20):
        self.filters['image_list_paged'] = dict(filters or {})
        return api.base.Page([api.glance.Image(image) for image in self.images.values()
                              if self._matches(image, filters or {})])

    def server_get(self, request, server_id):
        return api.nova.Server(self._found(self.servers, server_id,
                                           nova_exc.NotFound(404, 'no server')))

    def server_volumes(self, request, server_id):
        server = self.servers[server_id]
        return [api.nova.ServerVolume(types.SimpleNamespace(device=device, volumeId=volume_id))
                for volume_id, device in server.devices.items()]

    def server_network_ids(self, request, server_id):
        return list(self.servers[server_id].networks)

    def server_create_image(self, request, server_id, name, metadata):
        self._check('server_create_image')
        image = self.add_image(name=name, status='saving', size=94, image_type='snapshot',
                               **metadata)
        image.instance_uuid = server_id
        return image.id

    def server_create(self, request, name, flavor_id, *, image_id=None, boot_volume_id=None,
                      nics, metadata):
        self._check('server_create')
        if boot_volume_id and self.volumes[boot_volume_id].bootable != 'true':
            raise nova_exc.BadRequest(400, 'volume not bootable')
        server = self.add_server(image_id=image_id, status='BUILD', name=name)
        server.metadata = dict(metadata)
        server.nics, server.flavor_id = nics, flavor_id
        if boot_volume_id:
            self._attach(server, boot_volume_id)
        return api.nova.Server(server)

    def server_delete(self, request, server_id):
        self._check('server_delete')
        self.servers[server_id].__dict__['OS-EXT-STS:task_state'] = 'deleting'

    def volume_attach(self, request, server_id, volume_id):
        self._check('volume_attach')
        self._attach(self.servers[server_id], volume_id)

    def flavor_list(self, request):
        return [api.nova.Flavor(flavor) for flavor in self.flavors]

    def network_list(self, request):
        return [api.neutron.Network(network) for network in self.networks]

    def _backup(self, backup_id):
        return api.cinder.VolumeBackup(self._found(self.backups, backup_id,
                                                   cinder_exc.NotFound(404, 'no backup')))

    def volume_backup_create(self, request, volume_id, name, description, container,
                             incremental, force, metadata=None):
        self._check('volume_backup_create')
        volume = self.volumes[volume_id]
        if volume.status == 'in-use' and not force:
            raise cinder_exc.BadRequest(400, 'must use the force flag')
        backup = types.SimpleNamespace(
            id=self.new_id('bak'), name=name, description=description, size=volume.size,
            status='creating', volume_id=volume_id, metadata=dict(metadata or {}),
            force=force, fail_reason=None, created_at='2026-01-01T00:00:00',
            **{'os-backup-project-attr:project_id': PROJECT_ID})
        self.backups[backup.id] = backup
        return api.cinder.VolumeBackup(backup)

    def volume_backup_get(self, request, backup_id):
        return self._backup(backup_id)

    def volume_backup_list(self, request, search_opts=None, limit=None):
        return [api.cinder.VolumeBackup(backup) for backup in self.backups.values()]

    def volume_backup_delete(self, request, backup_id):
        self._check('volume_backup_delete')
        backup = self._backup(backup_id)._apiresource
        if backup.status not in ('available', 'error'):
            raise cinder_exc.BadRequest(400, 'backup is %s' % backup.status)
        backup.status = 'deleting'

    def volume_backup_restore(self, request, backup_id, volume_id=None, name=None):
        self._check('volume_backup_restore')
        backup = self._backup(backup_id)._apiresource
        backup.status = 'restoring'
        volume = self.add_volume(size=backup.size, status='restoring-backup', name=name)
        return api.cinder.VolumeBackupRestore(types.SimpleNamespace(
            backup_id=backup_id, volume_id=volume.id, volume_name=name))

    def volume_get(self, request, volume_id):
        return api.cinder.Volume(self._found(self.volumes, volume_id,
                                             cinder_exc.NotFound(404, 'no volume')))

    def volume_delete(self, request, volume_id):
        self._check('volume_delete')
        self.volumes[volume_id].status = 'deleting'

    def volume_set_bootable(self, request, volume_id):
        self.volumes[volume_id].bootable = 'true'

    def volume_names(self, request, volume_ids):
        return {volume_id: self.volumes[volume_id].name for volume_id in volume_ids
                if volume_id in self.volumes}

    def absolute_limits(self, request):
        return dict(self.backup_limits, totalBackupsUsed=len(self.backups),
                    totalBackupGigabytesUsed=sum(b.size for b in self.backups.values()))

    @contextlib.contextmanager
    def patched(self):
        """Replace the service-layer functions the server backups call by this cloud's."""
        modules = {api.glance: ('image_get', 'image_create_record', 'image_update',
                                'image_delete', 'image_list', 'image_list_by_ids',
                                'image_list_paged'),
                   api.nova: ('server_get', 'server_volumes', 'server_network_ids',
                              'server_create_image', 'server_create', 'server_delete',
                              'volume_attach', 'flavor_list'),
                   api.neutron: ('network_list',),
                   api.cinder: ('volume_backup_create', 'volume_backup_get',
                                'volume_backup_list', 'volume_backup_delete',
                                'volume_backup_restore', 'volume_get', 'volume_delete',
                                'volume_set_bootable', 'volume_names', 'absolute_limits')}
        with contextlib.ExitStack() as stack:
            for module, names in modules.items():
                for name in names:
                    stack.enter_context(mock.patch.object(module, name, self._counted(name)))
            yield self

    def _counted(self, name):
        @functools.wraps(getattr(self, name))
        def call(*args, **kwargs):
            self.calls[name] += 1
            return getattr(self, name)(*args, **kwargs)
        return call
