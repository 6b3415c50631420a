PANEL = 'protection_server_backups'
PANEL_DASHBOARD = 'admin'
PANEL_GROUP = 'protection_admin'
ADD_PANEL = 'protection_dashboard.content.admin_server_backups.panel.AdminServerBackups'
