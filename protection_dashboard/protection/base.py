"""The protection plugin contract and its registry.

A plugin says, for one resource type, what protecting, restoring and deleting
mean, which schemas describe the options of protect and restore, and how the
statuses of its protection points read (success, failure, in progress).  The
panels are generic over this contract; a new resource type is one plugin
module, its schemas and its panel.
"""

from __future__ import annotations

import abc
from typing import Any, ClassVar


class ProtectionPlugin(abc.ABC):
    #: Karbor-style resource type, e.g. ``OS::Cinder::Volume``.
    resource_type: ClassVar[str]
    #: Registry key, unique per plugin.
    name: ClassVar[str]
    #: Schema names (files in ``schemas/``) of the protect and restore forms.
    options_schema: ClassVar[str]
    restore_schema: ClassVar[str]
    #: Statuses of a protection point.
    success_statuses: ClassVar[frozenset[str]] = frozenset({'available'})
    failure_statuses: ClassVar[frozenset[str]] = frozenset({'error'})
    transitional_statuses: ClassVar[frozenset[str]] = frozenset()
    #: Statuses in which the service accepts a delete.
    deletable_statuses: ClassVar[frozenset[str]] = frozenset({'available', 'error'})

    @abc.abstractmethod
    def protect(self, request, resource_id: str, options: dict[str, Any]) -> Any:
        """Create a protection point of the resource; returns it."""

    @abc.abstractmethod
    def restore(self, request, point_id: str, options: dict[str, Any]) -> Any:
        """Restore from a protection point; returns the restored resource."""

    @abc.abstractmethod
    def delete(self, request, point_id: str) -> None:
        """Delete a protection point."""

    def status_state(self, status: str | None) -> bool | None:
        """Horizon's status-column reading: True done, False failed, None in progress."""
        status = (status or '').lower()
        if status in self.success_statuses:
            return True
        if status in self.failure_statuses:
            return False
        return None

    def can_delete(self, status: str | None) -> bool:
        return (status or '').lower() in self.deletable_statuses


_REGISTRY: dict[str, ProtectionPlugin] = {}


def register(plugin_class: type[ProtectionPlugin]) -> type[ProtectionPlugin]:
    """Class decorator: add one instance of the plugin to the registry."""
    if plugin_class.name in _REGISTRY:
        raise ValueError('protection plugin %r registered twice' % plugin_class.name)
    _REGISTRY[plugin_class.name] = plugin_class()
    return plugin_class


def get(name: str) -> ProtectionPlugin:
    return _REGISTRY[name]


def registered() -> dict[str, ProtectionPlugin]:
    return dict(_REGISTRY)
