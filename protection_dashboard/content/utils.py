"""Helpers shared by the panels."""

from __future__ import annotations

from horizon import exceptions


def handle_failure(request, error: Exception, message: str) -> None:
    """An error banner for a failure that a worker thread returned.

    ``exceptions.handle`` reads the exception being handled, so it is
    re-raised here first.
    """
    try:
        raise error
    except Exception:
        exceptions.handle(request, message)

