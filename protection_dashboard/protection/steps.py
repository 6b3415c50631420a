"""Helpers of the multi-step operations (server backups): a failed step, a gone resource."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from protection_dashboard import exceptions as pd_exceptions


class StepFailed(Exception):
    """A step of a multi-step operation failed.

    ``str()`` says which step, and why, for the user.  ``pending``: some of
    what the operation made could not be removed yet (a backup is still being
    made); the backups panel's row poll removes it.
    """

    def __init__(self, message: str, pending: bool = False):
        super().__init__(message)
        self.pending = pending


@dataclasses.dataclass(frozen=True)
class Advanced:
    """A row poll carried an operation on; ``message`` tells the user how it ended."""

    message: str | None = None
    failed: bool = False


def step_message(step: str, exc: Exception) -> str:
    """"<step> failed: <the service's reason>"."""
    return _("%(step)s failed: %(reason)s") % {
        'step': step, 'reason': pd_exceptions.service_message(exc)}


def fetch(get: Callable[..., Any], *args: Any) -> Any | None:
    """``get(*args)``, or None when the service says the resource is gone."""
    try:
        return get(*args)
    except pd_exceptions.GONE:
        return None


def delete_if_there(remove: Callable[..., Any], *args: Any) -> None:
    """``remove(*args)``; a resource gone meanwhile is deleted already."""
    try:
        remove(*args)
    except pd_exceptions.GONE:
        pass
