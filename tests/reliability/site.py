"""The dashboard as an operator runs it, served in this process against the local cloud.

The cloud tests' process runs with the unit tests' Django settings (Horizon's test
settings: no real Keystone, no policy checks).  ``live_settings`` lays the dev
site's settings that matter over them (Keystone, policy files, sessions, security
middleware, the plugin's defaults), so Django's test client logs in as the local
cloud's real users and every page calls the real services.

``Outgoing`` counts every HTTP request the process sends (every OpenStack client
sends through ``requests``), so a test can tell whether a page changed anything in
the cloud.  ``SiteClient`` fails on any 5xx, with the traceback of the view.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import importlib
import logging
import re
import threading
import traceback
from urllib.parse import urlsplit

import requests
from django.test import Client
from django.test.utils import override_settings
from openstack_auth import policy

from tests.reliability import formdata

#: What makes the dev site a real site: its Keystone, its policy rules and
#: sessions, its middleware (security headers included) and the plugin's defaults.
LIVE_SETTINGS = (
    'OPENSTACK_KEYSTONE_URL', 'OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT',
    'OPENSTACK_KEYSTONE_DEFAULT_DOMAIN', 'AVAILABLE_REGIONS', 'POLICY_CHECK_FUNCTION',
    'POLICY_FILES', 'DEFAULT_POLICY_FILES', 'SESSION_ENGINE', 'CACHES', 'MIDDLEWARE',
    'MESSAGE_STORAGE', 'PROTECTION_DASHBOARD', 'OPENSTACK_CINDER_FEATURES', 'ROOT_URLCONF',
)
#: Where openstack_auth keeps the signed-in user's token in the session.
SESSION_TOKEN = 'token'
#: Methods that change something in the cloud.
CHANGES = frozenset({'POST', 'PUT', 'PATCH', 'DELETE'})
#: The figures the suite prints at the end (see conftest.pytest_terminal_summary).
FIGURES: collections.Counter = collections.Counter()
#: What must never show in a response or a log line: the users' passwords and tokens.
SECRETS: set[str] = set()
#: Where a secret showed ('GET /path', 'log <logger>').
SECRET_SIGHTINGS: list[str] = []
#: Signed-in pages without a security header: 'GET /path: header'.
HEADER_PROBLEMS: list[str] = []
#: The headers every signed-in page sends, and a test of each one's value.
SECURITY_HEADERS = {
    'X-Frame-Options': lambda value: value in ('DENY', 'SAMEORIGIN'),
    'Content-Security-Policy': lambda value: "frame-ancestors 'self'" in value,
    'Cache-Control': lambda value: 'no-store' in value,
    'X-Content-Type-Options': lambda value: value == 'nosniff',
}


def shows_secret(text: str) -> bool:
    return any(secret in text for secret in SECRETS)


def inspect(where: str, response) -> None:
    """Look for secrets in a response, and for the security headers of a signed-in page."""
    if response.streaming:
        return
    FIGURES['responses searched for passwords and tokens'] += 1
    if shows_secret(response.content.decode(errors='replace')) or shows_secret(
            ' '.join('%s: %s' % item for item in response.items())
            + response.cookies.output()):
        SECRET_SIGHTINGS.append(where)
    user = getattr(response.wsgi_request, 'user', None)
    if (user is not None and user.is_authenticated and response.status_code == 200
            and response.get('Content-Type', '').startswith('text/html')):
        FIGURES['signed-in pages checked for security headers'] += 1
        HEADER_PROBLEMS.extend('%s: %s' % (where, name)
                               for name, valid in SECURITY_HEADERS.items()
                               if not valid(response.get(name, '')))


class SecretsInLogs(logging.Handler):
    """Notes every log record of the run that shows a secret."""

    def emit(self, record):
        FIGURES['log records searched for passwords and tokens'] += 1
        if shows_secret(self.format(record)):
            SECRET_SIGHTINGS.append('log %s' % record.name)


class live_settings(override_settings):  # noqa: N801 (used like override_settings)
    """The dev site's settings that make this process a real dashboard of the cloud."""

    def __init__(self):
        site = importlib.import_module('devsite.settings')
        super().__init__(**{name: getattr(site, name) for name in LIVE_SETTINGS})

    def enable(self):
        super().enable()
        policy.reset()  # the enforcer caches the policy files it read

    def disable(self):
        super().disable()
        policy.reset()


@dataclasses.dataclass(frozen=True)
class Call:
    """One HTTP request sent to the cloud."""

    method: str
    service: str
    path: str
    status: int | None

    @property
    def changes(self) -> bool:
        """Whether it may change the cloud (Keystone's token requests do not)."""
        return self.method in CHANGES and not (
            self.service == 'identity' and self.path.endswith('/auth/tokens'))


class Outgoing:
    """Records every request sent through ``requests`` while installed."""

    def __init__(self, endpoints: dict[str, str]):
        self.services = {urlsplit(url).port: name for name, url in endpoints.items()}
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._original = None
        #: Fault injection (``failing``): which change fails, how many were seen,
        #: and the one that was made to fail.
        self._fail_at: int | None = None
        self._changes_seen = 0
        self.failed: Call | None = None

    def install(self) -> None:
        from requests.adapters import HTTPAdapter
        self._original = original = HTTPAdapter.send
        outgoing = self

        def send(adapter, request, *args, **kwargs):
            parts = urlsplit(request.url)
            call = Call(request.method, outgoing.services.get(parts.port, str(parts.port)),
                        parts.path, None)
            outgoing._inject(call)
            try:
                response = original(adapter, request, *args, **kwargs)
                call = dataclasses.replace(call, status=response.status_code)
                return response
            finally:
                with outgoing._lock:
                    outgoing.calls.append(call)

        HTTPAdapter.send = send

    def _inject(self, call: Call) -> None:
        with self._lock:
            if self._fail_at is None or not call.changes:
                return
            self._changes_seen += 1
            if self._changes_seen != self._fail_at:
                return
            self.failed = call
        raise requests.exceptions.ConnectionError('injected failure of %s %s'
                                                  % (call.method, call.path))

    @contextlib.contextmanager
    def failing(self, nth: int):
        """The ``nth`` request that changes the cloud fails as a lost connection (it
        is not sent); ``failed`` tells which one, None if there were fewer."""
        with self._lock:
            self._fail_at, self._changes_seen, self.failed = nth, 0, None
        try:
            yield
        finally:
            with self._lock:
                self._fail_at = None

    def uninstall(self) -> None:
        from requests.adapters import HTTPAdapter
        HTTPAdapter.send = self._original

    def mark(self) -> int:
        with self._lock:
            return len(self.calls)

    def since(self, mark: int) -> list[Call]:
        with self._lock:
            return self.calls[mark:]


class ServerError(AssertionError):
    """The dashboard answered 5xx."""


def unavailable(response) -> bool:
    """The page that says a service does not answer (ServiceUnavailableMiddleware)."""
    return response.status_code == 503 and response.has_header('Retry-After')


class SiteClient(Client):
    """Django's test client of one user; any 5xx but the page that says a service
    does not answer fails, with the view's traceback.

    Each response carries ``api_calls``: the requests the dashboard sent to the
    cloud while serving it.
    """

    def __init__(self, outgoing: Outgoing, user: str = '', **kwargs):
        super().__init__(raise_request_exception=False, **kwargs)
        self.outgoing = outgoing
        self.user = user

    def request(self, **request):
        mark = self.outgoing.mark()
        response = super().request(**request)
        response.api_calls = self.outgoing.since(mark)
        inspect('%s %s' % (request['REQUEST_METHOD'], request['PATH_INFO']), response)
        FIGURES['dashboard requests'] += 1
        FIGURES['API requests sent by the dashboard'] += len(response.api_calls)
        if unavailable(response):
            FIGURES['503 pages (a service that does not answer)'] += 1
        elif response.status_code >= 500:
            FIGURES['5xx responses'] += 1
            trace = ''.join(traceback.format_exception(*response.exc_info)) \
                if response.exc_info else response.content.decode(errors='replace')[-2000:]
            raise ServerError('%s %s?%s as %s answered %s:\n%s' % (
                request['REQUEST_METHOD'], request['PATH_INFO'], request.get('QUERY_STRING', ''),
                self.user, response.status_code, trace))
        return response

    def sign_in(self, creds: dict[str, str]) -> None:
        """Sign in through Horizon's login form (Keystone checks the password); the
        password and the session's tokens become ``SECRETS``."""
        SECRETS.add(creds['password'])
        response = self.post('/auth/login/', {'username': creds['username'],
                                              'password': creds['password'],
                                              'region': 'default'})
        assert response.status_code == 302 and '/auth/login' not in response['Location'], \
            'login as %s failed (%s)' % (creds['username'], response.status_code)
        token = self.session[SESSION_TOKEN]
        SECRETS.update(secret for secret in (token.id, token.unscoped_token) if secret)

    def csrf_checking(self) -> SiteClient:
        """A client of the same signed-in session that enforces CSRF checks."""
        checking = SiteClient(self.outgoing, self.user, enforce_csrf_checks=True)
        checking.cookies = self.cookies
        return checking


def changes(response) -> list[Call]:
    """The requests of a response that may have changed the cloud."""
    return [call for call in response.api_calls if call.changes]


_BANNER = re.compile(r'alert-danger alert-dismissable.*?</strong>(.*?)</p>', re.S)


def banners(response) -> list[str]:
    """The texts of Horizon's error banners on a page."""
    return [' '.join(text.split()) for text in
            _BANNER.findall(response.content.decode(errors='replace'))]


def error_shown(response) -> bool:
    """Whether a page tells of a failure: a form error or Horizon's error banner."""
    return bool(formdata.errors(response) or banners(response))
