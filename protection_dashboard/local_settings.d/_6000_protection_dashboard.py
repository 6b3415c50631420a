"""Settings of the protection dashboard: a Horizon ``local_settings.d`` snippet.

Copy this file into ``openstack_dashboard/local/local_settings.d/`` (see the README).
Horizon runs it after ``local_settings.py``, in the namespace of its settings module.
Keep your own values in ``local_settings.py`` (or in a snippet named after this one):
they win over the defaults below and survive an upgrade, which replaces this file.
"""

import importlib.util
import os

# The dashboard's toggles and their defaults (protection_dashboard/features.py).
# Also read: 'max_microversions', a dict from service ('cinder', 'manila', 'nova')
# to the newest microversion the dashboard may speak to it, e.g. {'cinder': '3.65'}.
_PROTECTION_DASHBOARD_DEFAULTS = {
    # Volume backups (needs Cinder's backup service).
    'enable_volume_backup': True,
    # Shares (Manila) as a protectable resource type, and their snapshots.
    'enable_share_protection': True,
    # Server backups of image-booted servers snapshot the server (Nova createImage),
    # so they hold the data written since it booted; False keeps only the original
    # image (the backup form then says that user data is NOT included).
    'enable_server_snapshot': True,
}
PROTECTION_DASHBOARD = {
    **_PROTECTION_DASHBOARD_DEFAULTS,
    **globals().get('PROTECTION_DASHBOARD', {}),
}

# Horizon checks the services' policy rules itself, per service type, from
# POLICY_FILES (the operator's overrides, under POLICY_FILES_PATH) and
# DEFAULT_POLICY_FILES (the service's defaults). Horizon ships neither for Manila
# nor for Mistral (the schedules' workflow service, scope 'workflow'): register
# their defaults shipped with this package, unless another plugin (manila-ui) or
# local_settings.py already did.
_protection_spec = importlib.util.find_spec('protection_dashboard')
if _protection_spec is not None:
    _protection_conf = os.path.join(os.path.dirname(_protection_spec.origin), 'conf')
    for _scope, _service in (('share', 'manila'), ('workflow', 'mistral')):
        POLICY_FILES.setdefault(_scope, '%s_policy.yaml' % _service)  # noqa: F821
        DEFAULT_POLICY_FILES.setdefault(  # noqa: F821
            _scope, os.path.join(_protection_conf, 'default_policies', '%s.yaml' % _service))
