"""Checks that apply to the whole test tree."""

import pytest

SEPARATE = ('unit', 'integration', 'browser', 'reliability')


def pytest_collection_modifyitems(config, items):
    """Unit tests run in a process of their own.

    Horizon's unit-test data replaces ``__init__`` and ``__str__`` of the
    python clients' exception classes process-wide, which breaks tests that
    talk to the real services in the same process.
    """
    kinds = {item.nodeid.split('/')[1] for item in items if item.nodeid.startswith('tests/')}
    if 'unit' in kinds and kinds & set(SEPARATE[1:]):
        raise pytest.UsageError(
            'run tests/unit in a separate pytest process from tests/integration, '
            'tests/browser and tests/reliability (Horizon\'s test data patches the '
            'client exceptions); '
            'tools/test does this')
