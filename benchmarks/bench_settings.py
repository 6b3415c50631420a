"""Django settings of a benchmarked Horizon: a base settings module, made production-like.

Set by ``production.py`` in the environment of each page worker, server and
``manage``-style command:

``PD_BENCH_BASE``
    the base settings module (``devsite.settings``, ``manila_ui_settings``);
``PD_BENCH_CONFIG``
    ``dev``: the base as it is (static files compressed on request, its cache);
    ``production``: DEBUG off, cached template loaders, static files collected and
    compressed offline into ``PD_BENCH_STATIC``, and the cache ``PD_BENCH_CACHE``
    (``locmem``, or ``memcached:<host>:<port>`` through pymemcache) for sessions too;
``PD_BENCH_COOKIE``
    a suffix of the session and CSRF cookie names, so that one browser holds the
    sessions of several Horizons on the same host.
"""

import importlib
import os

# Horizon imports the enabled files while this module is half-imported, and manila-ui's
# read settings then (``MEMOIZED_MAX_SIZE_DEFAULT``): Horizon's defaults are here first.
from openstack_dashboard.defaults import *  # noqa: E402,F403

_base = importlib.import_module(os.environ['PD_BENCH_BASE'])
globals().update({name: value for name, value in vars(_base).items() if name.isupper()})

SESSION_COOKIE_NAME = 'sessionid_%s' % os.environ['PD_BENCH_COOKIE']
CSRF_COOKIE_NAME = 'csrftoken_%s' % os.environ['PD_BENCH_COOKIE']

if os.environ['PD_BENCH_CONFIG'] == 'production':
    # Horizon's settings chose the template loaders from DEBUG when the base was read.
    if DEBUG or 'django.template.loaders.cached.Loader' not in str(  # noqa: F405
            TEMPLATES[0]['OPTIONS']['loaders']):  # noqa: F405
        raise RuntimeError('%s: DEBUG must be off, template loaders cached' % _base.__name__)
    COMPRESS_ENABLED = COMPRESS_OFFLINE = True
    STATIC_ROOT = os.environ['PD_BENCH_STATIC']
    _cache = os.environ['PD_BENCH_CACHE']
    if _cache == 'locmem':
        CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
                              'OPTIONS': {'MAX_ENTRIES': 100000}}}
    else:
        CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',
                              'LOCATION': _cache.partition(':')[2]}}
    SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
