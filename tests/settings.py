"""Django settings of the unit tests: Horizon's test settings plus this plugin.

Horizon's test settings load the enabled files of ``openstack_dashboard.enabled``
only; the plugin's enabled files are added to that package's search path first.
"""

import os

from openstack_dashboard import enabled as horizon_enabled

REPO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_enabled_dir = os.path.join(REPO_DIR, 'protection_dashboard', 'enabled')
if _enabled_dir not in horizon_enabled.__path__:
    horizon_enabled.__path__.append(_enabled_dir)

from openstack_dashboard.test.settings import *  # noqa: E402,F403

PROTECTION_DASHBOARD = {}
