"""The reliability suite: the dashboard in this process, signed in as the local cloud's
real users, against the real services.

- ``live`` (package, autouse): the dev site's settings (``site.live_settings``), the
  count of every request sent to the cloud, the record of every plugin operation,
  the search of every response and log record for the users' secrets;
- ``site(user)``: a signed-in ``site.SiteClient`` of demo, alt_demo or admin;
- ``world``: demo's resources and points, named with script payloads
  (``world.build``); at the end of the package, everything the inventory finds of
  this run is deleted;
- ``inventory``: the run's resources in the three projects, counted before the run.

Tests run in the order of ``ORDER`` (the fault tests stop services; the leak count
comes last).  The figures are printed at the end of the run.
"""

from __future__ import annotations

import functools
import logging
import os

import pytest

from tests.integration.conftest import client_factory, cloud_info, make_session  # noqa: F401
from tests.reliability import inventory as inventory_module
from tests.reliability import payloads, site, spy
from tests.reliability import world as world_module

HERE = os.path.dirname(os.path.abspath(__file__))
ORDER = ('test_isolation', 'test_script_injection', 'test_hostile_input', 'test_interrupted',
         'test_faults', 'test_secrets', 'test_leaks')
USERS = ('demo', 'alt_demo', 'admin')
CLIENTS = {'cinder': ('cinderclient.client', '3.66'), 'manila': ('manilaclient.client', '2.65'),
           'nova': ('novaclient.client', '2.80'), 'glance': ('glanceclient.client', '2')}
#: Lines for the summary at the end of the run, besides ``site.FIGURES``.
NOTES: list[str] = []


def pytest_collection_modifyitems(config, items):
    ours = [item for item in items if str(item.path).startswith(HERE + os.sep)]
    for item in ours:
        item.add_marker(pytest.mark.reliability)
    if ours:
        first = items.index(ours[0])
        rest = [item for item in items if item not in ours]
        ours.sort(key=lambda item: ORDER.index(item.path.stem) if item.path.stem in ORDER
                  else len(ORDER))
        items[:] = rest[:first] + ours + rest[first:]


def pytest_terminal_summary(terminalreporter):
    if not site.FIGURES and not NOTES:
        return
    terminalreporter.section('reliability figures (run %s)' % payloads.RUN)
    for name, value in sorted(site.FIGURES.items()):
        terminalreporter.line('%-45s %d' % (name, value))
    for line in NOTES:
        terminalreporter.line(line)


@pytest.fixture(scope='package')
def cloud_clients(cloud_info):  # noqa: F811
    """``cloud_clients(user)``: {'cinder', 'manila', 'nova', 'glance'} of that user."""
    factories = {name: client_factory(cloud_info, module, version)
                 for name, (module, version) in CLIENTS.items()}

    @functools.cache
    def of(user):
        session = make_session(cloud_info, user)
        return {name: make(session) for name, make in factories.items()}

    return of


@pytest.fixture(scope='package', autouse=True)
def live(cloud_info):  # noqa: F811
    """The dev site's settings, the count of requests to the cloud, the plugin calls."""
    for always_shown in ('5xx responses', 'isolation bypasses found',
                         'orphaned resources found'):
        site.FIGURES[always_shown] += 0
    outgoing = site.Outgoing(cloud_info['endpoints'])
    calls = spy.PluginCalls()
    log_search = site.SecretsInLogs()
    logging.getLogger().addHandler(log_search)
    with site.live_settings():
        outgoing.install()
        calls.install()
        try:
            yield outgoing, calls
        finally:
            calls.uninstall()
            outgoing.uninstall()
            logging.getLogger().removeHandler(log_search)


@pytest.fixture(scope='package')
def plugin_calls(live):
    return live[1]


@pytest.fixture(scope='package')
def site_of(live, cloud_info):  # noqa: F811
    """``site_of(user)``: one signed-in client per user for the whole package."""
    @functools.cache
    def of(user):
        client = site.SiteClient(live[0], user)
        client.sign_in(cloud_info['users'][user])
        return client
    return of


@pytest.fixture(scope='package')
def demo_request(cloud_info):  # noqa: F811
    """A Horizon-like request of demo for the service layer."""
    from tests.integration import horizon_request
    return horizon_request.login(cloud_info, 'demo')


@pytest.fixture(scope='package')
def inventory(cloud_info, cloud_clients):  # noqa: F811
    """The run's resources in demo's, alt_demo's and admin's projects (counted now)."""
    projects = {make_session(cloud_info, user).get_project_id(): user for user in USERS}
    found = inventory_module.Inventory(inventory_module.kinds(cloud_clients('admin')),
                                       payloads.RUN, projects)
    before = found.count(found.find())
    NOTES.append('resources of this run before it: %d %s' % (sum(before.values()),
                                                             dict(before)))
    return found


@pytest.fixture(scope='package')
def world(site_of, demo_request, cloud_clients, cloud_info, plugin_calls,  # noqa: F811
          inventory):
    """Demo's resources and points of this run; all of the run's resources deleted after."""
    try:
        made = world_module.build(site_of('demo'), demo_request, cloud_clients('demo'),
                                  cloud_info, plugin_calls)
        inventory.made |= set(made.ids.values())
        yield made
    finally:
        problems = inventory.delete(inventory.find())
        left = inventory.find()
        NOTES.append('resources of this run left behind: %d' % len(left))
        assert not problems and not left, (problems, [(f.kind.name, f.id) for f in left])
