"""What the suite has in the cloud: found by name prefix and lineage, counted, deleted.

Other sessions use the same projects at the same time, so the suite counts only
its own resources: those whose name carries the run's prefix, those whose id it
was handed (by its own API calls or the plugins' answers to its forms), and,
transitively, whatever derives from one of those (a snapshot of its volume, a
volume from its snapshot, a server's image, Cinder's temporary
``backup-vol-<id>``...).  An orphan that a failed operation leaves behind derives
from the suite's resources, so it is found although nobody was told its id.
"""

from __future__ import annotations

import collections
import dataclasses
import time
from collections.abc import Callable, Iterable
from concurrent import futures
from typing import Any

from tests.polling import wait_until

#: How long a resource may take to settle or to go.
SETTLE_TIMEOUT = 180


def status_of(item: Any) -> str:
    return str(getattr(item, 'status', '') or '').lower()


def _code(exc: Exception) -> int | None:
    return (getattr(exc, 'code', None) or getattr(exc, 'http_status', None)
            or getattr(exc, 'status_code', None))


def _delete_retrying(kind: Kind, item_id: str, attempts: int = 5) -> None:
    """Delete, again after a server error. A server error may come after the delete was
    done (then the next try answers 400 "deleted to deleted"): each try after the first
    looks the item up first, and its NotFound ends the retry."""
    for attempt in range(attempts):
        try:
            if attempt:
                kind.get(item_id)
            kind.delete(item_id)
            return
        except Exception as exc:
            if not isinstance(_code(exc), int) or _code(exc) < 500 or attempt == attempts - 1:
                raise
            time.sleep(1 + attempt)


def is_not_found(exc: Exception) -> bool:
    return _code(exc) == 404 or type(exc).__name__ in ('NotFound', 'HTTPNotFound')


@dataclasses.dataclass
class Kind:
    """One resource type of the cloud, as the admin sees it in every project."""

    name: str
    list_all: Callable[[], Iterable[Any]]
    get: Callable[[str], Any]
    delete: Callable[[str], None]
    project: Callable[[Any], str | None]
    #: Ids a resource derives from (its volume, snapshot, share, server, image).
    parents: Callable[[Any], set[str]]
    #: Statuses in which the service deletes it (others are waited out).
    deletable: frozenset[str]


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda item: getattr(item, name, None)


def _ids(*names: str) -> Callable[[Any], set[str]]:
    return lambda item: {value for value in (getattr(item, n, None) for n in names) if value}


def every() -> dict[str, int]:
    """Search options of every project (a new dict each time: clients change theirs)."""
    return {'all_tenants': 1}


def kinds(admin_clients: dict[str, Any]) -> list[Kind]:
    """The resource types the suite counts: volumes, snapshots, backups, shares,
    share snapshots, servers and images."""
    cinder, manila = admin_clients['cinder'], admin_clients['manila']
    nova, glance = admin_clients['nova'], admin_clients['glance']
    cinder_done = frozenset({'available', 'error', 'in-use'})
    return [
        Kind('volume', lambda: cinder.volumes.list(search_opts=every()), cinder.volumes.get,
             cinder.volumes.delete, _attr('os-vol-tenant-attr:tenant_id'),
             _ids('snapshot_id', 'source_volid'), frozenset({'available', 'error'})),
        Kind('volume snapshot', lambda: cinder.volume_snapshots.list(search_opts=every()),
             cinder.volume_snapshots.get, cinder.volume_snapshots.delete,
             _attr('os-extended-snapshot-attributes:project_id'), _ids('volume_id'),
             cinder_done),
        Kind('volume backup', lambda: cinder.backups.list(search_opts=every()),
             cinder.backups.get, cinder.backups.delete,
             _attr('os-backup-project-attr:project_id'), _ids('volume_id', 'snapshot_id'),
             cinder_done),
        Kind('share', lambda: manila.shares.list(search_opts=every()), manila.shares.get,
             manila.shares.delete, _attr('project_id'), _ids('snapshot_id'),
             frozenset({'available', 'error'})),
        Kind('share snapshot', lambda: manila.share_snapshots.list(search_opts=every()),
             manila.share_snapshots.get, manila.share_snapshots.delete, _attr('project_id'),
             _ids('share_id'), frozenset({'available', 'error'})),
        Kind('server', lambda: nova.servers.list(search_opts={'all_tenants': True}),
             nova.servers.get, nova.servers.delete, _attr('tenant_id'),
             lambda server: {server.image['id']} if isinstance(server.image, dict) else set(),
             frozenset({'active', 'error', 'shutoff', 'paused', 'suspended'})),
        Kind('image', lambda: glance.images.list(), glance.images.get, glance.images.delete,
             lambda image: image.get('owner'),
             lambda image: {image[key] for key in ('instance_uuid', 'base_image_ref')
                            if image.get(key)},
             frozenset({'active', 'queued', 'killed', 'deactivated'})),
    ]


@dataclasses.dataclass(frozen=True)
class Found:
    kind: Kind
    item: Any
    depth: int

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def name(self) -> str:
        return getattr(self.item, 'name', None) or ''


class Inventory:
    """The suite's resources in the projects it watches."""

    def __init__(self, kinds_: list[Kind], prefix: str, projects: dict[str, str]):
        self.kinds = kinds_
        self.prefix = prefix
        #: project id -> user name (demo, alt_demo, admin).
        self.projects = projects
        #: Ids the suite was handed: made on purpose, expected alive until the end.
        self.made: set[str] = set()

    def find(self) -> list[Found]:
        """The suite's resources now: by prefix, handed ids and lineage (to a fixpoint)."""
        listed = [(kind, item) for kind in self.kinds for item in kind.list_all()
                  if kind.project(item) in self.projects]
        ours: dict[str, int] = {}
        changed = True
        while changed:
            changed = False
            for kind, item in listed:
                found = Found(kind, item, 0)
                if found.id in ours:
                    continue
                parents = kind.parents(item) & ours.keys()
                named = self.prefix in found.name or any(
                    known in found.name for known in ours)
                if parents or named or found.id in self.made:
                    ours[found.id] = 1 + max((ours[p] for p in parents), default=-1)
                    changed = True
        return [Found(kind, item, ours[Found(kind, item, 0).id]) for kind, item in listed
                if Found(kind, item, 0).id in ours]

    @staticmethod
    def links(found: Found) -> set[str]:
        """Ids a resource names in its metadata or properties (a part of a backup
        names its backup)."""
        item = found.item
        values = item.values() if isinstance(item, dict) else (
            getattr(item, 'metadata', None) or {}).values()
        return {value for value in values if isinstance(value, str)}

    def on_purpose(self, found: list[Found], made: set[str]) -> set[str]:
        """``made``, and whatever names something made on purpose (to a fixpoint)."""
        ids = set(made)
        changed = True
        while changed:
            linked = {f.id for f in found if f.id not in ids and self.links(f) & ids}
            ids |= linked
            changed = bool(linked)
        return ids

    def count(self, found: list[Found]) -> collections.Counter:
        """(user, kind) -> how many."""
        return collections.Counter((self.projects[f.kind.project(f.item)], f.kind.name)
                                   for f in found)

    def delete(self, found: list[Found]) -> list[str]:
        """Delete, deepest first (a volume from a snapshot before the snapshot); the
        problems, if any, as text."""
        problems = []
        for depth in sorted({f.depth for f in found}, reverse=True):
            level = [f for f in found if f.depth == depth]
            with futures.ThreadPoolExecutor(max_workers=8) as pool:
                problems += [p for p in pool.map(self._delete_one, level) if p]
        return problems

    @staticmethod
    def _delete_one(found: Found) -> str | None:
        kind = found.kind
        try:
            wait_until(lambda: status_of(kind.get(found.id)) in kind.deletable,
                       SETTLE_TIMEOUT, '%s %s settled' % (kind.name, found.id))
            _delete_retrying(kind, found.id)
            deadline = time.monotonic() + SETTLE_TIMEOUT
            while time.monotonic() < deadline:
                kind.get(found.id)
                time.sleep(0.5)
            return '%s %s (%s) is still there' % (kind.name, found.id, found.name)
        except Exception as exc:
            if is_not_found(exc):
                return None
            return '%s %s (%s): %s' % (kind.name, found.id, found.name, exc)
