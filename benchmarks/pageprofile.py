"""Where a page request's time goes: its serving thread's stack, sampled.

``profile(client, path, repeat)`` GETs the page ``repeat`` times while a thread samples the
serving thread's stack every ``INTERVAL`` seconds.  Each sample goes to the category of
its innermost frame outside the standard library (a thread waiting for the network or
for the threads that call the APIs in parallel counts as API time).  Answer: ms per
request of each category, of the heaviest innermost frames, and of our functions
(inclusive of what they call).
"""

import collections
import os
import sys
import sysconfig
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INTERVAL = 0.0005
STDLIB = sysconfig.get_paths()['stdlib'] + os.sep
#: Standard library modules in which a thread waits for the network or for the
#: threads that call the APIs in parallel.
API_STDLIB = ('socket.py', 'ssl.py', 'selectors.py', os.path.join('http', 'client.py'),
              os.path.join('concurrent', 'futures'))
API_PACKAGES = {'requests', 'urllib3', 'keystoneauth1', 'cinderclient', 'manilaclient',
                'novaclient', 'glanceclient', 'keystoneclient', 'neutronclient',
                'openstack', 'osc_lib', 'charset_normalizer', 'idna', 'certifi',
                'futurist'}  # Horizon's threads of parallel API calls
HORIZON_PACKAGES = {'horizon', 'openstack_dashboard', 'openstack_auth', 'manila_ui'}


def category(filename):
    """The category of a frame's file; None for the standard library (look outward)."""
    if filename.startswith('<frozen '):
        filename = os.path.join(STDLIB, filename[len('<frozen '):-1] + '.py')
    if filename.startswith(os.path.join(REPO, 'protection_dashboard')):
        return 'ours (protection_dashboard)'
    package = filename.partition('site-packages' + os.sep)[2].split(os.sep, 1)[0]
    if package in API_PACKAGES:
        return 'API calls and clients'
    if package in HORIZON_PACKAGES:
        return 'Horizon code'
    if package == 'compressor':
        return 'compressor'
    if package == 'django':
        return ('Django templates' if os.sep + 'template' in filename.partition('django')[2]
                else 'Django (other)')
    if package == 'pymemcache':
        return 'cache'
    if package in ('oslo_policy', 'oslo_config'):
        return 'policy checks (oslo.policy)'
    if filename.startswith(STDLIB):
        return 'API calls and clients' if any(part in filename for part in API_STDLIB) else None
    return 'other'


class Sampler:
    """Samples one thread's stack every INTERVAL seconds from a thread of its own."""

    def __init__(self, thread_id):
        self.thread_id, self.stop = thread_id, threading.Event()
        self.categories, self.innermost = collections.Counter(), collections.Counter()
        self.ours = collections.Counter()  # our functions, time inclusive of callees
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.wait(INTERVAL):
            frame = sys._current_frames().get(self.thread_id)
            found, ours = None, set()
            while frame is not None:
                code = frame.f_code
                kind = category(code.co_filename)
                if kind is not None and found is None:
                    found = kind
                    self.innermost['%s %s:%s' % (kind.split()[0], os.path.basename(
                        code.co_filename), code.co_name)] += 1
                if kind == 'ours (protection_dashboard)' and not code.co_filename.endswith(
                        'middleware.py'):  # ours, but around the whole request
                    ours.add('%s.%s' % (os.path.relpath(code.co_filename, REPO)[:-3]
                                        .replace(os.sep, '.'), code.co_qualname))
                frame = frame.f_back
            self.categories[found or 'other'] += 1
            self.ours.update(ours)

    def finish(self):
        self.stop.set()
        self.thread.join()


def profile(client, path, repeat):
    sys.setswitchinterval(INTERVAL)
    sampler = Sampler(threading.get_ident())
    started = time.perf_counter()
    for _ in range(repeat):
        client.get(path)
    per_request = (time.perf_counter() - started) * 1000 / repeat
    sampler.finish()
    sys.setswitchinterval(0.005)
    total = sum(sampler.categories.values())

    def share(counter, top=None):
        return [(key, per_request * count / total) for key, count in counter.most_common(top)]
    return {'ms': per_request, 'samples': total, 'categories': share(sampler.categories),
            'innermost': share(sampler.innermost, 12), 'ours': share(sampler.ours, 10)}
