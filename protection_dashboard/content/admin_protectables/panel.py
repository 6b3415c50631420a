import horizon
from django.utils.translation import gettext_lazy as _


class AdminProtectables(horizon.Panel):
    name = _("Protectable Resources")
    slug = 'protection_protectables'
    permissions = ('openstack.roles.admin',)
