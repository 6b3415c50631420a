"""Local settings of the development site (read by Horizon's settings module).

Environment:
  OS_AUTH_URL          Keystone v3 URL (default: the local cloud's)
  PD_DEBUG             "1" for Django's debug mode
  PD_STATE_DIR         where the secret key is kept (default: <repo>/.localcloud/devsite)
"""

import os

from django.utils.translation import gettext_lazy as _
from openstack_dashboard.local import enabled as horizon_local_enabled

REPO_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Horizon reads enabled files from openstack_dashboard(.local).enabled only:
# extend the package's search path with the plugin's enabled files.
_enabled_dir = os.path.join(REPO_DIR, 'protection_dashboard', 'enabled')
if _enabled_dir not in horizon_local_enabled.__path__:
    horizon_local_enabled.__path__.append(_enabled_dir)

DEBUG = os.environ.get('PD_DEBUG') == '1'
# testserver: Django's test client, used by the benchmarks.
ALLOWED_HOSTS = ['127.0.0.1', 'localhost', 'testserver']

_state_dir = os.environ.get('PD_STATE_DIR', os.path.join(REPO_DIR, '.localcloud', 'devsite'))
os.makedirs(_state_dir, exist_ok=True)
LOCAL_PATH = _state_dir

OPENSTACK_HOST = '127.0.0.1'
OPENSTACK_KEYSTONE_URL = os.environ.get('OS_AUTH_URL', 'http://127.0.0.1:5000/v3')
OPENSTACK_KEYSTONE_DEFAULT_ROLE = 'member'
OPENSTACK_KEYSTONE_DEFAULT_DOMAIN = 'Default'

# Sessions in the cache, so no Keystone token travels in a cookie (a signed
# cookie is readable); a roomy local-memory cache: no memcached needed for one
# dev server process.  Behind TLS, also set SESSION_COOKIE_SECURE and
# CSRF_COOKIE_SECURE (see doc/source/contributor/security.md).
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
        'OPTIONS': {'MAX_ENTRIES': 100000},
    },
}
DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}}
COMPRESS_OFFLINE = False

OPENSTACK_CINDER_FEATURES = {'enable_backup': True}

SITE_BRANDING = _('OpenStack Protection')

LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'handlers': {'console': {'class': 'logging.StreamHandler', 'level': 'INFO'}},
    'loggers': {
        'protection_dashboard': {'handlers': ['console'], 'level': 'INFO'},
        'horizon': {'handlers': ['console'], 'level': 'WARNING'},
        'openstack_auth': {'handlers': ['console'], 'level': 'INFO'},
    },
}
