"""Settings toggles: defaults, overrides, and a misconfigured setting that must not crash."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.test import override_settings

from protection_dashboard import features

TOGGLES = sorted(features.DEFAULTS)


def test_every_toggle_defaults_to_on():
    assert TOGGLES == ["enable_server_snapshot", "enable_share_protection",
                       "enable_volume_backup"]
    assert all(value is True for value in features.DEFAULTS.values())


@pytest.mark.parametrize("name", TOGGLES)
def test_defaults_when_the_setting_is_missing(name, caplog):
    with override_settings():
        del settings.PROTECTION_DASHBOARD
        assert features.get_feature(name) is True
    assert not caplog.records


@pytest.mark.parametrize("name", TOGGLES)
@pytest.mark.parametrize("value", [True, False])
def test_each_toggle_reads_the_setting(name, value):
    with override_settings(PROTECTION_DASHBOARD={name: value}):
        assert features.get_feature(name) is value


def test_keys_not_in_the_setting_keep_their_default():
    with override_settings(PROTECTION_DASHBOARD={"enable_volume_backup": False}):
        assert features.get_feature("enable_share_protection") is True


def test_empty_or_none_setting_means_defaults(caplog):
    for value in ({}, None):
        with override_settings(PROTECTION_DASHBOARD=value):
            assert features.get_feature("enable_share_protection") is True
    assert not caplog.records


@pytest.mark.parametrize("value", [["enable_share_protection"], "enable_share_protection",
                                   False, 1])
def test_a_setting_that_is_not_a_dict_logs_and_uses_defaults(value, caplog):
    with (
        caplog.at_level(logging.WARNING, logger=features.__name__),
        override_settings(PROTECTION_DASHBOARD=value),
    ):
        assert features.get_feature("enable_share_protection") is True
    assert "PROTECTION_DASHBOARD must be a dict" in caplog.text


@pytest.mark.parametrize("value", ["false", 0, None, "yes"])
def test_a_value_that_is_not_a_boolean_logs_and_uses_the_default(value, caplog):
    with (
        caplog.at_level(logging.WARNING, logger=features.__name__),
        override_settings(PROTECTION_DASHBOARD={"enable_share_protection": value}),
    ):
        assert features.get_feature("enable_share_protection") is True
    assert "must be True or False" in caplog.text


def test_an_unknown_toggle_is_a_programming_error():
    with pytest.raises(KeyError):
        features.get_feature("enable_time_travel")
