"""Settings of the development site.

Horizon's settings module imports ``local.local_settings``; putting this
folder first on ``sys.path`` makes our ``local`` package win over the copy
inside Horizon, so nothing is ever written into site-packages.  The plugin's
templates and static files are found inside the ``protection_dashboard`` app,
exactly as in an installed copy.
"""

import os
import sys

DEVSITE_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(DEVSITE_DIR)
for path in (REPO_DIR, DEVSITE_DIR):
    if path not in sys.path:
        sys.path.insert(0, path)

from openstack_dashboard.settings import *  # noqa: E402,F403

# Land on the Protection panel: it works with any subset of services.
HORIZON_CONFIG['user_home'] = 'protection_dashboard.views.user_home'  # noqa: F405

# Security headers on every page, a 503 page when a service does not answer
# where Horizon does not handle it (doc/source/contributor/security.md).
MIDDLEWARE = ('django.middleware.security.SecurityMiddleware',  # noqa: F405
              *MIDDLEWARE,  # noqa: F405
              'protection_dashboard.middleware.SecurityHeadersMiddleware',
              'protection_dashboard.middleware.ServiceUnavailableMiddleware')

# The plugin's settings snippet, run the way Horizon runs the snippets an operator
# copies into local_settings.d: the dashboard's defaults and Manila's policy rules,
# so the dev site enforces the same rules as an operator's Horizon.
with open(os.path.join(REPO_DIR, 'protection_dashboard', 'local_settings.d',
                       '_6000_protection_dashboard.py'), encoding='utf-8') as _snippet:
    exec(_snippet.read())  # noqa: S102
