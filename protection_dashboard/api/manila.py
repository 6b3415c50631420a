"""Thin wrapper of python-manilaclient: shares, share snapshots, limits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from horizon.utils.memoized import memoized
from manilaclient import api_versions
from manilaclient import client as manila_client

from protection_dashboard.api import base, microversions

SERVICE = 'manila'


class Share(base.APIResourceWrapper):
    _attrs = ['id', 'name', 'description', 'size', 'status', 'created_at', 'share_proto',
              'share_type', 'share_type_name', 'share_network_id', 'availability_zone',
              'snapshot_id', 'snapshot_support', 'revert_to_snapshot_support',
              'project_id', 'metadata']


class ShareSnapshot(base.APIResourceWrapper):
    _attrs = ['id', 'name', 'description', 'size', 'share_size', 'status', 'created_at',
              'share_id', 'share_proto', 'project_id', 'user_id', 'metadata']


@memoized
def manilaclient(request, version: str | None = None):
    """A Manila client at ``version``, or at the negotiated newest microversion."""
    return base.microversioned_client(
        request, SERVICE, api_versions.MAX_VERSION, version,
        lambda version, endpoint, **auth: manila_client.Client(
            api_versions.APIVersion(version), service_catalog_url=endpoint, **auth))


def api_version(request) -> str:
    return manilaclient(request).api_version.get_string()


def supports(request, feature: str) -> bool:
    return microversions.supports(SERVICE, feature, api_version(request))


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


def share_names(request, share_ids: Iterable[str], all_projects: bool = False
                ) -> dict[str, str]:
    """Id -> name of the shares, enough to name ``share_ids``.

    From the cached light (non-detailed) share list (``base.cached_names``),
    every project's with ``all_projects``.
    """
    def list_names():
        opts = {'all_tenants': True} if all_projects else {}
        shares = manilaclient(request).shares.list(detailed=False, search_opts=opts)
        return {share.id: share.name for share in shares}
    return base.cached_names(request, 'share', share_ids, list_names,
                             all_projects=all_projects)


def share_get(request, share_id: str) -> Share:
    share_id = base.check_id(share_id)
    return Share(manilaclient(request).shares.get(share_id))


def share_create_from_snapshot(request, snapshot: ShareSnapshot, source: Share,
                               name: str | None, description: str | None) -> Share:
    """A new share from ``snapshot``, of its size, like its ``source`` share.

    Protocol, share type, share network and availability zone are the source
    share's, as Manila requires of a share created from a snapshot.
    """
    share = manilaclient(request).shares.create(
        source.share_proto, snapshot.size, snapshot_id=snapshot.id, name=name,
        description=description, share_network=source.share_network_id,
        share_type=source.share_type, availability_zone=source.availability_zone)
    return Share(share)


def share_revert_to_snapshot(request, share_id: str, snapshot_id: str) -> None:
    """Revert a share to its latest snapshot (microversion 2.27 and later)."""
    share_id = base.check_id(share_id)
    snapshot_id = base.check_id(snapshot_id)
    manilaclient(request).shares.revert_to_snapshot(share_id, snapshot_id)


def share_snapshot_list(request, search_opts: dict[str, Any] | None = None,
                        limit: int | None = None) -> list[ShareSnapshot]:
    """Share snapshots, newest first (Manila's default order); all unless ``limit``."""
    opts = dict(search_opts or {})
    if limit:
        opts['limit'] = limit
    snapshots = manilaclient(request).share_snapshots.list(search_opts=opts)
    return base.wrap_all(ShareSnapshot, snapshots)


def share_snapshot_list_paged(request, search_opts: dict[str, Any] | None = None,
                              marker: str | None = None, prev_marker: str | None = None,
                              limit: int = 20) -> base.Page:
    """One page of share snapshots, newest first (Manila pages by offset)."""
    def fetch(offset, limit):
        opts = dict(search_opts or {}, offset=offset, limit=limit)
        return base.wrap_all(ShareSnapshot,
                             manilaclient(request).share_snapshots.list(search_opts=opts))
    return base.offset_page(fetch, marker, prev_marker, limit)


def share_snapshot_get(request, snapshot_id: str) -> ShareSnapshot:
    snapshot_id = base.check_id(snapshot_id)
    return ShareSnapshot(manilaclient(request).share_snapshots.get(snapshot_id))


def share_snapshot_create(request, share_id: str, name: str, description: str | None,
                          force: bool) -> ShareSnapshot:
    share_id = base.check_id(share_id)
    snapshot = manilaclient(request).share_snapshots.create(
        share_id, force=force, name=name, description=description)
    return ShareSnapshot(snapshot)


def share_snapshot_delete(request, snapshot_id: str) -> None:
    snapshot_id = base.check_id(snapshot_id)
    manilaclient(request).share_snapshots.delete(snapshot_id)


def share_limits(request) -> dict[str, int]:
    """The project's absolute limits and usage (maxTotalShareSnapshots, ...)."""
    limits = manilaclient(request).limits.get().absolute
    return {limit.name: limit.value for limit in limits}
