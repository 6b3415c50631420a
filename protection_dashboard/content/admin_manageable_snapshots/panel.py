from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.panels import PluginPanel, service_permissions
from protection_dashboard.protection import base as protection_base


class AdminManageableSnapshots(PluginPanel):
    name = _("Manageable Snapshots")
    slug = 'protection_manageable_snapshots'
    plugin_name = 'volume_snapshot'
    permissions = service_permissions('cinder') + ('openstack.roles.admin',)
    policy_rules = protection_base.get(plugin_name).list_manageable_policy
