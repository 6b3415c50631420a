from django.utils.translation import gettext_lazy as _

PANEL_GROUP = 'protection_admin'
PANEL_GROUP_NAME = _('Protection')
PANEL_GROUP_DASHBOARD = 'admin'
