"""The service layer: the only place that talks to the OpenStack clients."""

from protection_dashboard.api import cinder, glance, manila, mistral, neutron, nova

__all__ = ['cinder', 'glance', 'manila', 'mistral', 'neutron', 'nova']
