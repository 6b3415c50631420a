"""Helpers shared by the panels."""

from __future__ import annotations

from typing import Any

from horizon import exceptions


def list_or_handle(request, result: list[Any] | Exception, message: str) -> list[Any]:
    """The list a parallel call returned, or an error banner and an empty list.

    ``exceptions.handle`` reads the exception being handled, so the failure
    a worker thread returned is re-raised here first.
    """
    if not isinstance(result, Exception):
        return result
    try:
        raise result
    except Exception:
        exceptions.handle(request, message)
    return []
