"""A protect or restore whose backend fails half-way leaves nothing behind.

Every form of every plugin is posted as demo with valid input while the Nth
request that changes the cloud fails (a lost connection: it is never sent), for
N = 1, 2, ... until the operation needs fewer changes than N and succeeds.  Each
interrupted operation shows a clear error, never a 5xx, and afterwards the cloud
holds no new resource of the run that the plugins did not hand back (what the
first N-1 requests made must have been cleaned up).
"""

import time

import pytest

from tests.reliability import catalog, formdata, site
from tests.reliability.world import payload_text

FORMS = [route for route in catalog.routes() if route.is_form and route.target]
#: How long an operation's own clean-up may take to finish.
CLEANUP_TIMEOUT = 60


def orphans(inventory, before: set[str], plugin_calls) -> list[str]:
    made = plugin_calls.made()
    return ['%s %s (%s)' % (f.kind.name, f.id, f.name) for f in inventory.find()
            if f.id not in before and f.id not in made]


@pytest.mark.parametrize('route', FORMS, ids=str)
def test_an_interrupted_operation_leaves_no_orphan(route, world, site_of, live, inventory,
                                                   plugin_calls):
    outgoing = live[0]
    demo = site_of('demo')
    url = route.url(world.ids[route.target])
    for nth in range(1, 10):
        form = demo.get(url).context['form']
        data = formdata.post_data(form, formdata.filled(form, payload_text(form, 'fault')))
        before = {found.id for found in inventory.find()}
        with outgoing.failing(nth):
            response = demo.post(url, data)
        if outgoing.failed is None:
            return  # the operation needs fewer than nth changes: it went through
        site.FIGURES['operations interrupted half-way'] += 1
        if response.status_code == 302:
            response = demo.get(response['Location'])
        assert site.error_shown(response), 'no error shown after %s' % (outgoing.failed,)
        deadline = time.monotonic() + CLEANUP_TIMEOUT
        while (left := orphans(inventory, before, plugin_calls)) \
                and time.monotonic() < deadline:
            time.sleep(2)
        site.FIGURES['orphaned resources found'] += len(left)
        assert not left, 'after the failure of %s' % (outgoing.failed,)
    pytest.fail('%s still changing the cloud after 9 requests' % route)
