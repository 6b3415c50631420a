"""The ``local_settings.d`` snippet: the toggles' defaults, the operator's values kept,
Manila's policy registered. Run as Horizon runs it: exec'd in its settings' namespace."""

import glob
import os
import re

import yaml

from protection_dashboard import features
from protection_dashboard.content.protection_schedules import policy as schedule_policy

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGE = os.path.join(REPO, 'protection_dashboard')
SNIPPET = os.path.join(PACKAGE, 'local_settings.d', '_6000_protection_dashboard.py')
SHARE_RULE = re.compile(r"""\(\s*['"]share['"]\s*,\s*['"]([^'"]+:[^'"]+)['"]\s*\)""")


def share_rules_checked() -> set[str]:
    """Every ('share', rule) the package's code checks."""
    rules = set()
    for path in glob.glob(os.path.join(PACKAGE, '**', '*.py'), recursive=True):
        with open(path) as f:
            rules.update(SHARE_RULE.findall(f.read()))
    return rules


def horizon_settings(**operator):
    """Run the snippet in a namespace like Horizon's settings after local_settings.py."""
    namespace = {'POLICY_FILES': {'volume': 'cinder_policy.yaml'},
                 'DEFAULT_POLICY_FILES': {'volume': 'default_policies/cinder.yaml'}}
    namespace.update(operator)
    with open(SNIPPET) as f:
        exec(compile(f.read(), SNIPPET, 'exec'), namespace)
    return namespace


def test_snippet_sets_the_dashboards_defaults():
    assert horizon_settings()['PROTECTION_DASHBOARD'] == features.DEFAULTS


def test_operator_values_from_local_settings_win():
    mine = {'enable_share_protection': False, 'max_microversions': {'cinder': '3.65'}}
    settings = horizon_settings(PROTECTION_DASHBOARD=mine)
    assert settings['PROTECTION_DASHBOARD'] == {**features.DEFAULTS, **mine}


def test_manila_default_rules_registered_for_share_checks():
    settings = horizon_settings()
    assert settings['POLICY_FILES'] == {'volume': 'cinder_policy.yaml',
                                        'share': 'manila_policy.yaml',
                                        'workflow': 'mistral_policy.yaml'}
    with open(settings['DEFAULT_POLICY_FILES']['share']) as f:
        rules = {rule['name'] for rule in yaml.safe_load(f)}
    checked = share_rules_checked()
    assert {'share:create_snapshot', 'share_snapshot:get_all_snapshots'} <= checked
    assert checked - rules == set()


def test_share_policy_registered_elsewhere_is_kept():
    settings = horizon_settings(POLICY_FILES={'share': 'mine.yaml'},
                                DEFAULT_POLICY_FILES={'share': 'manila-ui.yaml'})
    assert settings['POLICY_FILES']['share'] == 'mine.yaml'
    assert settings['DEFAULT_POLICY_FILES']['share'] == 'manila-ui.yaml'


def test_mistral_default_rules_registered_for_schedule_checks():
    settings = horizon_settings()
    with open(settings['DEFAULT_POLICY_FILES']['workflow']) as f:
        rules = {rule['name']: rule['check_str'] for rule in yaml.safe_load(f)}
    checked = {name for operation in (schedule_policy.LIST_ALL_PROJECTS, schedule_policy.GET,
                                      schedule_policy.CREATE, schedule_policy.RUN_NOW,
                                      schedule_policy.DELETE)
               for scope, name in operation if scope == 'workflow'}
    assert {'cron_triggers:create', 'cron_triggers:list:all_projects'} <= checked
    assert checked - rules.keys() == set()
    assert rules['cron_triggers:list:all_projects'] == 'rule:admin_only'
