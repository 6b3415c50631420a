"""ML2 mechanism driver ``localcloud``: binds every port to its host, with no agent.

The local cloud runs neutron's API only (no L2 agent, no DHCP, nothing wired), and
nova-compute's fake virt driver plugs nothing.  A port that Nova creates for a server
(``binding:host_id`` = the compute host) must still bind, or Nova fails the boot with
PortBindingFailed.  This driver binds the first segment of every port it is asked to
bind, as ``ovs`` with the details Open vSwitch's driver gives, and marks the port
ACTIVE (nobody else will).

Loaded by neutron-api through the entry point ``neutron.ml2.mechanism_drivers:
localcloud`` that ``python -m localcloud up`` writes to ``<state>/lib`` (on the
service's PYTHONPATH; see ``localcloud.render``).
"""

from neutron_lib import constants
from neutron_lib.api.definitions import portbindings
from neutron_lib.plugins.ml2 import api

VIF_DETAILS = {
    portbindings.CAP_PORT_FILTER: True,
    portbindings.OVS_HYBRID_PLUG: False,
    portbindings.VIF_DETAILS_CONNECTIVITY: portbindings.CONNECTIVITY_L2,
}


class LocalMechanismDriver(api.MechanismDriver):
    def initialize(self):
        pass

    @property
    def connectivity(self):
        return portbindings.CONNECTIVITY_L2

    def bind_port(self, context):
        for segment in context.segments_to_bind:
            context.set_binding(segment[api.ID], portbindings.VIF_TYPE_OVS, VIF_DETAILS,
                                status=constants.PORT_STATUS_ACTIVE)  # fmt: skip
            return
