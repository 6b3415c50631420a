PANEL = 'protection_protectables'
PANEL_DASHBOARD = 'admin'
PANEL_GROUP = 'protection_admin'
ADD_PANEL = 'protection_dashboard.content.admin_protectables.panel.AdminProtectables'
