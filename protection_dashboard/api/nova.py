"""Thin wrapper of python-novaclient: servers, their volumes and snapshots (createImage),
flavors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from horizon.utils.memoized import memoized
from novaclient import API_MAX_VERSION, api_versions
from novaclient import client as nova_client

from protection_dashboard.api import base, microversions

SERVICE = 'nova'


class Server(base.APIResourceWrapper):
    _attrs = ['id', 'name', 'status', 'created', 'image', 'flavor', 'tenant_id', 'metadata',
              'fault', 'os-extended-volumes:volumes_attached', 'OS-EXT-STS:task_state']

    @property
    def project_id(self) -> str | None:
        return self._apiresource.tenant_id

    @property
    def image_id(self) -> str | None:
        """The boot image; None for a server booted from a volume."""
        image = self._apiresource.image
        return image.get('id') if isinstance(image, dict) else None

    @property
    def attached_volume_ids(self) -> list[str]:
        attached = getattr(self._apiresource, 'os-extended-volumes:volumes_attached', [])
        return [item['id'] for item in attached]

    @property
    def task_state(self) -> str | None:
        return getattr(self._apiresource, 'OS-EXT-STS:task_state', None)

    @property
    def flavor_ref(self) -> str | None:
        """The flavor's name (embedded since microversion 2.47), or its id before."""
        flavor = self._apiresource.flavor or {}
        return flavor.get('original_name') or flavor.get('id')

    @property
    def fault_message(self) -> str | None:
        fault = getattr(self._apiresource, 'fault', None) or {}
        return fault.get('message')


class ServerVolume(base.APIResourceWrapper):
    """A volume attachment of a server: the volume and its device name."""

    _attrs = ['device', 'volumeId']

    @property
    def volume_id(self) -> str:
        return self.volumeId


class Flavor(base.APIResourceWrapper):
    _attrs = ['id', 'name', 'vcpus', 'ram', 'disk']


@memoized
def novaclient(request, version: str | None = None):
    """A Nova client at ``version``, or at the negotiated newest microversion."""
    return base.microversioned_client(
        request, SERVICE, API_MAX_VERSION.get_string(), version,
        lambda version, endpoint, **auth: nova_client.Client(
            api_versions.APIVersion(version), endpoint_override=endpoint, **auth))


def supports(request, feature: str) -> bool:
    return microversions.supports(SERVICE, feature,
                                  novaclient(request).api_version.get_string())


def server_list_paged(request, search_opts: dict[str, Any] | None = None,
                      marker: str | None = None, prev_marker: str | None = None,
                      limit: int = 20) -> base.Page:
    """One page of servers, newest first."""
    def fetch(marker, limit, ascending):
        servers = novaclient(request).servers.list(
            search_opts=dict(search_opts or {}), marker=marker, limit=limit,
            sort_keys=['created_at'], sort_dirs=['asc' if ascending else 'desc'])
        return base.wrap_all(Server, servers)
    return base.marker_page(fetch, marker, prev_marker, limit)


def server_names(request, server_ids: Iterable[str]) -> dict[str, str]:
    """Id -> name of the project's servers, enough to name ``server_ids``.

    From the cached light (non-detailed) server list (``base.cached_names``).
    """
    def list_names():
        return {server.id: server.name
                for server in novaclient(request).servers.list(detailed=False)}
    return base.cached_names(request, 'server', server_ids, list_names)


def server_get(request, server_id: str) -> Server:
    server_id = base.check_id(server_id)
    return Server(novaclient(request).servers.get(server_id))


def server_volumes(request, server_id: str) -> list[ServerVolume]:
    """The volumes attached to a server, with their device names."""
    server_id = base.check_id(server_id)
    return base.wrap_all(ServerVolume, novaclient(request).volumes.get_server_volumes(server_id))


def server_network_ids(request, server_id: str) -> list[str]:
    """The networks of a server's ports, in the order of its interfaces."""
    server_id = base.check_id(server_id)
    interfaces = novaclient(request).servers.interface_list(server_id)
    return list(dict.fromkeys(interface.net_id for interface in interfaces))


def server_create_image(request, server_id: str, name: str, metadata: dict[str, str]) -> str:
    """Start a snapshot of the server (createImage); returns the new image's id."""
    server_id = base.check_id(server_id)
    return str(novaclient(request).servers.create_image(server_id, name, metadata=metadata))


def server_create(request, name: str, flavor_id: str, *, image_id: str | None = None,
                  boot_volume_id: str | None = None, nics: list[dict[str, str]] | str | None,
                  metadata: dict[str, str]) -> Server:
    """Boot a server from an image, or from a volume (``boot_volume_id``, kept on delete).

    ``nics='none'`` (no network) is left out below microversion 2.37, where
    Nova has no such value and a server without a network is the default.
    """
    flavor_id = base.check_id(flavor_id)
    if nics == 'none' and not supports(request, 'boot_without_network'):
        nics = None
    mapping = None
    if boot_volume_id is not None:
        mapping = [{'uuid': base.check_id(boot_volume_id), 'source_type': 'volume',
                    'destination_type': 'volume', 'boot_index': 0,
                    'delete_on_termination': False}]
    else:
        image_id = base.check_id(image_id)
    server = novaclient(request).servers.create(
        name, image_id, flavor_id, nics=nics, meta=metadata,
        block_device_mapping_v2=mapping)
    return Server(server)


def server_delete(request, server_id: str) -> None:
    server_id = base.check_id(server_id)
    novaclient(request).servers.delete(server_id)


def volume_attach(request, server_id: str, volume_id: str) -> None:
    """Attach a volume to a server (Nova picks the device name)."""
    server_id = base.check_id(server_id)
    volume_id = base.check_id(volume_id)
    novaclient(request).volumes.create_server_volume(server_id, volume_id)


def flavor_list(request) -> list[Flavor]:
    """The flavors the project may boot: public ones and those shared with it."""
    return base.wrap_all(Flavor, novaclient(request).flavors.list(is_public=None))
