"""What Horizon's page frame asks Keystone for, kept in the session on our pages.

Horizon's context processor (``openstack_dashboard.context_processors.openstack``)
puts ``request.user.authorized_tenants`` into every template rendered with a request:
the project switcher of the header.  openstack_auth rebuilds the user from the session
on each request and lists the user's projects from Keystone again: one call on every
page, modal form and ajax row update.  Our views fill the list from the session
instead, fetched at most every ``PROJECTS_TTL`` seconds (a project the user was just
added to shows in the switcher of our pages that much later; Horizon's own pages ask
Keystone every time).

The session may live in a signed cookie (Django's ``signed_cookies`` engine, about
4 KB in all), so only what the switcher reads is kept (``PROJECT_FIELDS``), and a list
of more than ``MAX_PROJECTS`` projects is not kept at all: such a user's pages ask
Keystone every time, as Horizon's do.
"""

from __future__ import annotations

import time

from keystoneclient.v3 import projects

#: Seconds the session's copy of the user's project list is used.
PROJECTS_TTL = 300
#: A longer list is not kept in the session.
MAX_PROJECTS = 50
#: What Horizon's project switcher reads (``context_selection``: id, name, enabled).
PROJECT_FIELDS = ('id', 'name', 'enabled')
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
    if listed and len(listed) <= MAX_PROJECTS:
        request.session[SESSION_KEY] = {
            'user': user.id, 'expires': now + PROJECTS_TTL,
            'projects': [{field: getattr(project, field, None) for field in PROJECT_FIELDS}
                         for project in listed]}
    elif cached:
        del request.session[SESSION_KEY]  # outdated; a list too long is asked every time


class SessionProjectsMixin:
    """A view whose pages take the header's project list from the session."""

    def dispatch(self, request, *args, **kwargs):
        use_session_projects(request)
        return super().dispatch(request, *args, **kwargs)
