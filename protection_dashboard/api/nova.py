"""Thin wrapper of python-novaclient: servers and server snapshots (createImage)."""

from __future__ import annotations

from typing import Any

from horizon.utils.memoized import memoized
from novaclient import API_MAX_VERSION, api_versions
from novaclient import client as nova_client

from protection_dashboard.api import base

SERVICE = 'nova'


class Server(base.APIResourceWrapper):
    _attrs = ['id', 'name', 'status', 'created', 'image', 'flavor', 'tenant_id',
              'os-extended-volumes:volumes_attached', 'OS-EXT-STS:task_state']

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


@memoized
def novaclient(request, version: str | None = None):
    """A Nova client at ``version``, or at the negotiated newest microversion."""
    return base.microversioned_client(
        request, SERVICE, API_MAX_VERSION.get_string(), version,
        lambda version, endpoint, **auth: nova_client.Client(
            api_versions.APIVersion(version), endpoint_override=endpoint, **auth))


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


def server_get(request, server_id: str) -> Server:
    server_id = base.check_id(server_id)
    return Server(novaclient(request).servers.get(server_id))
