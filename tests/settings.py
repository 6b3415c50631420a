"""Django settings of the unit tests: Horizon's test settings plus this plugin.

Horizon's test settings load the enabled files of ``openstack_dashboard.enabled``
only; the repo's ``enabled/`` is added to that package's search path first.
"""

import os

from openstack_dashboard import enabled as horizon_enabled

REPO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_enabled_dir = os.path.join(REPO_DIR, 'enabled')
if _enabled_dir not in horizon_enabled.__path__:
    horizon_enabled.__path__.append(_enabled_dir)

from openstack_dashboard.test.settings import *  # noqa: E402,F403

TEMPLATES[0]['DIRS'].append(os.path.join(REPO_DIR, 'templates'))  # noqa: F405
STATICFILES_DIRS.append(os.path.join(REPO_DIR, 'static'))  # noqa: F405
PROTECTION_DASHBOARD = {'enable_server_snapshot': True}
