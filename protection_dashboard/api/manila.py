"""Thin wrapper of python-manilaclient: shares and share snapshots."""

from __future__ import annotations

from typing import Any

from horizon.utils.memoized import memoized
from manilaclient import api_versions
from manilaclient import client as manila_client

from protection_dashboard.api import base

SERVICE = 'manila'


class Share(base.APIResourceWrapper):
    _attrs = ['id', 'name', 'description', 'size', 'status', 'created_at', 'share_proto',
              'share_type', 'share_type_name', 'share_network_id', 'availability_zone',
              'snapshot_id', 'snapshot_support', 'project_id', 'metadata']


class ShareSnapshot(base.APIResourceWrapper):
    _attrs = ['id', 'name', 'description', 'size', 'share_size', 'status', 'created_at',
              'share_id', 'share_proto', 'project_id']


@memoized
def manilaclient(request, version: str | None = None):
    """A Manila client at ``version``, or at the negotiated newest microversion."""
    return base.microversioned_client(
        request, SERVICE, api_versions.MAX_VERSION, version,
        lambda version, endpoint, **auth: manila_client.Client(
            api_versions.APIVersion(version), service_catalog_url=endpoint, **auth))


def share_list_paged(request, search_opts: dict[str, Any] | None = None,
                     marker: str | None = None, prev_marker: str | None = None,
                     limit: int = 20) -> base.Page:
    """One page of shares, newest first (Manila pages by offset)."""
    def fetch(offset, limit):
        opts = dict(search_opts or {}, offset=offset, limit=limit)
        shares = manilaclient(request).shares.list(
            search_opts=opts, sort_key='created_at', sort_dir='desc')
        return base.wrap_all(Share, shares)
    return base.offset_page(fetch, marker, prev_marker, limit)


def share_get(request, share_id: str) -> Share:
    share_id = base.check_id(share_id)
    return Share(manilaclient(request).shares.get(share_id))


def share_snapshot_list(request, search_opts: dict[str, Any] | None = None) -> list[ShareSnapshot]:
    """Share snapshots (Manila cannot sort them by creation time)."""
    snapshots = manilaclient(request).share_snapshots.list(search_opts=dict(search_opts or {}))
    return base.wrap_all(ShareSnapshot, snapshots)
