"""A real local OpenStack cloud for development, demo and tests.

``python3 -m localcloud up|down|status|seed|reset`` (see README.md beside this file).
The orchestrator (``cli`` and the modules it imports), ``info`` and ``neutron_stub`` are
stdlib only; ``auth``, ``provision``, ``seed``, ``wsgi``, ``oneproc``, ``cinder_driver``
and ``nova_virt`` run inside the cloud's own venv (``.localcloud/venv``).
"""
