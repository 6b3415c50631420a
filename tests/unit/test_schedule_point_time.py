"""The time a point's pages show, whichever service made the point: Glance's ends in
``Z`` (a server backup's record), Cinder's and Manila's are naive UTC."""

import pytest
from django.template import Context, Template
from django.utils import timezone

SHOWN = 'Dec. 7, 2026, 4:36 a.m.'  # 03:36:50 UTC in Berlin


@pytest.mark.parametrize('created_at, shown', [
    ('2026-12-07T03:36:50Z', SHOWN),
    ('2026-12-07T03:36:50.000000', SHOWN),
    ('2026-12-07T03:36:50', SHOWN),
    (None, '-'),
    ('', '-'),
    ('not a time', '-'),
])
def test_a_services_time_in_the_users_timezone(created_at, shown):
    template = Template('{% load service_time %}{{ value|service_time|default:"-" }}')
    with timezone.override('Europe/Berlin'):
        assert template.render(Context({'value': created_at})) == shown
