"""Django settings of the benchmark's manila-ui Horizon (never the product's or dev site's).

The dev site's settings with manila-ui 16's enabled files (installed in the benchmark's
own virtualenv, ``benchmarks/.venv``), and without our Share Snapshots panel, whose slug
``share_snapshots`` is manila-ui's too.  Manila's policy rules are the ones the dev site
registers (our snippet ships Manila's defaults, under the same ``share`` scope).
"""

import manila_ui.local.enabled
from openstack_dashboard.defaults import *  # noqa: F403
from openstack_dashboard.local import enabled

# Horizon imports the enabled files while this module is half-imported, and manila-ui's
# read settings (``MEMOIZED_MAX_SIZE_DEFAULT``) then: Horizon's defaults are here first.
enabled.__path__.extend(manila_ui.local.enabled.__path__)

from devsite.settings import *  # noqa: E402,F403

HORIZON_CONFIG['panel_customization'] = [  # noqa: F405
    config for config in HORIZON_CONFIG['panel_customization']  # noqa: F405
    if config.get('ADD_PANEL') != 'protection_dashboard.content.share_snapshots.panel.'
                                  'ShareSnapshots']
# Without our Share Snapshots panel, our Protectables page cannot link its share rows to
# their protect form: land on Horizon's own home page (it is never measured here).
HORIZON_CONFIG['user_home'] = 'openstack_dashboard.views.get_user_home'  # noqa: F405
