"""The one Neutron call the dashboard makes: the networks a new server can use.

Neutron's REST API through the request's keystoneauth1 session (no client
library: one read is all we need).
"""

from __future__ import annotations

import types

from protection_dashboard.api import base

SERVICE = 'neutron'


class Network(base.APIResourceWrapper):
    _attrs = ['id', 'name', 'shared', 'router:external']

    @property
    def external(self) -> bool:
        return bool(getattr(self._apiresource, 'router:external', False))


def network_list(request) -> list[Network]:
    """The project's own and shared networks; external ones only where shared.

    A project member cannot put a server's port on an external network it
    does not share, so those are left out.
    """
    endpoint = base.endpoint_for(request, SERVICE).rstrip('/')
    if not endpoint.endswith('/v2.0'):
        endpoint += '/v2.0'
    response = base.keystone_session(request).get(
        endpoint + '/networks', auth=base.token_auth(request, endpoint),
        params={'fields': ['id', 'name', 'shared', 'router:external']}, raise_exc=True,
        headers={'Accept': 'application/json'})
    networks = [Network(types.SimpleNamespace(**network))
                for network in response.json()['networks']]
    return [network for network in networks if network.shared or not network.external]
