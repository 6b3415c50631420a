PANEL = 'volume_backups'
PANEL_DASHBOARD = 'project'
PANEL_GROUP = 'protection'
ADD_PANEL = 'protection_dashboard.content.volume_backups.panel.VolumeBackups'
