PANEL = 'protection_schedules'
PANEL_DASHBOARD = 'project'
PANEL_GROUP = 'protection'
ADD_PANEL = 'protection_dashboard.content.protection_schedules.panel.ProtectionSchedules'
