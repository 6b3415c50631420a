"""The time a schedule's page shows for each point it made, whichever service made it."""

import types

import pytest
from django.utils import timezone

from protection_dashboard.content.protection_schedules.tables import point_created


@pytest.mark.parametrize('created_at, shown', [
    ('2026-12-07T03:36:50Z', 'Dec. 7, 2026, 4:36 a.m. CET'),  # Glance: a server backup
    ('2026-12-07T03:36:50.000000', 'Dec. 7, 2026, 4:36 a.m. CET'),  # Cinder, Manila
    ('2026-12-07T03:36:50', 'Dec. 7, 2026, 4:36 a.m. CET'),
    (None, ''),
    ('not a time', ''),
])
def test_a_points_time_in_the_users_timezone(created_at, shown):
    with timezone.override('Europe/Berlin'):
        assert point_created(types.SimpleNamespace(created_at=created_at)) == shown
