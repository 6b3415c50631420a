"""The base of the protection-point panels."""

import horizon

from protection_dashboard.api import base as api_base
from protection_dashboard.protection import base as protection_base


def service_permissions(service: str) -> tuple[tuple[str, ...], ...]:
    """Horizon permissions: any one of the service's catalog types."""
    return (tuple('openstack.services.%s' % service_type
                  for service_type in api_base.SERVICE_TYPES[service]),)


class PluginPanel(horizon.Panel):
    """A panel of one protection plugin, there only while the plugin is enabled.

    Enabled = its service in the catalog, its toggle on, and whatever the
    plugin checks of the cloud (a backup service).  Otherwise the panel is
    not listed and Horizon refuses its URLs, as for a missing permission.
    """

    plugin_name = ''

    def allowed(self, context):
        return (super().allowed(context)
                and protection_base.get(self.plugin_name).is_enabled(context['request']))
