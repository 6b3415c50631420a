"""Helpers shared by the panels."""

from __future__ import annotations

from horizon import exceptions


def handle_error(request, message: str, redirect: str | None = None):
    """Horizon's ``exceptions.handle`` with one log line per handled error.

    Horizon logs a handled error with its whole traceback by default; a
    service's 404 or refusal is expected and needs only its message.  An
    unexpected exception is still re-raised (and logged) by Horizon.
    """
    return exceptions.handle(request, message, redirect=redirect, log_level='warning')


def handle_failure(request, error: Exception, message: str) -> None:
    """An error banner for a failure that a worker thread returned.

    ``exceptions.handle`` reads the exception being handled, so it is
    re-raised here first.
    """
    try:
        raise error
    except Exception:
        handle_error(request, message)
