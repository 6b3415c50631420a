from protection_dashboard import exceptions

PANEL = 'protectables'
PANEL_DASHBOARD = 'project'
PANEL_GROUP = 'protection'
ADD_PANEL = 'protection_dashboard.content.protectables.panel.Protectables'
ADD_INSTALLED_APPS = ['protection_dashboard']
ADD_EXCEPTIONS = {
    'recoverable': exceptions.RECOVERABLE,
    'not_found': exceptions.NOT_FOUND,
    'unauthorized': exceptions.UNAUTHORIZED,
}
AUTO_DISCOVER_STATIC_FILES = False
