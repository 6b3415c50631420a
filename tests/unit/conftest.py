"""Defaults of every unit test."""

from unittest import mock

import pytest


@pytest.fixture(autouse=True)
def no_backup_service():
    """The cloud of the unit tests has no backup service unless a test says otherwise.

    Whether it has one is asked of Cinder (``protection.volume_backup``); pages
    that show the navigation or the volume actions would ask it in every test.
    """
    with mock.patch('protection_dashboard.protection.volume_backup.backup_service',
                    return_value=False) as patched:
        yield patched
