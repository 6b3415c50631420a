import horizon
from django.utils.translation import gettext_lazy as _

from protection_dashboard.api import base


class VolumeSnapshots(horizon.Panel):
    name = _("Volume Snapshots")
    slug = 'volume_snapshots'
    permissions = (tuple('openstack.services.%s' % service_type
                         for service_type in base.SERVICE_TYPES['cinder']),)
    policy_rules = (("volume", "volume:get_all_snapshots"),)
