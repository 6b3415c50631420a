"""The workflow service's (Mistral's) policy rules of each schedule operation.

A schedule is a workflow and a cron trigger, and its runs are executions: each
operation needs the rules of every Mistral call it makes.  Horizon checks them
under the ``workflow`` scope (``DEFAULT_POLICY_FILES['workflow']``, Mistral's
defaults in ``conf/default_policies/mistral.yaml``); the views check them too.
"""

SCOPE = 'workflow'


def _rules(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((SCOPE, name) for name in names)


LIST = _rules('cron_triggers:list', 'workflows:list', 'executions:list')
LIST_ALL_PROJECTS = LIST + _rules('cron_triggers:list:all_projects',
                                  'workflows:list:all_projects',
                                  'executions:list:all_projects')
#: The schedule's page; a run's row polls (``executions:get``) while it is under way.
GET = _rules('cron_triggers:get', 'executions:list', 'executions:get')
CREATE = _rules('workflows:create', 'cron_triggers:create')
#: An edit reads the trigger and the workflow, updates the workflow and makes the
#: trigger again (Mistral cannot change one).
UPDATE = _rules('cron_triggers:get', 'workflows:get', 'workflows:update',
                'cron_triggers:delete', 'cron_triggers:create')
#: Run now reads the newest run first: never a second run while one is under way.
RUN_NOW = _rules('cron_triggers:get', 'executions:list', 'executions:create')
DELETE = _rules('cron_triggers:get', 'cron_triggers:delete', 'workflows:delete')
