"""Fake client resources for unit tests."""

from unittest import mock


def fake(wrapper, **attrs):
    """A client resource wrapped like the api layer does.

    Attributes are set one by one: ``mock.Mock(name=...)`` would name the mock
    instead of setting the resource's ``name``.
    """
    resource = mock.Mock()
    for key, value in attrs.items():
        setattr(resource, key, value)
    return wrapper(resource)
