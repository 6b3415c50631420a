"""Delete what a test made on the local cloud, even when the test failed."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

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
