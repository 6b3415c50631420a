import horizon
from django.utils.translation import gettext_lazy as _

from protection_dashboard.protection import base as protection_base


class ServerBackups(horizon.Panel):
    """Server backups (records in Glance): where Nova and Glance are in the catalog."""

    name = _("Server Backups")
    slug = 'server_backups'
    permissions = ('openstack.services.compute', 'openstack.services.image')
    policy_rules = (("image", "get_images"),)

    def allowed(self, context):
        return (super().allowed(context)
                and protection_base.get('server_backup').is_enabled(context['request']))
