"""Fake client resources and policies for unit tests."""

import contextlib
import os
import tempfile
from unittest import mock

import yaml
from django.test import override_settings
from openstack_auth import policy as auth_policy


def fake(wrapper, **attrs):
    """A client resource wrapped like the api layer does.

    Attributes are set one by one: ``mock.Mock(name=...)`` would name the mock
    instead of setting the resource's ``name``.
    """
    resource = mock.Mock()
    for key, value in attrs.items():
        setattr(resource, key, value)
    return wrapper(resource)


@contextlib.contextmanager
def service_policy(scope, rules):
    """Horizon's real policy engine (openstack_auth) with ``rules`` as the defaults of
    ``scope`` (an empty override file beside them)."""
    with tempfile.TemporaryDirectory() as folder:
        defaults = os.path.join(folder, 'defaults.yaml')
        overrides = os.path.join(folder, 'overrides.yaml')
        with open(defaults, 'w') as f:
            yaml.safe_dump([{'name': name, 'check_str': check, 'description': name,
                             'scope_types': ['project']} for name, check in rules.items()], f)
        with open(overrides, 'w') as f:
            f.write('{}\n')
        auth_policy.reset()
        try:
            with override_settings(POLICY_CHECK_FUNCTION='openstack_auth.policy.check',
                                   POLICY_FILES={scope: overrides},
                                   DEFAULT_POLICY_FILES={scope: defaults}):
                yield
        finally:
            auth_policy.reset()
