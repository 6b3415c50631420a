"""A real local OpenStack cloud for development, demo and tests.

``python3 -m localcloud up|down|status|seed|reset|stop|start`` (see README.md beside this
file).  The orchestrator (``cli`` and the modules it imports) and ``info`` are stdlib
only; ``auth``, ``provision``, ``seed``, ``wsgi``, ``oneproc``, ``cinder_driver``,
``neutron_ml2`` and ``nova_virt`` run inside the cloud's own venv (``.localcloud/venv``).
"""
