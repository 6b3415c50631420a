"""The configuration a page is measured in, and what it needs started or built.

``production`` (the default): what Horizon's deployment guide sets up, DEBUG off,
cached template loaders, static files collected and compressed offline (``manage.py
compress``), sessions and Horizon's caches in the cache backend, ``memcached`` (Horizon's
default, Debian's memcached through pymemcache, one instance started per run) or
``locmem`` (one cache per process).  ``dev``: the base settings as they are (the dev
site compresses static files while it renders a page).  ``bench_settings.py`` applies it.
"""

import hashlib
import os
import re
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
STATIC = os.path.join(HERE, '.static')  # git-ignored, one STATIC_ROOT per base settings
CONFIGS = ('production', 'dev')
CACHES = ('memcached', 'locmem')


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit('%s exited (%s)' % (what, process.returncode))
        try:
            socket.create_connection(('127.0.0.1', port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit('%s did not listen on port %d within %ds' % (what, port, timeout))


class Memcached:
    """A memcached of this run only, on a free port of 127.0.0.1."""

    def __init__(self):
        self.port = free_port()
        user = ['-u', 'root'] if os.geteuid() == 0 else []
        self.process = subprocess.Popen(
            ['memcached', '-l', '127.0.0.1', '-p', str(self.port), '-U', '0', '-m', '256',
             *user])
        wait_for_port(self.port, self.process, 'memcached')
        self.location = 'memcached:127.0.0.1:%d' % self.port

    def close(self):
        self.process.terminate()
        self.process.wait()


class Config:
    """A configuration (``production`` or ``dev``) and the cache backends measured in it.

    ``caches``: the first is the one pages are measured in; more than one measures
    each page in each (server time only).  ``close()`` stops what was started.
    """

    def __init__(self, name, caches):
        self.name, self.caches = name, caches
        self.memcached = Memcached() if name == 'production' and 'memcached' in caches else None
        self.prepared = set()

    def location(self, cache):
        return self.memcached.location if cache == 'memcached' else cache

    def environment(self, base, cache):
        """The environment of a process serving Horizon with settings ``base``."""
        if self.name == 'production' and base not in self.prepared:
            prepare_static(base)
            self.prepared.add(base)
        return dict(os.environ, DJANGO_SETTINGS_MODULE='bench_settings',
                    PD_BENCH_BASE=base, PD_BENCH_CONFIG=self.name,
                    PD_BENCH_CACHE=self.location(cache), PD_BENCH_STATIC=static_root(base),
                    PD_BENCH_COOKIE=re.sub(r'\W', '_', base),
                    PYTHONPATH=os.pathsep.join([HERE, REPO, os.path.join(REPO, 'devsite')]))

    def close(self):
        if self.memcached:
            self.memcached.close()


def static_root(base):
    return os.path.join(STATIC, base)


def code_stamp():
    """What the compressed files depend on: installed packages, our templates and static."""
    digest = hashlib.sha256(subprocess.run(
        [sys.executable, '-m', 'pip', 'freeze'], capture_output=True, check=True).stdout)
    for top in ('templates', 'static'):
        for folder, dirs, files in sorted(os.walk(os.path.join(REPO, 'protection_dashboard',
                                                               top))):
            dirs.sort()
            for name in sorted(files):
                with open(os.path.join(folder, name), 'rb') as f:
                    digest.update(name.encode() + f.read())
    for name in ('bench_settings.py', 'manila_ui_settings.py'):
        with open(os.path.join(HERE, name), 'rb') as f:
            digest.update(f.read())
    return digest.hexdigest()


def prepare_static(base):
    """Collect and compress offline the static files of ``base``, unless already done."""
    root, stamp = static_root(base), code_stamp()
    stamp_file = os.path.join(root, '.bench-stamp')
    if os.path.exists(stamp_file):
        with open(stamp_file) as f:
            if f.read() == stamp:
                return
    started = time.monotonic()
    env = dict(Config('dev', ()).environment(base, 'locmem'), PD_BENCH_CONFIG='production')
    for command in (['collectstatic', '--noinput', '--clear'], ['compress', '--force']):
        subprocess.run([sys.executable, '-m', 'django', *command, '-v', '0'], env=env,
                       check=True, stdout=subprocess.DEVNULL)
    with open(stamp_file, 'w') as f:
        f.write(stamp)
    print('%s: static files collected and compressed offline in %.0fs'
          % (base, time.monotonic() - started))
