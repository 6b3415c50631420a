"""``service_time``: a service's time as an aware datetime, which a template shows in
the user's timezone.

Horizon's ``parse_date`` reads Cinder's and Manila's naive UTC times but not
Glance's, which end in ``Z`` (a server backup's record): it gives None, shown as
"None".
"""

from __future__ import annotations

import datetime

from django import template
from horizon.utils import filters

register = template.Library()


@register.filter
def service_time(value: str | None) -> datetime.datetime | None:
    """An ISO time (naive: UTC) as an aware datetime; None for no or a malformed time."""
    return filters.parse_isotime(value) if value else None
