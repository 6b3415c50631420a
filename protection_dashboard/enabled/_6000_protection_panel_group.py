from django.utils.translation import gettext_lazy as _

PANEL_GROUP = 'protection'
PANEL_GROUP_NAME = _('Protection')
PANEL_GROUP_DASHBOARD = 'project'
# Our styles (compiled by Horizon's compressor with the theme's).
ADD_SCSS_FILES = ['protection_dashboard/scss/protection.scss']
