PANEL = 'protection_schedules'
PANEL_DASHBOARD = 'admin'
PANEL_GROUP = 'protection_admin'
ADD_PANEL = ('protection_dashboard.content.admin_protection_schedules.panel.'
             'AdminProtectionSchedules')
