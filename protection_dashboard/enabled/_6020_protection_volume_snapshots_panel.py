PANEL = 'volume_snapshots'
PANEL_DASHBOARD = 'project'
PANEL_GROUP = 'protection'
ADD_PANEL = 'protection_dashboard.content.volume_snapshots.panel.VolumeSnapshots'
