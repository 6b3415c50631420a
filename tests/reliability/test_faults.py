"""Each API service stopped in turn, during a signed-in session: every page and form of
ours says so in an error banner, shows the rest of the page, never a 5xx; once the
service is started again the same session's pages recover, without a new login.

Without Keystone, Horizon's own navigation cannot render (it asks Keystone on every
page): the page is the 503 that says a service does not answer (the session is
kept).  Cinder, Manila, Nova, Glance and Mistral, Keystone last
(``python3 -m localcloud stop|start``), each for a few seconds and always started
again.  These tests stop services of the cloud they run against: they run when
``PD_FAULT_TESTS=1`` (tools/test sets it when it started the cloud itself, as in CI),
never against a cloud that others share.
"""

import os

import pytest

from protection_dashboard.content.panels import service_permissions
from protection_dashboard.content.views import PointDetailView
from tests.integration.test_localcloud_stop_start import localcloud  # noqa: F401
from tests.reliability import catalog, formdata, payloads, site
from tests.reliability.world import payload_text

pytestmark = pytest.mark.skipif(
    os.environ.get('PD_FAULT_TESTS') != '1',
    reason='stops services of the cloud: PD_FAULT_TESTS=1 (tools/test sets it for a '
           'cloud it started itself)')

#: localcloud's name of each API, the plugins' name of its service, its catalog type.
SERVICES = (('cinder-api', 'cinder', 'volumev3'), ('manila-api', 'manila', 'sharev2'),
            ('nova-api', 'nova', 'compute'), ('glance-api', 'glance', 'image'),
            ('mistral-api', 'mistral', 'workflowv2'), ('keystone', None, 'identity'))


def serves(route, service: str) -> bool:
    """Whether a page shows what ``service`` holds (Protectables: every type's; the
    schedules panels: the workflow service's)."""
    if route.plugin is not None:
        return route.plugin.service == service
    if service is None:  # Keystone: every page needs it, no page shows what it holds
        return False
    if getattr(route.panel, 'permissions', None) == service_permissions(service):
        return True
    return any(table.rows and table.rows[0] == 'resource' for table in catalog.tables(route))


def shown(client, response):
    """The page a response shows (a redirect's target)."""
    return client.get(response['Location']) if response.status_code == 302 else response


def services_asked(client, url) -> set[str]:
    """The catalog types a page asked, with every service up (Horizon's navigation
    asks some on every page)."""
    response = client.get(url)
    assert response.status_code in (200, 302), (url, response.status_code)
    asked = {call.service for call in response.api_calls}
    if response.status_code == 302:
        asked |= {call.service for call in shown(client, response).api_calls}
    return asked


@pytest.mark.parametrize(('name', 'service', 'catalog_type'), SERVICES,
                         ids=[name for name, _, _ in SERVICES])
def test_a_stopped_service_is_a_banner_and_its_pages_recover(name, service, catalog_type,
                                                              world, site_of,
                                                              localcloud):  # noqa: F811
    every = catalog.pages(world.ids)
    # Signed in and warm before the fault.  A page needs the service when it shows
    # what the service holds and asked it for that (server backups read Glance and
    # Cinder: they show what they have without Nova).
    needs = {url for route, user, url in every
             if catalog_type in services_asked(site_of(user), url)
             and service is not None and serves(route, service)}
    try:
        stopped = localcloud('stop', name)
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        for route, user, url in every:
            client = site_of(user)
            page = shown(client, client.get(url))
            site.FIGURES['pages requested with a service down'] += 1
            if site.unavailable(page):
                # Horizon's navigation asks Keystone on every page.
                assert service is None, (url, name)
                continue
            assert page.status_code == 200, (url, page.status_code)
            assert b'class="page-header"' in page.content or b'modal' in page.content, url
            if url in needs:
                assert site.error_shown(page), (url, name)
            form = page.context.get('form') if page.context is not None else None
            if route.is_form and form is not None and serves(route, service):
                data = formdata.post_data(form, formdata.filled(form,
                                                                payload_text(form, 'fault')))
                assert site.error_shown(shown(client, client.post(url, data))), url
    finally:
        started = localcloud('start', name)
        assert started.returncode == 0, started.stdout + started.stderr
    for route, user, url in every:
        page = shown(site_of(user), site_of(user).get(url))
        assert page.status_code == 200 and not site.banners(page), (url, name,
                                                                    site.banners(page))
        if issubclass(route.view, PointDetailView) and url in needs:
            assert payloads.RUN.encode() in page.content, (url, name)
