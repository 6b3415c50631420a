PANEL = 'share_snapshots'
PANEL_DASHBOARD = 'project'
PANEL_GROUP = 'protection'
ADD_PANEL = 'protection_dashboard.content.share_snapshots.panel.ShareSnapshots'
