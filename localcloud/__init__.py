"""A real local OpenStack cloud for development, demo and tests.

``python3 -m localcloud up|down|status|seed|reset`` (see README.md beside this file).
The package root and ``cli``/``info``/``neutron_stub`` are stdlib only; the other
modules run inside the cloud's own venv (``.localcloud/venv``).
"""
