"""Tenant isolation, admin pages and CSRF, over every URL of every panel of ours.

- alt_demo, with demo's ids in every URL that takes one (detail, protect and
  restore forms, GET and POST), every row update and every row action of every
  table: no data of demo in the answer (all of it carries the run's prefix), no
  change in the cloud; demo's resources and points are as they were afterwards.
- demo, on every admin URL (pages, row updates, row actions): refused.
- every POST (forms, row actions) without its CSRF token: refused, nothing changed.
"""

import pytest

from tests.reliability import catalog, formdata, payloads, site
from tests.reliability.spy import protection_plugins
from tests.reliability.world import ROOTS, payload_text, state

ROUTES = catalog.routes()
TARGETED = [route for route in ROUTES if route.target and not route.admin]
TABLES = [table for route in ROUTES for table in catalog.tables(route)]
PROJECT_TABLES = [table for table in TABLES if not table.route.admin and table.rows]
ADMIN_TABLES = [table for table in TABLES if table.route.admin]
REFUSED = (302, 403, 404)
#: What the world makes (a panel of another resource type is covered once it does).
TARGETS = {catalog.resource_target(type_name) for type_name in ROOTS} | {
    catalog.point_target(plugin.name) for plugin in protection_plugins()
    if plugin.resource_type in ROOTS}


@pytest.fixture(scope='module')
def demo_before(world, demo_request, cloud_clients):
    return state(world, demo_request, cloud_clients('demo'))


def leaked(response) -> bool:
    """Whether a response shows anything of demo's (all of it carries the prefix)."""
    site.FIGURES['isolation probes'] += 1
    found = payloads.RUN in response.content.decode(errors='replace')
    site.FIGURES['isolation bypasses found'] += found
    return found


def demo_form_data(route, target_id, site_of):
    """What demo would post in the form (alt_demo cannot open it)."""
    form = site_of('demo').get(route.url(target_id)).context['form']
    values = formdata.filled(form, payload_text(form, 'isolation'))
    return formdata.post_data(form, values)


@pytest.mark.parametrize('route', TARGETED, ids=str)
def test_alt_demo_gets_and_changes_nothing_of_demo_through_a_url(route, world, site_of,
                                                                 demo_before):
    target_id = world.ids[route.target]
    alt = site_of('alt_demo')
    response = alt.get(route.url(target_id))
    assert response.status_code in REFUSED and not leaked(response), response.status_code
    if route.is_form:
        data = demo_form_data(route, target_id, site_of)
        response = alt.post(route.url(target_id), data)
        assert response.status_code in REFUSED and not leaked(response)
        assert not site.changes(response), site.changes(response)


@pytest.mark.parametrize('table', PROJECT_TABLES, ids=str)
def test_alt_demo_gets_and_changes_nothing_of_demo_through_a_table(table, world, site_of,
                                                                   demo_before):
    alt = site_of('alt_demo')
    demo_id = world.ids[table.rows]
    response = alt.get(table.route.url(), table.row_update(demo_id),
                       HTTP_X_REQUESTED_WITH='XMLHttpRequest')
    assert response.status_code in (404, 424) and not leaked(response), response.status_code
    for action in table.batch_actions:
        response = alt.post(table.route.url(),
                            {'action': '%s__%s__%s' % (table.name, action, demo_id)})
        assert response.status_code < 500 and not leaked(response)


@pytest.mark.parametrize('table', ADMIN_TABLES, ids=str)
def test_demo_is_refused_every_admin_page_row_and_action(table, world, site_of):
    demo = site_of('demo')
    response = demo.get(table.route.url())
    assert response.status_code == 403 and not leaked(response), response.status_code
    if table.rows:
        response = demo.get(table.route.url(), table.row_update(world.ids[table.rows]),
                            HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        assert response.status_code == 403 and not leaked(response)
        for action in table.batch_actions:
            response = demo.post(table.route.url(), {
                'action': '%s__%s__%s' % (table.name, action, world.ids[table.rows])})
            assert response.status_code == 403 and not site.changes(response)


@pytest.mark.parametrize('route', [route for route in ROUTES if route.admin and not route.kwarg],
                         ids=str)
def test_demo_is_refused_every_admin_url(route, site_of):
    demo = site_of('demo')
    for response in (demo.get(route.url()), demo.post(route.url(), {})):
        assert response.status_code == 403 and not leaked(response), response.status_code
        assert not site.changes(response)


@pytest.mark.parametrize('route', [route for route in ROUTES if route.is_form
                                   and (route.target in TARGETS or not route.kwarg)], ids=str)
def test_a_form_posted_without_its_csrf_token_is_refused(route, world, site_of):
    if route.kwarg:
        target_id = world.ids[route.target]
        url, data = route.url(target_id), demo_form_data(route, target_id, site_of)
    else:
        url, data = route.url(), {}
    site.FIGURES['CSRF probes'] += 1
    client = site_of('admin' if route.admin else 'demo').csrf_checking()
    response = client.post(url, data)
    assert response.status_code == 403 and not site.changes(response)


@pytest.mark.parametrize('table', [table for table in TABLES if table.batch_actions],
                         ids=str)
def test_a_row_action_posted_without_its_csrf_token_is_refused(table, world, site_of):
    site.FIGURES['CSRF probes'] += 1
    client = site_of('admin' if table.route.admin else 'demo').csrf_checking()
    # A row of a kind the world does not make (a schedule): any id, the token is checked
    # before the id is read.
    row_id = world.ids[table.rows] if table.rows else 'a' * 32
    for action in table.batch_actions:
        response = client.post(table.route.url(), {
            'action': '%s__%s__%s' % (table.name, action, row_id)})
        assert response.status_code == 403 and not site.changes(response)


def test_demos_resources_and_points_are_as_they_were(world, demo_request, cloud_clients,
                                                     demo_before):
    assert state(world, demo_request, cloud_clients('demo')) == demo_before
