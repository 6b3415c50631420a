import horizon
from django.utils.translation import gettext_lazy as _

from protection_dashboard.api import base
from protection_dashboard.protection import base as protection_base


class ShareSnapshots(horizon.Panel):
    name = _("Share Snapshots")
    slug = 'share_snapshots'
    permissions = (tuple('openstack.services.%s' % service_type
                         for service_type in base.SERVICE_TYPES['manila']),)
    policy_rules = (("share", "share_snapshot:get_all_snapshots"),)

    def nav(self, context):
        """Listed only while share protection is switched on (its views 404 otherwise)."""
        return protection_base.get('share_snapshot').is_enabled(context['request'])
