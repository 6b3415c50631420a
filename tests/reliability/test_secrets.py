"""No password or token of a user in any response or log record of the run, and the
security headers on every signed-in page (runs after the other tests of the suite).

``site.SiteClient`` searches every response it gets, and ``site.SecretsInLogs`` every
log record of the run, for the passwords and the Keystone tokens (scoped and
unscoped) of the users who signed in.  Before looking at the findings, this test
requests every page of ours once more, so that it also has something to look at when
it runs alone.
"""

import pytest

from tests.reliability import catalog, site


@pytest.fixture(scope='module')
def every_page_visited(world, site_of):
    for _route, user, url in catalog.pages(world.ids):
        site_of(user).get(url)


@pytest.mark.usefixtures('every_page_visited')
def test_no_password_or_token_in_any_response_or_log_record():
    assert site.SECRETS and site.FIGURES['responses searched for passwords and tokens']
    site.FIGURES['secrets found in responses and logs'] += len(site.SECRET_SIGHTINGS)
    assert not site.SECRET_SIGHTINGS


@pytest.mark.usefixtures('every_page_visited')
def test_every_signed_in_page_sends_the_security_headers():
    assert site.FIGURES['signed-in pages checked for security headers']
    assert not site.HEADER_PROBLEMS
