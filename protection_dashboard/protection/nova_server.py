"""Nova servers as a protectable resource type (``OS::Nova::Server``).

Their protection points are the server backups (``server_backup.py``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from protection_dashboard import api
from protection_dashboard.protection import base


def boot_source(server) -> str:
    return _("Image") if server.image_id else _("Volume")


def attached_volume_count(server) -> int:
    return len(server.attached_volume_ids)


def task(server) -> str | None:
    """Nova's task under way (e.g. ``image uploading``), or None."""
    return server.task_state.replace('_', ' ') if server.task_state else None


@base.register
class ServerType(base.ResourceType):
    resource_type = 'OS::Nova::Server'
    label = _("Servers (OS::Nova::Server)")
    table_name = 'servers'
    position = 30
    service = 'nova'
    columns = (
        base.Column('boot', boot_source, _("Boots From")),
        base.Column('volumes', attached_volume_count, _("Attached Volumes")),
        base.Column('task', task, _("Task"), busy=True),
    )
    steady_statuses = frozenset({'active', 'shutoff', 'paused', 'suspended',
                                 'shelved_offloaded', 'stopped'})

    def list_page(self, request, *, all_projects, marker, prev_marker, limit):
        return api.nova.server_list_paged(
            request, search_opts=base.all_projects_opts(all_projects), marker=marker,
            prev_marker=prev_marker, limit=limit)

    def get(self, request, resource_id):
        return api.nova.server_get(request, resource_id)

