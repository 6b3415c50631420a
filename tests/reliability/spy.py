"""Every protect, restore and delete the plugins perform while the suite runs.

The plugins are the service layer's only callers that change the cloud; a form
that refuses its input must not reach them.  What they return is recorded, so
the suite knows the ids of what its forms made.
"""

from __future__ import annotations

import dataclasses
import functools
import threading

from protection_dashboard.protection import base

OPERATIONS = ('protect', 'restore', 'delete')


def protection_plugins() -> list[base.ProtectionPlugin]:
    return [plugin for registered in base.resource_types()
            for plugin in base.protection_plugins(registered.resource_type)]


@dataclasses.dataclass(frozen=True)
class PluginCall:
    plugin: str
    operation: str
    target: str
    result_id: str | None
    error: str | None


class PluginCalls:
    def __init__(self):
        self.calls: list[PluginCall] = []
        self._lock = threading.Lock()
        self._patched: list[tuple[base.ProtectionPlugin, str]] = []

    def install(self) -> None:
        for plugin in protection_plugins():
            for operation in OPERATIONS:
                setattr(plugin, operation, self._recording(plugin, operation))
                self._patched.append((plugin, operation))

    def uninstall(self) -> None:
        for plugin, operation in self._patched:
            delattr(plugin, operation)  # the class's method shows again
        self._patched.clear()

    def _recording(self, plugin, operation):
        method = getattr(plugin, operation)

        @functools.wraps(method)
        def record(request, target, *args, **kwargs):
            result, error = None, None
            try:
                result = method(request, target, *args, **kwargs)
                return result
            except Exception as exc:
                error = repr(exc)
                raise
            finally:
                with self._lock:
                    self.calls.append(PluginCall(plugin.name, operation, target,
                                                 getattr(result, 'id', None), error))
        return record

    def mark(self) -> int:
        with self._lock:
            return len(self.calls)

    def since(self, mark: int) -> list[PluginCall]:
        with self._lock:
            return self.calls[mark:]

    def made(self) -> set[str]:
        """Ids of everything the plugins made (points and restored resources)."""
        with self._lock:
            return {call.result_id for call in self.calls
                    if call.result_id and call.operation != 'delete'}
