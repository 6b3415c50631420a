import horizon
from django.utils.translation import gettext_lazy as _

from protection_dashboard.api import base
from protection_dashboard.protection import base as protection_base


class VolumeBackups(horizon.Panel):
    """Absent where backups are switched off or the cloud has no backup service."""

    name = _("Volume Backups")
    slug = 'volume_backups'
    permissions = (tuple('openstack.services.%s' % service_type
                         for service_type in base.SERVICE_TYPES['cinder']),)
    policy_rules = (("volume", "backup:get_all"),)

    def allowed(self, context):
        return (super().allowed(context)
                and protection_base.get('volume_backup').is_enabled(context['request']))
