PANEL = 'server_backups'
PANEL_DASHBOARD = 'project'
PANEL_GROUP = 'protection'
ADD_PANEL = 'protection_dashboard.content.server_backups.panel.ServerBackups'
