"""Delete what a test made on the local cloud, even when the test failed."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from protection_dashboard import api
from tests.polling import wait_gone, wait_status

#: One kind of resource to delete: its ids, the client manager (``get`` and
#: ``delete``), the statuses the service deletes it in, and its not-found error.
Step = tuple[Iterable[str], Any, Collection[str], type[Exception]]


def delete_created(steps: Iterable[Step]) -> None:
    """Delete each step's resources in order, each waited for until it is gone."""
    for ids, manager, deletable, not_found in steps:
        for item_id in ids:
            try:
                wait_status(lambda m=manager, i=item_id: m.get(i), deletable)
                manager.delete(item_id)
                wait_gone(lambda m=manager, i=item_id: m.get(i), not_found)
            except not_found:
                pass


def manageable_snapshots(request, host: str, limit: int = 1000) -> list[Any]:
    """Every snapshot back end ``host`` lists as manageable, walking Cinder's pages
    (of Cinder's default largest size: usually one call)."""
    items, marker = [], None
    for _page in range(500):
        page = api.cinder.manageable_snapshot_page(request, host, marker=marker, limit=limit)
        items.extend(page.items)
        marker = page.next_marker
        if marker is None:
            return items
    raise AssertionError('more than 500 pages of manageable snapshots')


def manage_back(request, host: str,
                unmanaged: Iterable[tuple[dict[str, str], str]]) -> list[str]:
    """Manage again each (reference, volume id) the back end still lists as safe to
    manage, i.e. a snapshot a failed test left unmanaged; return the new snapshots' ids
    (to delete, which removes the data from the back end)."""
    unmanaged = list(unmanaged)
    if not unmanaged:
        return []
    safe = [item.reference for item in manageable_snapshots(request, host)
            if item.safe_to_manage]
    return [api.cinder.volume_snapshot_manage(request, volume_id, reference,
                                              name='test-cleanup').id
            for reference, volume_id in unmanaged if reference in safe]
