"""Times of schedules as the user reads them: in the user's timezone."""

from __future__ import annotations

import datetime
from typing import Any

from django.template import defaultfilters
from django.utils import timezone

from protection_dashboard.schedules import cron


def service_time(value: str | None) -> datetime.datetime | None:
    """A service's ISO time, aware: Mistral's, Cinder's and Manila's are naive UTC
    (``2026-12-04 02:30:00``), Glance's end in ``Z``. None for no or a malformed time."""
    try:
        moment = datetime.datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
    if moment is None or moment.tzinfo:
        return moment
    return moment.replace(tzinfo=datetime.UTC)


def local_time(moment: datetime.datetime | None) -> str:
    """An aware time in the user's timezone (Horizon activates it per request)."""
    if moment is None:
        return ''
    local = timezone.localtime(moment)
    return '%s %s' % (defaultfilters.date(local, 'DATETIME_FORMAT'), local.tzname())


def pattern_preview(pattern: str) -> dict[str, Any]:
    """A valid pattern in words and its next three runs, in the user's timezone."""
    runs = cron.next_runs(pattern, timezone.get_current_timezone_name(), timezone.now())
    return {'pattern': pattern, 'description': cron.describe(pattern),
            'runs': [local_time(run) for run in runs]}
