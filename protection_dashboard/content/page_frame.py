"""What Horizon's page frame asks Keystone for, kept in the session on our pages.

Horizon's context processor (``openstack_dashboard.context_processors.openstack``)
puts ``request.user.authorized_tenants`` into every template rendered with a request:
the project switcher of the header.  openstack_auth rebuilds the user from the session
on each request and lists the user's projects from Keystone again: one call on every
page, modal form and ajax row update.  Our views fill the list from the session
instead, fetched at most every ``PROJECTS_TTL`` seconds (a project the user was just
added to shows in the switcher of our pages that much later; Horizon's own pages ask
Keystone every time).
"""

from __future__ import annotations

import time

from keystoneclient.v3 import projects

#: Seconds the session's copy of the user's project list is used.
PROJECTS_TTL = 300
SESSION_KEY = 'protection_dashboard_projects'


def use_session_projects(request) -> None:
    """Give ``request.user`` the project list of the session, or keep a new one there."""
    user = request.user
    if not user.is_authenticated:
        return
    cached = request.session.get(SESSION_KEY)
    now = time.time()
    if cached and cached['user'] == user.id and now < cached['expires']:
        user.authorized_tenants = [projects.Project(None, info, loaded=True)
                                   for info in cached['projects']]
        return
    listed = user.authorized_tenants  # openstack_auth asks Keystone (logs a failure)
    if listed:
        request.session[SESSION_KEY] = {
            'user': user.id, 'expires': now + PROJECTS_TTL,
            'projects': [project.to_dict() for project in listed]}


class SessionProjectsMixin:
    """A view whose pages take the header's project list from the session."""

    def dispatch(self, request, *args, **kwargs):
        use_session_projects(request)
        return super().dispatch(request, *args, **kwargs)
