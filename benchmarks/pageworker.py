"""A process that renders pages of one Horizon for the benchmarks, and its client.

``Worker(env)`` starts this file with ``--serve`` in the environment ``env`` (Django
settings, see ``production.py``); the process answers JSON commands, one a line:

* ``login(user)``: a new Django test ``Client`` logs in through the real login form;
* ``get(path, tables)``: one GET; wall time (the server side of a page: middleware, API
  calls, rendering, no browser), API calls by service, the rows of each table and
  the id of each table's first bench item and the URL its row polls, an error message
  shown, failed calls;
* ``row(path, table, obj_id, url)``: the ajax row update a polling table sends: ``url``,
  the row's ``data-update-url`` as the page gave it (what the browser polls), or without
  one ``path?action=row_update&table=...&obj_id=...``;
* ``profile(path, repeat)``: the GET ``repeat`` times, profiled (``pageprofile.py``).

API calls are counted by wrapping ``requests.adapters.HTTPAdapter.send``, which every
OpenStack client, keystoneauth included, sends through.
"""

import collections
import html as htmllib
import json
import logging
import os
import re
import subprocess
import sys
import threading
import time
import warnings
from urllib.parse import urlsplit

import pageprofile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVICES = {5000: 'keystone', 8776: 'cinder', 8774: 'nova', 9292: 'glance',
            9696: 'neutron', 8786: 'manila', 8778: 'placement', 8989: 'mistral'}
ERROR = re.compile(r'alert-danger alert-dismissable.*?</strong>(.*?)</p>', re.S)


class CallCounter:
    """Counts every HTTP request the process sends, by destination port; notes failures."""

    def __init__(self):
        from requests.adapters import HTTPAdapter
        self.ports, self.failed = collections.Counter(), []
        self.lock = threading.Lock()
        original = HTTPAdapter.send

        def send(adapter, request, *args, **kwargs):
            response = original(adapter, request, *args, **kwargs)
            with self.lock:
                self.ports[urlsplit(request.url).port] += 1
                if response.status_code >= 400:
                    self.failed.append('%s %s' % (response.status_code, request.url))
            return response

        HTTPAdapter.send = send

    def take(self):
        with self.lock:
            counts, failed = self.ports, self.failed
            self.ports, self.failed = collections.Counter(), []
        return {SERVICES.get(port, str(port)): n for port, n in sorted(counts.items())}, failed


# --- the worker --------------------------------------------------------------

def serve():
    """The worker: JSON commands on stdin, one JSON answer per line on stdout."""
    answers = os.fdopen(os.dup(1), 'w')
    os.dup2(2, 1)  # whatever Horizon prints goes to stderr, not into the answers
    warnings.simplefilter('ignore')
    import django
    django.setup()
    warnings.simplefilter('ignore')  # Horizon's settings turn DeprecationWarnings back on
    logging.disable(logging.ERROR)  # Horizon's chatter; failures that matter show as
    # failed API calls or an error message on the page
    from django.conf import settings
    from django.test import Client

    from localcloud.info import load_cloud_info
    counter = CallCounter()
    answers.write(json.dumps({'page_size': settings.API_RESULT_PAGE_SIZE}) + '\n')
    answers.flush()
    for line in sys.stdin:
        command = json.loads(line)
        if command['op'] == 'login':
            creds = load_cloud_info()['users'][command['user']]
            # A new client, no session: openstack_auth's login form sends a user who is
            # still signed in (tokens revoked under the run) home without a new token.
            client = Client(HTTP_HOST='127.0.0.1')
            client.get('/auth/login/')
            response = client.post('/auth/login/', {
                'username': creds['username'], 'password': creds['password'],
                'region': 'default'})
            counter.take()  # the login's first, domain-scoped attempt gets a 401 by design
            answer = {'ok': response.status_code == 302
                      and '/auth/login' not in response.get('Location', '')}
        elif command['op'] == 'profile':
            answer = pageprofile.profile(client, command['path'], command['repeat'])
            counter.take()
        else:
            started = time.perf_counter()
            if command['op'] == 'row' and command.get('url'):  # the URL the row polls
                response = client.get(command['url'], HTTP_X_REQUESTED_WITH='XMLHttpRequest')
            elif command['op'] == 'row':
                response = client.get(command['path'], {
                    'action': 'row_update', 'table': command['table'],
                    'obj_id': command['obj_id']}, HTTP_X_REQUESTED_WITH='XMLHttpRequest')
            else:
                response = client.get(command['path'])
            elapsed = (time.perf_counter() - started) * 1000
            calls, failed = counter.take()
            html = response.content.decode()
            error = ERROR.search(html)
            answer = {'ms': elapsed, 'calls': calls, 'failed': failed,
                      'status': response.status_code, 'error': error and error.group(1),
                      'rows': {}, 'first': {}, 'first_url': {}}
            for table in command['tables']:
                rows = [(row.group(1), re.search(r'\bdata-display="([^"]*)"', row.group()),
                         re.search(r'\bdata-update-url="([^"]*)"', row.group()))
                        for row in re.finditer(r'<tr[^>]*\bid="%s__row__([^"]+)"[^>]*>' % table,
                                               html)]
                answer['rows'][table] = len(rows)
                # the first bench item (others come and go), and the URL its row polls
                row, _name, url = next((row for row in rows if row[1]
                                        and row[1].group(1).startswith('bench-')),
                                       (None, None, None))
                answer['first'][table] = row
                answer['first_url'][table] = url and htmllib.unescape(url.group(1))
        answers.write(json.dumps(answer) + '\n')
        answers.flush()


class Worker:
    """A ``serve()`` process in the environment ``env``, logged in as ``user``."""

    def __init__(self, env, user):
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), '--serve'], env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.page_size = self.read()['page_size']
        self.user = user

    def login(self):
        if not self.ask(op='login', user=self.user)['ok']:
            sys.exit('login as %s failed' % self.user)

    def read(self):
        line = self.process.stdout.readline()
        if not line:
            sys.exit('a page worker died (exit %s)' % self.process.wait())
        return json.loads(line)

    def ask(self, **command):
        self.process.stdin.write(json.dumps(command) + '\n')
        self.process.stdin.flush()
        return self.read()

    def close(self):
        self.process.stdin.close()
        self.process.wait()


if __name__ == '__main__' and sys.argv[1:] == ['--serve']:
    sys.path[:0] = [REPO, os.path.join(REPO, 'devsite')]
    serve()
