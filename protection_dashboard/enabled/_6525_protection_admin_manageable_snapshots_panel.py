PANEL = 'protection_manageable_snapshots'
PANEL_DASHBOARD = 'admin'
PANEL_GROUP = 'protection_admin'
ADD_PANEL = ('protection_dashboard.content.admin_manageable_snapshots.panel.'
             'AdminManageableSnapshots')
