"""A Horizon-like request for a real cloud user, to drive the service layer.

The service layer only needs what Horizon's session puts on ``request.user``:
the token id, the service catalog, the region and the project.
"""

from __future__ import annotations

import types

from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3


class Request:
    """Hashable like Django's request, so the service layer's memoization works."""

    def __init__(self, user: types.SimpleNamespace, keystone_session: ks_session.Session):
        self.user = user
        self.session: dict = {}
        self.keystone_session = keystone_session


def login(cloud_info: dict, user: str) -> Request:
    """Authenticate ``user`` of cloud.json and return a request carrying its token."""
    creds = cloud_info['users'][user]
    auth = v3.Password(auth_url=cloud_info['auth_url'], username=creds['username'],
                       password=creds['password'], project_name=creds['project_name'],
                       user_domain_name=creds.get('user_domain_name', 'Default'),
                       project_domain_name=creds.get('project_domain_name', 'Default'))
    session = ks_session.Session(auth=auth)
    access = auth.get_access(session)
    token = types.SimpleNamespace(id=access.auth_token)
    user_obj = types.SimpleNamespace(
        id=access.user_id, token=token, username=creds['username'],
        tenant_id=access.project_id,
        project_id=access.project_id, services_region=cloud_info.get('region', 'RegionOne'),
        service_catalog=access.service_catalog.catalog, is_authenticated=True)
    return Request(user_obj, session)


def fresh(request: Request) -> Request:
    """A new request for the same user: memoized clients are per request."""
    return Request(request.user, request.keystone_session)
