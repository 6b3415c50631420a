PANEL = 'protection_share_snapshots'
PANEL_DASHBOARD = 'admin'
PANEL_GROUP = 'protection_admin'
ADD_PANEL = 'protection_dashboard.content.admin_share_snapshots.panel.AdminShareSnapshots'
