"""``service_time``: a service's time as an aware datetime (``times.service_time``),
which a template shows in the user's timezone.

Horizon's ``parse_date`` reads Cinder's and Manila's naive UTC times but not
Glance's, which end in ``Z`` (a server backup's record): it gives None, shown as
"None".
"""

from django import template

from protection_dashboard.content.protection_schedules.times import service_time

register = template.Library()
register.filter('service_time', service_time)
