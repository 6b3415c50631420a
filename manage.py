#!/usr/bin/env python3
"""Django's command-line utility for the development site (``devsite``).

``./manage.py runserver 127.0.0.1:8000`` serves Horizon with this plugin
against the cloud named by ``OS_AUTH_URL`` (default: the local cloud).
"""

import os
import sys

if __name__ == '__main__':
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'devsite.settings')
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
