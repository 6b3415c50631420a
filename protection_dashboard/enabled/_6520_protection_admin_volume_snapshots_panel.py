PANEL = 'protection_volume_snapshots'
PANEL_DASHBOARD = 'admin'
PANEL_GROUP = 'protection_admin'
ADD_PANEL = 'protection_dashboard.content.admin_volume_snapshots.panel.AdminVolumeSnapshots'
