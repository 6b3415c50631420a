"""Bounded polling for tests that wait on the real services."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from typing import Any

TIMEOUT = 120
INTERVAL = 0.3


def wait_until(check: Callable[[], Any], timeout: float = TIMEOUT,
               what: str = 'condition') -> Any:
    """Poll ``check`` until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, '%s not reached after %ss' % (what, timeout)
        time.sleep(INTERVAL)


def wait_status(get: Callable[[], Any], want: str | Collection[str], what: str = 'resource',
                timeout: float = TIMEOUT) -> Any:
    """Poll ``get()`` until its status is ``want`` (one status or several); return it.

    An ``error...`` status that is not wanted fails at once.
    """
    wanted = {want} if isinstance(want, str) else set(want)
    deadline = time.monotonic() + timeout
    while True:
        obj = get()
        status = obj.status if hasattr(obj, 'status') else obj['status']
        if status in wanted:
            return obj
        assert not str(status).lower().startswith('error'), '%s went to %s' % (what, status)
        assert time.monotonic() < deadline, '%s still %s after %ss (want %s)' % (
            what, status, timeout, sorted(wanted))
        time.sleep(INTERVAL)


def wait_gone(get: Callable[[], Any], not_found: type[Exception] | tuple[type[Exception], ...],
              timeout: float = TIMEOUT) -> None:
    """Poll ``get()`` until it raises ``not_found``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            get()
        except not_found:
            return
        time.sleep(INTERVAL)
    raise AssertionError('still there after %ss' % timeout)
